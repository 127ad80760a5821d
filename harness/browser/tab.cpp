#include "browser/tab.h"

#include <algorithm>

#include "browser/time_zone.h"

namespace cachecheck {

Query Tab::query() const {
  auto r = range();
  return {r.start, r.end, type, status};
}

int Tab::offset_at(Date d) const {
  return setup.time_zone.empty() ? setup.utc_offset_min : midnight_offset_minutes(setup.time_zone, d);
}

std::string Tab::query_string() const {
  auto r = range();
  return feed_query_string(r, setup.model, offset_at(r.start), offset_at(r.end), type, status);
}

bool Tab::covers_current_view() const {
  auto r = range();
  return fetched && fetched->start <= r.start && r.end <= fetched->end && fetched_type == type &&
         fetched_status == status;
}

std::vector<ShownEvent> Tab::displayed() const {
  // The in-memory events were fetched for this filter (covers_current_view), so only
  // the range decides; the rule is the contract's: start < view end, due ≥ view start.
  auto r = range();
  std::vector<ShownEvent> out;
  for (const auto& e : events)
    if (e.start < r.end && !(e.end < r.start)) out.push_back(e);
  return out;
}

bool Tab::displays(const std::string& item_id) const {
  auto shown = displayed();
  return std::any_of(shown.begin(), shown.end(), [&](const ShownEvent& e) { return e.item_id == item_id; });
}

void Tab::remember(std::vector<ShownEvent> shown) {
  events = std::move(shown);
  fetched = range();
  fetched_type = type;
  fetched_status = status;
}

void Tab::forget() {
  events.clear();
  fetched.reset();
}

}  // namespace cachecheck
