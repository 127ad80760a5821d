// multiple-deletions — the seed's Test 2: several deletes in quick succession,
// a refresh after each. Must hold: every deleted item stays gone.
#include "generate/scenario.h"

namespace cachecheck {
namespace {

Scenario make() {
  Scenario s;
  s.name = "multiple-deletions";
  s.varies = "3-8 items deleted in quick succession, refreshes between and after";
  s.holds = "every deleted item stays gone from every later read";
  s.params.users = 1;
  s.params.min_items = 3;
  s.params.max_items = 8;
  s.params.mix = StepMix{{"open", 1}, {"refresh", 3}, {"hard_refresh", 3}, {"look", 1}, {"click", 1}, {"remove", 5}};
  return s;
}

const bool registered = register_scenario(5, make());

}  // namespace
}  // namespace cachecheck
