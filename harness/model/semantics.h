// What a fresh feed answer is: the rules an application's feed follows, as the
// oracle applies them. The reference server's are the contract's
// (Semantics::reference()); a target spec may declare another application's.
//
//   range     which items a query's [start, end] bounds select:
//             overlap-exclusive-end  start_date < end  and  due_date ≥ start   (the contract)
//             inclusive-end          start_date ≤ end  and  due_date ≥ start
//             start-or-due           start ≤ start_date < end  or  start ≤ due_date < end
//                                    (the original application's filter: an item spanning
//                                    the whole range is not selected)
//             an absent bound does not filter.
//   type      a filter value → the kinds it selects; the contract: each kind selects itself,
//             and project / activity / task also select their sub_ kind.
//   status    a filter value selects the items with exactly that status.
//   audience  who sees an item: only calendar-visible items are shown, and under
//             Visibility::assigned only to their owner and assignees.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/domain.h"

namespace cachecheck {

enum class RangeRule { overlap_exclusive_end, inclusive_end, start_or_due };
std::string_view to_string(RangeRule r);
std::optional<RangeRule> parse_range_rule(std::string_view s);  // "overlap-exclusive-end", …

struct Semantics {
  RangeRule range = RangeRule::overlap_exclusive_end;
  // Filter value → kinds it selects. A value not listed is refused by the application
  // (the harness never sends one).
  std::map<std::string, std::vector<std::string>> type_filter;

  // The contract's rules (../shared/spec/reference-server.md, "feed").
  static Semantics reference();

  bool in_range(const Query& q, const Item& item) const;
  bool matches_filter(const Query& q, const Item& item) const;  // type and status
  bool can_see(Visibility v, UserId user, const Item& item) const;
  // All three: the item belongs in the answer to `q` for `user`.
  bool selects(Visibility v, UserId user, const Query& q, const Item& item) const {
    return can_see(v, user, item) && in_range(q, item) && matches_filter(q, item);
  }
  friend bool operator==(const Semantics&, const Semantics&) = default;
};

}  // namespace cachecheck
