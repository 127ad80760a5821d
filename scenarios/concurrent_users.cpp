// concurrent-users — varies: two or three users who see the same items (global
// and assigned visibility, shared assignees); one writes while the others read
// with warm caches. Must hold: every user's next read after a write is fresh.
// Reaches: the seed's "each user sees their own fresh data" (false: versioned
// bumps only the actor's version).
#include "generate/scenario.h"

namespace cachecheck {
namespace {

Scenario make() {
  Scenario s;
  s.name = "concurrent-users";
  s.varies = "2-3 users, global/assigned visibility, shared assignees; one writes, the others read with warm caches";
  s.holds = "a read invoked after a write completed shows its effect, for every user";
  s.params.users = 3;
  s.params.visibilities = {Visibility::global, Visibility::assigned};
  s.params.assignees = true;
  s.params.max_tabs = 5;
  s.params.mix = StepMix{{"open", 3}, {"refresh", 4}, {"hard_refresh", 2}, {"look", 1}, {"click", 1}, {"edit", 1}, {"remove", 3}};
  return s;
}

const bool registered = register_scenario(1, make());

}  // namespace
}  // namespace cachecheck
