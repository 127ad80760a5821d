// `cachecheck requests`: the feed requests the client model makes for a view, a date, the
// calendar's options and a sequence of actions — one raw query string per line, as on the request
// line, or "(no request)" where lazy fetching skips one. For people debugging their cache keys,
// and for checking the model against real FullCalendar (tests/browser/capture.js).
#include <iostream>
#include <sstream>

#include "browser/fullcalendar.h"
#include "browser/time_zone.h"
#include "commands.h"

namespace cachecheck::cli {
namespace {

bool parse_bool(const std::string& flag, const std::string& v) {
  if (v == "true") return true;
  if (v == "false") return false;
  throw std::invalid_argument(flag + ": '" + v + "' is not true or false");
}

Date parse_date(const std::string& flag, const std::string& v) {
  auto d = Date::parse(v);
  if (!d) throw std::invalid_argument(flag + ": '" + v + "' is not a date YYYY-MM-DD");
  return *d;
}

std::vector<FcAction> parse_actions(const std::string& csv) {
  std::vector<FcAction> out;
  std::stringstream ss(csv);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    auto a = parse_fc_action(item);
    if (!a)
      throw std::invalid_argument("--actions: unknown action '" + item +
                                  "' (next, prev, today, refetch, goto:YYYY-MM-DD, view:NAME with NAME a "
                                  "FullCalendar view such as dayGridMonth)");
    out.push_back(*a);
  }
  return out;
}

FcOptions options_of(const RequestsArgs& a) {
  FcOptions o;
  o.first_day = a.first_day;
  o.time_zone = FcTimeZone::parse(a.time_zone);
  if (o.time_zone.mode == FcTimeZone::Mode::named && !is_known_time_zone(o.time_zone.name))
    throw std::invalid_argument("--time-zone: '" + a.time_zone + "' is not local, UTC or a time zone the system's tzdata knows");
  o.browser_time_zone = a.browser_time_zone;
  if (!is_known_time_zone(o.browser_time_zone))
    throw std::invalid_argument("--browser-time-zone: unknown time zone '" + a.browser_time_zone + "'");
  if (!a.fixed_week_count.empty()) o.fixed_week_count = parse_bool("--fixed-week-count", a.fixed_week_count);
  o.lazy_fetching = parse_bool("--lazy-fetching", a.lazy_fetching);
  for (const auto& kv : a.extra_params) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      throw std::invalid_argument("--extra-param: '" + kv + "' is not KEY=VALUE");
    o.extra_params.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return o;
}

std::string line_for(const std::optional<ViewRange>& r, const FcOptions& o) {
  return r ? fc_query_string(*r, o) : "(no request)";
}

// The seed's month-aligned client: the month holding the date, as plain dates; it fetches
// whenever the month changes (the same lazy rule: its ranges never nest).
int month_aligned(const RequestsArgs& a, Date date, Date now, const std::vector<FcAction>& actions) {
  auto range = [](Date d) { return view_range(ClientModel::month_aligned, d, 0); };
  auto line = [](const std::optional<ViewRange>& r) {
    return r ? feed_query_string(*r, ClientModel::month_aligned, 0) : std::string("(no request)");
  };
  bool lazy = parse_bool("--lazy-fetching", a.lazy_fetching);
  for (const FcAction& act : actions)
    if (act.kind == FcAction::Kind::change_view)
      throw std::invalid_argument("--actions: month-aligned is not a FullCalendar view: it has no view:NAME");
  Date focus = date;
  ViewRange fetched = range(focus);
  std::cout << line(fetched) << "\n";
  for (const FcAction& act : actions) {
    bool refetch = act.kind == FcAction::Kind::refetch;
    switch (act.kind) {
      case FcAction::Kind::next: focus = focus.plus_months(1); break;
      case FcAction::Kind::prev: focus = focus.plus_months(-1); break;
      case FcAction::Kind::today: focus = now; break;
      case FcAction::Kind::go_to: focus = act.date; break;
      case FcAction::Kind::refetch:
      case FcAction::Kind::change_view: break;
    }
    ViewRange r = range(focus);
    std::optional<ViewRange> sent;
    if (refetch || !lazy || r != fetched) sent = fetched = r;
    std::cout << line(sent) << "\n";
  }
  return 0;
}

int requests(const RequestsArgs& a) {
  Date date = parse_date("--date", a.date);
  Date now = a.now.empty() ? date : parse_date("--now", a.now);
  std::vector<FcAction> actions = parse_actions(a.actions);
  std::optional<FcView> view = parse_fc_view(a.client);
  if (auto model = parse_client_model(a.client)) {
    view = fc_view_of(*model);
    if (!view) return month_aligned(a, date, now, actions);
  }
  if (!view) {
    std::string known;
    for (ClientModel m : all_client_models()) known += std::string(known.empty() ? "" : ", ") + std::string(to_string(m));
    for (FcView v : all_fc_views()) known += ", " + std::string(to_string(v));
    throw std::invalid_argument("--client: unknown client model or view '" + a.client + "' (known: " + known + ")");
  }
  FcOptions o = options_of(a);
  FcCalendar cal(*view, date, now, o);
  std::cout << line_for(cal.initial_fetch(), o) << "\n";
  for (const FcAction& act : actions) std::cout << line_for(cal.apply(act), o) << "\n";
  return 0;
}

}  // namespace

void add_requests_command(CLI::App& app, RequestsArgs& a) {
  auto* cmd = app.add_subcommand(
      "requests",
      "Print the feed requests a client makes, one raw query string per line (as on the request line):\n"
      "the initial load, then one line per action, \"(no request)\" where lazy fetching skips one.\n"
      "The model of FullCalendar 6 that every scenario's browser tabs use; tests/browser/capture.js\n"
      "checks it against real FullCalendar in Chromium. Example:\n"
      "  cachecheck requests --client dayGridMonth --date 2025-10-15 --first-day 1 \\\n"
      "      --browser-time-zone Asia/Manila --actions next,prev,view:timeGridWeek\n"
      "  start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-11-10T00%3A00%3A00%2B08%3A00\n"
      "  start=2025-10-27T00%3A00%3A00%2B08%3A00&end=2025-12-08T00%3A00%3A00%2B08%3A00\n"
      "  start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-11-10T00%3A00%3A00%2B08%3A00\n"
      "  (no request)\n"
      "Exit 0, or 2 with a one-line reason for bad input.");
  cmd->add_option("--client", a.client,
                  "A client model (fullcalendar-month = dayGridMonth, fullcalendar-week = timeGridWeek, "
                  "fullcalendar-day = timeGridDay, fullcalendar-list-month = listMonth, month-aligned = the "
                  "seed's sweep's 1st-to-last-day range) or a FullCalendar view: dayGridMonth, dayGridWeek, "
                  "dayGridDay, timeGridWeek, timeGridDay, listDay, listWeek, listMonth, listYear")
      ->required();
  cmd->add_option("--date", a.date, "initialDate, YYYY-MM-DD: the date the calendar opens on")->required();
  cmd->add_option("--now", a.now, "The browser's today, YYYY-MM-DD, where the action 'today' goes (default: --date)");
  cmd->add_option("--first-day", a.first_day, "firstDay: 0 Sunday (FullCalendar's default) … 6 Saturday")
      ->check(CLI::Range(0, 6));
  cmd->add_option("--time-zone", a.time_zone,
                  "FullCalendar's timeZone option: local (default: bounds carry the browser's offset at their own "
                  "date), UTC (bounds end in Z, and timeZone=UTC is sent), or an IANA name such as Europe/Berlin "
                  "(no time-zone plugin: bounds without offset, and timeZone=NAME is sent)");
  cmd->add_option("--browser-time-zone", a.browser_time_zone,
                  "The browser's own IANA zone (default UTC); it decides the offsets with --time-zone local, "
                  "daylight-saving changes included");
  cmd->add_option("--fixed-week-count", a.fixed_week_count,
                  "The global fixedWeekCount option, true or false (absent: FullCalendar's defaults, six weeks "
                  "on dayGridMonth only; true makes dayGridWeek and dayGridDay six weeks too)");
  cmd->add_option("--lazy-fetching", a.lazy_fetching,
                  "lazyFetching, true (default: a view inside the range last fetched fetches nothing) or false "
                  "(every date or view change fetches)");
  cmd->add_option("--extra-param", a.extra_params,
                  "KEY=VALUE of the feed's extraParams, repeatable, in order; on the wire they come before start "
                  "and end (JavaScript puts keys such as \"2\" first)");
  cmd->add_option("--actions", a.actions,
                  "Comma-separated actions after the initial load: next, prev, today, refetch (refetchEvents()), "
                  "goto:YYYY-MM-DD (gotoDate), view:NAME (changeView)");
  cmd->callback([&a] { run_verb("requests", [&a] { return requests(a); }); });
}

}  // namespace cachecheck::cli
