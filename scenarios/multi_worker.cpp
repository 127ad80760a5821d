// multi-worker — varies: 2-4 server workers behind one port, each with its own
// memory cache (or one shared Redis with --backend), requests round-robin or
// pinned to one worker. Must hold: a read after a write is fresh whichever
// worker answers it.
#include "generate/scenario.h"

namespace cachecheck {
namespace {

Scenario make() {
  Scenario s;
  s.name = "multi-worker";
  s.varies = "2-4 workers (private memory caches, or one Redis), round-robin or pinned routing";
  s.holds = "a read after a write completed is fresh whichever worker serves it";
  s.params.users = 1;
  s.params.min_workers = 2;
  s.params.max_workers = 4;
  s.params.mix = StepMix{{"open", 2}, {"refresh", 4}, {"hard_refresh", 2}, {"look", 1}, {"edit", 1}, {"remove", 3}, {"route", 2}};
  return s;
}

const bool registered = register_scenario(9, make());

}  // namespace
}  // namespace cachecheck
