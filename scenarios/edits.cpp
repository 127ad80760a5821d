// edits — varies: edits that move items between months, filters and audiences
// (dates, type, status, assignees, title) and creates, by owners and assignees.
// Must hold: after a write completes, every read shows the item as it now is —
// no old content, no missing item.
#include "generate/scenario.h"

namespace cachecheck {
namespace {

Scenario make() {
  Scenario s;
  s.name = "edits";
  s.varies = "edits of dates/type/status/assignees/title and creates, by owners and assignees, 1-3 users";
  s.holds = "after a write completes, reads show the item as it now is (no stale content, nothing missing)";
  s.params.users = 3;
  s.params.visibilities = {Visibility::global, Visibility::assigned};
  s.params.assignees = true;
  s.params.types = {std::nullopt, std::nullopt, "task", "project"};  // mostly unfiltered views
  s.params.statuses = {std::nullopt, std::nullopt, "in_progress", "at_risk"};
  s.params.max_tabs = 5;
  s.params.mix = StepMix{{"open", 3}, {"refresh", 3}, {"hard_refresh", 2}, {"navigate", 2}, {"filter", 1}, {"look", 1}, {"create", 2}, {"edit", 4}, {"remove", 1}};
  return s;
}

const bool registered = register_scenario(7, make());

}  // namespace
}  // namespace cachecheck
