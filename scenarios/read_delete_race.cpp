// read-delete-race — varies: a feed fetch that misses the cache and fills it
// while a delete runs, interleaved at every cache and store access by the
// seeded scheduler (one user, so only the race can make it stale). Must hold: a
// read invoked after both completed is fresh.
#include "generate/scenario.h"

namespace cachecheck {
namespace {

Scenario make() {
  Scenario s;
  s.name = "read-delete-race";
  s.varies = "a cache fill racing a delete, interleaved at cache/store accesses by the seeded scheduler";
  s.holds = "once the race is over, reads are fresh (a fill may not resurrect a deleted item)";
  s.params.users = 1;
  s.params.models = {ClientModel::month_aligned, ClientModel::fullcalendar_month};
  s.params.max_tabs = 2;
  s.params.mix = StepMix{{"open", 1}, {"refresh", 2}, {"hard_refresh", 2}, {"look", 1}, {"remove", 1}, {"race", 5}};
  return s;
}

const bool registered = register_scenario(8, make());

}  // namespace
}  // namespace cachecheck
