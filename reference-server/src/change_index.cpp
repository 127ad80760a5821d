#include "calendar/change_index.h"

#include <algorithm>
#include <iterator>
#include <set>

namespace calendar {
namespace {

// The day window: 2^16 days around 1970-01-01 (1880 to 2059). Days outside are
// clamped to its edges (see the header: conservative).
constexpr std::int64_t kWindow = std::int64_t{1} << 16;
constexpr std::int64_t kOffset = kWindow / 2;

std::int64_t clamp_day(std::int64_t days) { return std::clamp<std::int64_t>(days + kOffset, 0, kWindow - 1); }

// Filter value index: 0 = absent, i + 1 = the i-th value of `values`; unknown
// values read as absent (a superset: every state counts there).
template <std::size_t N>
std::size_t filter_index(const std::optional<std::string>& value, const std::string_view (&values)[N]) {
  if (!value) return 0;
  auto it = std::find(std::begin(values), std::end(values), *value);
  return it == std::end(values) ? 0 : static_cast<std::size_t>(it - std::begin(values)) + 1;
}

// The fields a feed event shows (its level aside).
bool same_event(const WorkItem& a, const WorkItem& b) {
  return a.title == b.title && a.work_type == b.work_type && a.status == b.status &&
         a.start_date == b.start_date && a.due_date == b.due_date && a.parent_id == b.parent_id;
}

// Audience 0 is everyone (global visibility); a user id is that user under `assigned`.
bool sees(UserId audience, const WorkItem& state) {
  return can_see(audience == 0 ? Visibility::global : Visibility::assigned, audience, state);
}

}  // namespace

void ChangeIndex::Fenwick::add(std::uint32_t pos) {
  for (std::int64_t i = pos + 1; i <= kWindow; i += i & -i) ++nodes_[static_cast<std::uint32_t>(i)];
}

std::uint64_t ChangeIndex::Fenwick::prefix(std::int64_t pos) const {
  std::uint64_t sum = 0;
  for (std::int64_t i = std::min(pos, kWindow - 1) + 1; i > 0; i -= i & -i) {
    auto it = nodes_.find(static_cast<std::uint32_t>(i));
    if (it != nodes_.end()) sum += it->second;
  }
  return sum;
}

std::uint64_t ChangeIndex::pair_key(UserId audience, std::size_t type_filter, std::size_t status_filter) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(audience)) << 8) | (type_filter << 4) | status_filter;
}

void ChangeIndex::add(UserId audience, const WorkItem& state) {
  const auto start = static_cast<std::uint32_t>(clamp_day(state.start_date.days()));
  const auto due = static_cast<std::uint32_t>(clamp_day(state.due_date.days()));
  std::vector<std::size_t> types{0};
  for (std::size_t i = 0; i < std::size(kWorkTypes); ++i)
    if (type_filter_matches(kWorkTypes[i], state.work_type)) types.push_back(i + 1);
  std::vector<std::size_t> statuses{0};
  if (std::size_t s = filter_index(state.status, kStatuses); s != 0) statuses.push_back(s);
  for (std::size_t t : types)
    for (std::size_t s : statuses) {
      Pair& pair = pairs_[pair_key(audience, t, s)];
      pair.starts.add(start);
      pair.ends.add(due);
    }
}

void ChangeIndex::record(const WorkItem* before, const WorkItem* after, bool level_moved) {
  const bool event_changed = level_moved || !before || !after || !same_event(*before, *after);
  std::set<UserId> audiences{0};
  for (const WorkItem* state : {before, after}) {
    if (!state) continue;
    audiences.insert(state->owner_id);
    audiences.insert(state->assignee_ids.begin(), state->assignee_ids.end());
  }
  for (UserId audience : audiences) {
    const bool saw = before && sees(audience, *before);
    const bool sees_now = after && sees(audience, *after);
    if (saw == sees_now && (!saw || !event_changed)) continue;  // this audience's answers are unchanged
    if (saw) add(audience, *before);
    if (sees_now) add(audience, *after);
  }
}

std::uint64_t ChangeIndex::count(UserId user, Visibility visibility, const FeedQuery& query) const {
  const UserId audience = visibility == Visibility::global ? 0 : user;
  auto it = pairs_.find(pair_key(audience, filter_index(query.type, kWorkTypes), filter_index(query.status, kStatuses)));
  if (it == pairs_.end()) return 0;
  const std::int64_t first = query.start ? clamp_day(query.start->days()) : 0;
  const std::int64_t last = query.end ? clamp_day(query.end->days() - 1) : kWindow - 1;
  return it->second.starts.prefix(last) - it->second.ends.prefix(first - 1);
}

}  // namespace calendar
