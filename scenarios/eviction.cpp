// eviction — varies: a bounded cache (Django's cull of a third when full),
// evicted version keys, random evictions and cache flushes (a restart). Must
// hold: losing cache entries may cost misses, never freshness (the version
// rollback of `versioned`: an evicted version restarts at 0 and old `v0`
// entries come back).
#include "generate/scenario.h"

namespace cachecheck {
namespace {

Scenario make() {
  Scenario s;
  s.name = "eviction";
  s.varies = "bounded capacity (cull), evicted version keys, random evictions, flushes";
  s.holds = "evictions and restarts never bring deleted or old data back";
  s.params.users = 1;
  s.params.cache_capacity = 20;
  s.params.models = {ClientModel::fullcalendar_month, ClientModel::month_aligned};
  s.params.mix = StepMix{{"open", 2}, {"refresh", 4}, {"hard_refresh", 2}, {"navigate", 1}, {"look", 1}, {"edit", 1}, {"remove", 4}, {"evict_version", 4}, {"evict_random", 1}, {"flush", 1}, {"rollback", 6}};
  return s;
}

const bool registered = register_scenario(10, make());

}  // namespace
}  // namespace cachecheck
