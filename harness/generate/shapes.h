// Targeted shapes: few-step sequences the generator builds on purpose, because
// uniform generation rarely builds them and each is the shortest way to show a
// class of bug (issue 12):
//
//   race_miss        a feed fetch that misses the cache (a tab's first fetch) racing a
//                    delete of an item it shows, then a read of the same view: a fill
//                    that saw the store before the delete must not outlive it;
//   create_read      a create inside a warm view, then a read of it with no other write
//                    between (any later write would invalidate and hide a create that
//                    does not);
//   assignee_change  under `assigned` visibility, a user's warm view holds an item, and
//                    the user is removed as its assignee (or, the other way, added to an
//                    item the view would then show); then the user reads, refreshes or
//                    navigates away and back;
//   two_tabs         two tabs of one user on the same focus date whose ranges differ by a
//                    day (firstDay, or the browser's offset), with an item on the day that
//                    tells them apart: one tab's cached answer must not serve the other;
//   idle_ttl         a warm view, a write to an item it shows, then idling past the feed's
//                    TTL before reading it again: what outlives its TTL exceeds the bound;
//   rollback         on an open view: the version keys evicted, the view read (a fill under the restarted
//                    versions), a write to an item it shows, the version keys evicted again,
//                    the view read again: the field notes' version rollback, where an
//                    evicted counter restarts and an old entry answers again.
//
// Each shape is one state-machine command of consecutive steps (scenario_kit.cpp):
// RapidCheck shrinks the choices inside it and removes it whole, and its steps are
// checked like any others. A shape draws its weight from the scenario's mix (by its
// key) and is offered only where the kinds of step it is made of are in the mix.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "generate/step.h"

namespace cachecheck {

struct ShapeKind {
  std::string_view name;  // also its weight key in the mix
  std::function<bool(const ScriptState&)> feasible;
  // The steps, built against `s` (each is sensible after the ones before it).
  std::function<std::vector<Step>(const ScriptState&)> generate;
};
const std::vector<ShapeKind>& shape_kinds();

}  // namespace cachecheck
