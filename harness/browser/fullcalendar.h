// The ranges a browser client really asks the feed for, and how it writes them on the wire.
//
// A pure model of FullCalendar v6 (plus the "month-aligned" range the seed's sweep assumed):
//   fullcalendar-month       dayGridMonth: whole weeks from the week holding the 1st (per
//                            firstDay); six of them with fixedWeekCount (the default), else only
//                            the weeks the month needs. `end` exclusive.
//   fullcalendar-week        timeGridWeek / dayGridWeek: the week holding the focus date.
//   fullcalendar-day         timeGridDay: the focus date, `end` the next day.
//   fullcalendar-list-month  listMonth: the 1st to the 1st of the next month (no week padding).
//   month-aligned            the 1st to the LAST day of the month, as plain dates.
//
// Sources (FullCalendar v6): daygrid/src/TableDateProfileGenerator.ts (snap month ranges to weeks,
// then add weeks up to 6 when fixedWeekCount), core/src/DateProfileGenerator.ts (prev/next move
// from startOf(current date, unit) by the view's duration, so month views land on the 1st),
// core/src/event-sources/json-feed-event-source.ts (params = extraParams, then start, end via
// dateEnv.formatIso; `timeZone` only when not 'local'), core/src/datelib/formatting-utils
// buildIsoString (".000" dropped; offset 0 keeps "Z", any other offset "±HH:MM"), and
// core/src/util/requestJson.ts (GET query built with `new URLSearchParams(params)`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "browser/fullcalendar_views.h"
#include "model/time.h"

namespace cachecheck {

enum class ClientModel {
  fullcalendar_month,
  fullcalendar_week,
  fullcalendar_day,
  fullcalendar_list_month,
  month_aligned,
};

// Contract names: "fullcalendar-month", "fullcalendar-week", "fullcalendar-day",
// "fullcalendar-list-month", "month-aligned".
std::string_view to_string(ClientModel m);
std::optional<ClientModel> parse_client_model(std::string_view s);
// Every model, in declaration order.
const std::vector<ClientModel>& all_client_models();
// True for the four FullCalendar views (date-time bounds with an offset, exclusive end).
bool is_fullcalendar(ClientModel m);

// The FullCalendar view a client model is (fullcalendar_views.h): dayGridMonth, timeGridWeek,
// timeGridDay, listMonth; nullopt for month-aligned.
std::optional<FcView> fc_view_of(ClientModel m);

// ViewRange (fullcalendar_views.h): for the FullCalendar models `end` is exclusive (midnight of
// the day after the last one shown); for month-aligned it is the last day of the month, exactly
// as the seed's client would send it.

// The range the view showing `focus` fetches. `first_day` is FullCalendar's firstDay (0 = Sunday,
// 1 = Monday, … 6; throws std::invalid_argument outside 0..6); it matters for the month and week
// views only. `fixed_week_count` is FullCalendar's global option (default true on dayGridMonth);
// it matters for fullcalendar-month only. The FullCalendar models are build_date_profile's
// active range of their view.
ViewRange view_range(ClientModel m, Date focus, int first_day,
                     bool fixed_week_count = true);

// The focus date after `delta` presses of next (delta > 0) or prev (delta < 0).
// Month, list-month and month-aligned move by months and land on the 1st of the target month (as
// FullCalendar does: it moves from the start of the current month). Week moves by 7 days and day
// by 1 day from `focus`; the resulting range is the same one FullCalendar shows (it moves from the
// start of the week, which lies in the same target week).
Date navigate(ClientModel m, Date focus, int delta);

// One bound as the client writes it (before percent-encoding).
// FullCalendar models, timeZone 'local': "YYYY-MM-DDT00:00:00" then the browser's offset at that
// date: "Z" when it is 0 (buildIsoString keeps the "Z" of toISOString for offset 0), otherwise
// "+HH:MM" / "-HH:MM". month-aligned: plain "YYYY-MM-DD".
// `utc_offset_minutes` is minutes east of UTC (+480 for +08:00, -300 for -05:00, +330 for +05:30).
std::string wire_bound(Date d, ClientModel m, int utc_offset_minutes);

// application/x-www-form-urlencoded serialisation of one key or value, as URLSearchParams does
// it: ASCII alphanumerics and "*-._" stay, space becomes "+", every other byte is %XX (upper-case
// hex). So ":" → "%3A" and "+" → "%2B".
std::string form_urlencode(std::string_view s);

// The query string (no leading '?') the client sends for `r`:
//   start=…&end=…[&type=…][&status=…]
// with absent filters omitted, e.g. for October 2025, firstDay 1, +08:00:
//   start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-11-10T00%3A00%3A00%2B08%3A00&type=task
// Note: real FullCalendar puts extraParams (or a query already in the source URL) *before* start
// and end; the order here is the harness's fixed one. It is deterministic, which is all the HTTP
// cache model (keyed by URL) and the server (which parses parameters by name) need.
std::string feed_query_string(const ViewRange& r, ClientModel m, int utc_offset_minutes,
                              const std::optional<std::string>& type = std::nullopt,
                              const std::optional<std::string>& status = std::nullopt);
// The same with a different offset for each bound: with timeZone 'local' each bound carries the
// browser's offset at that date, so a range across a daylight-saving change mixes them
// (e.g. start "-04:00", end "-05:00").
std::string feed_query_string(const ViewRange& r, ClientModel m, int start_offset_minutes,
                              int end_offset_minutes,
                              const std::optional<std::string>& type = std::nullopt,
                              const std::optional<std::string>& status = std::nullopt);

}  // namespace cachecheck
