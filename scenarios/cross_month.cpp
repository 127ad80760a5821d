// cross-month — varies: prev/next navigation across months and years, months
// outside the sweep's window (past months, more than three ahead), items that
// span months, every client model and firstDay, browsers in zones with and without
// daylight saving, and a server `today` on month ends. Must hold: wherever the user
// navigates after a delete, the item is gone.
#include "generate/scenario.h"

namespace cachecheck {
namespace {

Scenario make() {
  Scenario s;
  s.name = "cross-month";
  s.varies = "navigation across months/years, months outside the sweep window, spanning items, every client model";
  s.holds = "after a write completes, every month any view fetches is fresh";
  s.params.users = 1;
  s.params.models = {ClientModel::fullcalendar_month, ClientModel::fullcalendar_week, ClientModel::fullcalendar_day,
                     ClientModel::fullcalendar_list_month, ClientModel::month_aligned};
  s.params.first_days = {0, 1};
  s.params.utc_offsets_min = {0, 480, -300, 330};
  // Browsers in named zones (issue 13): ranges across a daylight-saving change carry two offsets
  // (London and New York change in March and October/November; Manila and Kolkata never do).
  s.params.browser_time_zones = {"Europe/London", "Asia/Manila", "America/New_York", "Asia/Kolkata"};
  s.params.start_times = {"2025-10-05T09:00:00Z", "2025-12-31T09:00:00Z", "2026-01-31T09:00:00Z",
                          "2028-02-29T09:00:00Z"};
  s.params.month_spread = 5;
  s.params.max_duration_days = 40;
  s.params.min_items = 3;
  s.params.max_items = 8;
  s.params.mix = StepMix{{"open", 2}, {"refresh", 2}, {"hard_refresh", 1}, {"navigate", 5}, {"look", 1}, {"create", 1}, {"edit", 1}, {"remove", 3}};
  return s;
}

const bool registered = register_scenario(4, make());

}  // namespace
}  // namespace cachecheck
