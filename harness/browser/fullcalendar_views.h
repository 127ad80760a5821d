// FullCalendar v6 as a browser runs it: every view with a JSON feed, its options, its actions,
// and the feed requests they make — the model `cachecheck requests` prints and that
// tests/browser/capture.js checks against real FullCalendar in Chromium.
//
// Sources (FullCalendar 6.1, read from the npm packages tests/browser pins):
//   core DateProfileGenerator: build() — the current range is startOf(date, unit) plus the
//     view's duration (unit: day, week (per firstDay), month, year); buildPrev/buildNext move from
//     startOf(currentDate, unit) by the duration (dateIncrement); the render range is the current
//     range except for dayGrid views (below); the active range is the render range (timeGrid's
//     slotMinTime/slotMaxTime adjust it only outside 00:00–24:00).
//   daygrid TableDateProfileGenerator / buildDayTableRenderRange: month (and year) ranges snap
//     to whole weeks; with fixedWeekCount, weeks are added until six rows from the week holding
//     the 1st of the last month — for every dayGrid view, so a global fixedWeekCount: true makes
//     dayGridWeek and dayGridDay six weeks long. dayGridMonth's own default is fixedWeekCount:
//     true (daygrid/index.ts); options merge as plugin view defaults < global < views.{name}.
//   core CalendarDataManager reducer: after prev/next the current date becomes the new current
//     range's start, after any action when it falls outside the current range too; today() is
//     CHANGE_DATE to now, gotoDate(d) CHANGE_DATE to d, changeView(v) keeps the current date.
//   core reducers/eventSources: prev, next, CHANGE_DATE and CHANGE_VIEW_TYPE fetch when
//     lazyFetching is off or the active range leaves the range last fetched (one range: the most
//     recent); refetchEvents() always fetches the CURRENT view's active range.
//   core event-sources/json-feed-event-source buildRequestParams: params = extraParams, then
//     params[startParam], params[endParam] (dateEnv.formatIso), then params[timeZoneParam] =
//     the timeZone option unless it is 'local' — a JavaScript object, so keys that are array
//     indices ("0", "42") come first in ascending order, and a key already present keeps its
//     place; util/requestJson: GET url + '?' + new URLSearchParams(params).
//   core datelib/formatting-utils buildIsoString: "YYYY-MM-DDTHH:MM:SS", then 'local': the
//     browser's offset at that date ("Z" when 0, else ±HH:MM); 'UTC': "Z"; a named zone without
//     a time-zone plugin: no offset at all.
// Each action is taken after the previous fetch has answered (eventSource.fetchRange is set on
// receipt; an action during a fetch always fetches again).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/time.h"

namespace cachecheck {

// The range a client asks for; `end` exclusive for FullCalendar (see fullcalendar.h for the
// seed's month-aligned client, whose end is the last day).
struct ViewRange {
  Date start, end;
  friend bool operator==(const ViewRange&, const ViewRange&) = default;
};

enum class FcView {
  day_grid_month,
  day_grid_week,
  day_grid_day,
  time_grid_week,
  time_grid_day,
  list_day,
  list_week,
  list_month,
  list_year,
};

// FullCalendar's names: "dayGridMonth", "timeGridWeek", "listYear", …
std::string_view to_string(FcView v);
std::optional<FcView> parse_fc_view(std::string_view s);
const std::vector<FcView>& all_fc_views();

// The calendar's `timeZone` option.
struct FcTimeZone {
  enum class Mode { local, utc, named };
  Mode mode = Mode::local;
  std::string name;  // named only: the IANA name, sent as timeZone=<name>
  // "local" → local, "UTC" → utc (exactly: FullCalendar compares with 'UTC'), anything else named.
  static FcTimeZone parse(std::string_view option);
  std::string option() const;  // "local", "UTC" or the name
  friend bool operator==(const FcTimeZone&, const FcTimeZone&) = default;
};

struct FcOptions {
  int first_day = 0;  // firstDay, 0 Sunday … 6 Saturday (FullCalendar's default locale: 0)
  std::optional<bool> fixed_week_count;  // the global option; absent: each view's default
  std::vector<std::pair<FcView, bool>> view_fixed_week_count;  // views: {name: {fixedWeekCount}}
  bool lazy_fetching = true;
  FcTimeZone time_zone;                   // timeZone
  std::string browser_time_zone = "UTC";  // the browser's own zone (bounds' offsets in 'local')
  std::vector<std::pair<std::string, std::string>> extra_params;  // in the order written
  std::string start_param = "start", end_param = "end", time_zone_param = "timeZone";
};

// The fixedWeekCount in force for a view: views.{name} over the global option over the view's
// default (true for dayGridMonth, absent — false — elsewhere).
bool fixed_week_count_for(FcView v, const FcOptions& o);

enum class FcUnit { day, week, month, year };

struct DateProfile {
  ViewRange current;  // the dates the view is about (a month for dayGridMonth)
  ViewRange active;   // the dates it shows and fetches
  FcUnit unit;
};
// Throws std::invalid_argument when first_day is outside 0..6.
DateProfile build_date_profile(FcView v, Date date, const FcOptions& o);

// formatTimeZoneOffset: "Z" for 0, else "+HH:MM" / "-HH:MM" (minutes east of UTC).
std::string format_utc_offset(int minutes);
// dateEnv.formatIso of a midnight bound.
std::string format_bound(Date d, const FcOptions& o);
// The query string of a feed request for `r` (no leading '?'), as on the request line.
std::string fc_query_string(const ViewRange& r, const FcOptions& o);

// One user action on the calendar.
struct FcAction {
  enum class Kind { next, prev, today, go_to, change_view, refetch };
  Kind kind = Kind::next;
  Date date;                          // go_to
  FcView view = FcView::day_grid_month;  // change_view
};
// "next", "prev", "today", "refetch", "goto:YYYY-MM-DD", "view:NAME"; nullopt when not one.
std::optional<FcAction> parse_fc_action(std::string_view s);
std::string to_string(const FcAction& a);

// One calendar on one page: its view, current date and the range its event source last
// fetched. Each call returns the range fetched, or nullopt when lazy fetching skips the fetch.
class FcCalendar {
 public:
  // The initial render: initialDate `initial`, `now` for today(). Fetches.
  FcCalendar(FcView view, Date initial, Date now, FcOptions options);
  const std::optional<ViewRange>& initial_fetch() const { return initial_fetch_; }
  std::optional<ViewRange> apply(const FcAction& a);

  FcView view() const { return view_; }
  Date current_date() const { return current_date_; }
  const DateProfile& profile() const { return profile_; }
  const FcOptions& options() const { return options_; }

 private:
  std::optional<ViewRange> change_date(Date d);
  std::optional<ViewRange> fetch_if_dirty();
  std::optional<ViewRange> fetch();

  FcView view_;
  Date now_, current_date_;
  FcOptions options_;
  DateProfile profile_;
  std::optional<ViewRange> fetched_, initial_fetch_;
};

}  // namespace cachecheck
