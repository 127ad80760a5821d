#include "model/semantics.h"

#include <algorithm>
#include <array>
#include <utility>

namespace cachecheck {
namespace {

constexpr std::array<std::pair<RangeRule, std::string_view>, 3> kRangeRules{{
    {RangeRule::overlap_exclusive_end, "overlap-exclusive-end"},
    {RangeRule::inclusive_end, "inclusive-end"},
    {RangeRule::start_or_due, "start-or-due"},
}};

bool within(const std::optional<Date>& start, const std::optional<Date>& end, Date d) {
  return (!start || *start <= d) && (!end || d < *end);
}

}  // namespace

std::string_view to_string(RangeRule r) {
  for (auto& [rule, name] : kRangeRules)
    if (rule == r) return name;
  return "?";
}

std::optional<RangeRule> parse_range_rule(std::string_view s) {
  for (auto& [rule, name] : kRangeRules)
    if (name == s) return rule;
  return std::nullopt;
}

Semantics Semantics::reference() {
  Semantics s;
  for (auto kind : kWorkTypes) s.type_filter[std::string(kind)] = {std::string(kind)};
  // "project/activity/task meaning that kind and its sub_ kind": the kinds are
  // sub_project, sub_activity and subtask (no underscore), as the contract lists them.
  s.type_filter["project"].push_back("sub_project");
  s.type_filter["activity"].push_back("sub_activity");
  s.type_filter["task"].push_back("subtask");
  return s;
}

bool Semantics::in_range(const Query& q, const Item& item) const {
  switch (range) {
    case RangeRule::overlap_exclusive_end:
      return (!q.end || item.start_date < *q.end) && (!q.start || !(item.due_date < *q.start));
    case RangeRule::inclusive_end:
      return (!q.end || !(*q.end < item.start_date)) && (!q.start || !(item.due_date < *q.start));
    case RangeRule::start_or_due:
      return within(q.start, q.end, item.start_date) || within(q.start, q.end, item.due_date);
  }
  return false;
}

bool Semantics::matches_filter(const Query& q, const Item& item) const {
  if (q.status && item.status != *q.status) return false;
  if (!q.type) return true;
  auto it = type_filter.find(*q.type);
  if (it == type_filter.end()) return false;
  return std::find(it->second.begin(), it->second.end(), item.work_type) != it->second.end();
}

bool Semantics::can_see(Visibility v, UserId user, const Item& item) const {
  if (!item.is_calendar_visible) return false;
  return v == Visibility::global || item.involves(user);
}

}  // namespace cachecheck
