// The oracle: judges a recorded History alone (never the target), in the
// linearizability style of the contract: an operation that completed before a
// read was invoked must be visible to it; one concurrent with it may or may not be.
//
// Truth. Per item, the successful writes (status 2xx) form its timeline: create
// and edit set the state to `written` (the item as the server returned it);
// delete makes every id in `deleted` deleted (when `deleted` is empty, `item_id`).
// Before any write an item is in its initial state (`initial_items`) or absent.
// A create/edit without `written` is skipped (its effect is unknown). Only
// operations with Outcome::ok are evidence; `failed` writes did not happen.
//
// Indeterminate operations (Jepsen's :info). An indeterminate view is not judged
// (the caller counts it). An indeterminate write may take effect at any time from
// its invocation on, or never: it is given complete = +∞, so it is concurrent with
// every later view. Its state after: a delete → "deleted" for the item and for
// every item that may be in its subtree by any parent link the history knows; an
// edit → "unknown" (any shown content is admissible for it, and it never obliges
// an item to appear); a create has no known id: a shown item the history never
// knew is admissible when an indeterminate create invoked before the view's end
// sent the same title.
//
// What a fresh answer selects — range rule, type-filter mapping, who sees what —
// is History::semantics (model/semantics.h), the harness's own model of the
// application: never the application's code.
//
// Admissible states. For a judged view V (status 200 or 304, or status 0 on the
// `client-store` / `http-cache` layers), an item's admissible states are:
//   - the "final" states of the writes completed before V (complete < V.invoke):
//     every such write W with W.complete >= max invoke over those writes, i.e. the
//     writes that could each have been the last one linearized (normally just the
//     latest one; more when writes to the item overlapped). No completed write → the
//     initial state (or "absent");
//   - the state after each write concurrent with V (invoke <= V.complete and
//     complete >= V.invoke), indeterminate writes included.
// Except: a delete is final (ids are never reused, and an edit of a deleted item
// fails, so no successful write can be ordered after it). Once a delete of the item
// has completed before V.invoke, "deleted" is its only admissible state.
//
// Findings for V, by user U with query Q (one per shown event at most):
//   stale-visible    shown, and no admissible state exists, and some is "deleted".
//                    staleness = V.invoke − completion of the item's first delete.
//   stale-content    shown, its fields (title, workType, status, start, end, parentId)
//                    equal no admissible existing state (also: an item the history
//                    never knew). staleness = V.invoke − completion of the write that
//                    superseded the shown version when that version is found in the
//                    item's timeline, else of the latest completed write, else 0.
//   range-violation  shown, equal to admissible states that all fail Q, and all of
//   filter-violation them are out of Q's range → range-violation; otherwise (type,
//                    status, visibility or is_calendar_visible fail) → filter-violation.
//                    staleness 0.
//   missing          not shown, and every admissible state exists, is visible to U
//                    (Semantics::can_see, which includes is_calendar_visible) and
//                    matches Q (Semantics::in_range, matches_filter). staleness = V.invoke − completion of the earliest
//                    write of the trailing run of qualifying states (0 when the run
//                    reaches the initial state).
//   dangling         a click answering 404 on an item that the same (user, tab)'s most
//                    recent judged view before it (in history order) showed, unless a
//                    delete of the item was concurrent with the click. Layer = that
//                    view's layer when the view was invoked after the delete completed
//                    (the view itself was stale); client-store when the view was
//                    fresh (or concurrent with the delete) and the tab just never
//                    refetched. staleness = click.invoke − completion of the item's
//                    first delete (0 when no completed delete explains the 404).
//   bound-exceeded   with History::bound_s set: every stale-visible / stale-content /
//                    missing whose staleness exceeds bound_s yields one more violation
//                    (same item, user, tab, layer, staleness), right after it.
// Views of every layer are judged alike; which layers count toward a verdict is
// decided by the caller (see Verdict's filters).
//
// Violations are ordered by op index; within a view: shown events in shown order,
// then missing items by id.
//
// Complexity (n ops, S shown events in total, w writes of one item):
//   - building the timelines: O(n log n);
//   - each shown event: O(log w + a), a = admissible states (normally 1 or 2); the
//     concurrent writes are found by a scan bounded by the item's longest write, so
//     a is the number of writes of that item completing in [V.invoke, V.complete +
//     longest write duration]. Finding the superseded version for a stale-content
//     finding is O(log w) (a hash of fields → timeline positions);
//   - missing: views are swept in invoke order while the write effects are applied
//     in completion order to an index of live items (latest completed state exists)
//     ordered by start date; a view examines only the live items starting in
//     [Q.start − longest item span seen, Q.end) (all live items when unbounded):
//     O(1) each when the latest state does not qualify, else O(log w + a). Honestly:
//     O(reads × live items near the range); with no range, O(reads × live items);
//   - each missing finding walks back over the trailing run of qualifying states
//     to date it: O(run length), normally 1;
//   - dangling: O(log w) per 404 click.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/history.h"

namespace cachecheck {

// The violation kinds; their names are fixed by the contract.
enum class ViolationKind { stale_visible, stale_content, missing, dangling, filter_violation, range_violation,
                           bound_exceeded };
inline constexpr ViolationKind kStaleVisible = ViolationKind::stale_visible;
inline constexpr ViolationKind kStaleContent = ViolationKind::stale_content;
inline constexpr ViolationKind kMissing = ViolationKind::missing;
inline constexpr ViolationKind kDangling = ViolationKind::dangling;
inline constexpr ViolationKind kFilterViolation = ViolationKind::filter_violation;
inline constexpr ViolationKind kRangeViolation = ViolationKind::range_violation;
inline constexpr ViolationKind kBoundExceeded = ViolationKind::bound_exceeded;
inline constexpr ViolationKind kViolationKinds[] = {kStaleVisible,    kStaleContent,   kMissing,
                                                    kDangling,        kFilterViolation, kRangeViolation,
                                                    kBoundExceeded};
// "stale-visible", "stale-content", "missing", "dangling", "filter-violation",
// "range-violation", "bound-exceeded".
std::string_view to_string(ViolationKind k);
std::optional<ViolationKind> parse_violation_kind(std::string_view s);

struct Violation {
  ViolationKind kind = ViolationKind::stale_visible;
  std::string item_id;  // the UUID (no "work-item-" prefix)
  UserId user = 0;
  std::string tab;
  Layer layer = Layer::store;  // the layer that served the view
  double staleness_s = 0;
  std::size_t op_index = 0;  // the view (or click, for dangling) in History::ops
  std::string detail;        // a human-readable account
};

// {"kind", "item", "user", "tab", "layer", "staleness_s", "op_index", "detail"}
nlohmann::json to_json(const Violation& v);

// One judged view: its staleness is the largest staleness of its stale-visible,
// stale-content and missing findings (0 for a fresh read).
struct ReadSample {
  std::size_t op_index = 0;
  Layer layer = Layer::store;
  double staleness_s = 0;
};

struct Verdict {
  using Filter = std::function<bool(const Violation&)>;  // empty = every violation
  using LayerFilter = std::function<bool(Layer)>;        // empty = every layer

  std::vector<Violation> violations;
  std::size_t reads_checked = 0;  // judged views
  double max_staleness_s = 0;     // over all violations (any kind, any layer)
  std::vector<ReadSample> reads;  // one per judged view, in op order

  bool clean(const Filter& counted = {}) const { return first(counted) == nullptr; }
  std::size_t count(ViolationKind kind, const Filter& counted = {}) const;
  // kind → count, only kinds that occur.
  std::map<std::string, std::size_t> counts(const Filter& counted = {}) const;
  // The first counted violation in op order; nullptr when none.
  const Violation* first(const Filter& counted = {}) const;
  // Nearest-rank 99th percentile of the read samples on the selected layers (0 when none).
  double p99_staleness_s(const LayerFilter& layers = {}) const;
  // The largest staleness among counted violations (0 when none).
  double max_staleness(const Filter& counted = {}) const;
};

Verdict judge(const History& h);

}  // namespace cachecheck
