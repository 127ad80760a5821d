// cascade-delete — varies: parents whose children show in other months and to
// other users (global and assigned visibility); the parent is deleted and its
// whole subtree goes. Must hold: no child stays visible, anywhere, to anyone.
#include "generate/scenario.h"

namespace cachecheck {
namespace {

Scenario make() {
  Scenario s;
  s.name = "cascade-delete";
  s.varies = "item trees across months and users; a parent deleted with its subtree";
  s.holds = "no item of a deleted subtree is shown after the delete completes";
  s.params.users = 3;
  s.params.visibilities = {Visibility::global, Visibility::assigned};
  s.params.children = true;
  s.params.assignees = true;
  s.params.min_items = 3;
  s.params.max_items = 8;
  s.params.month_spread = 2;
  s.params.max_tabs = 5;
  s.params.mix = StepMix{{"open", 3}, {"refresh", 3}, {"hard_refresh", 2}, {"navigate", 2}, {"look", 1}, {"click", 1}, {"remove", 4}};
  return s;
}

const bool registered = register_scenario(6, make());

}  // namespace
}  // namespace cachecheck
