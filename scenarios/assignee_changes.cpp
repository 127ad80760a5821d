// assignee-changes — varies: under `assigned` visibility, assignees added to and
// removed from items that the affected users' warm views hold (and other edits
// and deletes); those users read, refresh and navigate. Must hold: once the change
// completes, a removed assignee no longer sees the item and an added one does.
// Reaches: `versioned` (only the editor's version moves) and any strategy that
// invalidates for the item's audience after the write but not before.
#include "generate/scenario.h"

namespace cachecheck {
namespace {

Scenario make() {
  Scenario s;
  s.name = "assignee-changes";
  s.varies = "assigned visibility; assignees added/removed on items in warm views; those users read, refresh, navigate";
  s.holds = "after an assignee change completes, a removed user no longer sees the item and an added one does";
  s.params.users = 3;
  s.params.visibilities = {Visibility::assigned};
  s.params.assignees = true;
  s.params.max_tabs = 5;
  s.params.mix = StepMix{{"open", 3}, {"refresh", 3}, {"hard_refresh", 2}, {"navigate", 2}, {"look", 1}, {"click", 1}, {"edit", 2}, {"remove", 1}, {"assignee_change", 6}};
  return s;
}

const bool registered = register_scenario(12, make());

}  // namespace
}  // namespace cachecheck
