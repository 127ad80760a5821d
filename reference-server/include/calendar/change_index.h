// The store's change index, read by the `precise` strategy: for any feed query,
// a counter that grows whenever, and (up to the approximations below) only when,
// a write may change that query's answer.
//
// A write is recorded as the item states it replaced and produced, each state
// an interval of days [start_date, due_date] with a kind, a status and the users
// who see it. A feed query selects days [start, end − 1] (the contract's rule:
// start_date < end and due_date ≥ start), one type filter value and one status
// filter value. Its counter is the number of recorded states that intersect its
// days and match its filters, for its audience (everyone under `global`, the
// reading user under `assigned`):
//
//   intersecting = #{states with a ≤ e} − #{states with b < s}
//
// (a state entirely before the range has a ≤ b < s ≤ e, so it is in both terms).
// Each term is a prefix count over the day axis, kept in a Fenwick tree; one
// tree pair per (audience, type filter, status filter). A state is added to the
// pairs of every filter value it matches (absent filter included), so a read is
// two prefix sums in one pair: O(log D), D = the day window.
//
// Properties the strategy relies on:
// - monotone: counters never decrease (records are only added), so a counter
//   value, once left, never comes back within an epoch (clear() starts a new one);
// - conservative: a state that intersects the query's days and matches its
//   filters and audience increments the query's counter. Days outside the window
//   are clamped to its edges, which keeps every intersection (clamping is
//   monotone) and only adds false ones.
// What is approximate (costs hits, never freshness): a state is recorded whole,
// so an edit of a field a reader does not see (for a filter on `project`, the
// status of a `task`) still counts where the state's other fields match.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>

#include "calendar/domain.h"

namespace calendar {

class ChangeIndex {
 public:
  // One write's effect on one item: its state before (nullptr: created) and after
  // (nullptr: deleted). `level_moved`: its depth in the tree changed (an ancestor
  // moved), which changes its event although its fields did not.
  void record(const WorkItem* before, const WorkItem* after, bool level_moved);

  // The counter of `query` for `user` under `visibility`.
  std::uint64_t count(UserId user, Visibility visibility, const FeedQuery& query) const;

  void clear() { pairs_.clear(); }

 private:
  // Prefix counts over clamped day numbers; sparse, so only touched nodes exist.
  class Fenwick {
   public:
    void add(std::uint32_t pos);
    std::uint64_t prefix(std::int64_t pos) const;  // count at positions ≤ pos (0 when pos < 0)

   private:
    std::unordered_map<std::uint32_t, std::uint64_t> nodes_;
  };
  struct Pair {
    Fenwick starts, ends;
  };

  // Audience 0 is "everyone" (user ids are ≥ 1).
  void add(UserId audience, const WorkItem& state);
  static std::uint64_t pair_key(UserId audience, std::size_t type_filter, std::size_t status_filter);

  std::unordered_map<std::uint64_t, Pair> pairs_;
};

}  // namespace calendar
