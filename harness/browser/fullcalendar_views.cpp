#include "browser/fullcalendar_views.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <stdexcept>

#include "browser/fullcalendar.h"
#include "browser/name_table.h"
#include "browser/time_zone.h"

namespace cachecheck {
namespace {

constexpr NameTable<FcView, 9> kViews{{{
    {FcView::day_grid_month, "dayGridMonth"},
    {FcView::day_grid_week, "dayGridWeek"},
    {FcView::day_grid_day, "dayGridDay"},
    {FcView::time_grid_week, "timeGridWeek"},
    {FcView::time_grid_day, "timeGridDay"},
    {FcView::list_day, "listDay"},
    {FcView::list_week, "listWeek"},
    {FcView::list_month, "listMonth"},
    {FcView::list_year, "listYear"},
}}};

// The view's duration, which is also its unit (every view here lasts one unit).
FcUnit unit_of(FcView v) {
  switch (v) {
    case FcView::day_grid_month:
    case FcView::list_month:
      return FcUnit::month;
    case FcView::day_grid_week:
    case FcView::time_grid_week:
    case FcView::list_week:
      return FcUnit::week;
    case FcView::day_grid_day:
    case FcView::time_grid_day:
    case FcView::list_day:
      return FcUnit::day;
    case FcView::list_year:
      return FcUnit::year;
  }
  throw std::invalid_argument("unknown view");
}

bool is_day_grid(FcView v) {
  return v == FcView::day_grid_month || v == FcView::day_grid_week || v == FcView::day_grid_day;
}

// DateEnv.startOfWeek: back to the latest day whose weekday is firstDay.
Date start_of_week(Date d, int first_day) {
  int back = (static_cast<int>(d.weekday()) - first_day + 7) % 7;
  return d.plus_days(-back);
}

// DateEnv.startOf(date, unit).
Date start_of(Date d, FcUnit u, int first_day) {
  switch (u) {
    case FcUnit::day:
      return d;
    case FcUnit::week:
      return start_of_week(d, first_day);
    case FcUnit::month:
      return d.first_of_month();
    case FcUnit::year:
      return Date::from_ymd(d.year(), 1, 1);
  }
  throw std::invalid_argument("unknown unit");
}

// DateEnv.add(start, n units) for a start at the start of its unit.
Date add_units(Date start, FcUnit u, int n) {
  switch (u) {
    case FcUnit::day:
      return start.plus_days(n);
    case FcUnit::week:
      return start.plus_days(7LL * n);
    case FcUnit::month:
      return start.plus_months(n);
    case FcUnit::year:
      return start.plus_months(12 * n);
  }
  throw std::invalid_argument("unknown unit");
}

// buildDayTableRenderRange.
ViewRange day_table_render_range(ViewRange current, FcUnit u, bool fixed_week_count, int first_day) {
  ViewRange r = current;
  if (u == FcUnit::month || u == FcUnit::year) {  // snapToWeek
    r.start = start_of_week(r.start, first_day);
    Date end_of_week = start_of_week(r.end, first_day);
    if (end_of_week != r.end) r.end = end_of_week.plus_days(7);
  }
  if (fixed_week_count) {  // six rows from the week holding the 1st of the last month
    Date last_month_start = start_of_week(current.end.plus_days(-1).first_of_month(), first_day);
    std::int64_t rows = (r.end.days() - last_month_start.days() + 6) / 7;  // ceil
    r.end = r.end.plus_days((6 - rows) * 7);
  }
  return r;
}

bool contains(const ViewRange& r, Date d) { return r.start <= d && d < r.end; }

// A JavaScript object's own string keys in property order: array indices ("0" … "4294967294",
// no leading zeros) ascending, then the others in insertion order.
bool is_array_index(const std::string& k) {
  if (k.empty() || k.size() > 10 || (k.size() > 1 && k[0] == '0')) return false;
  if (!std::all_of(k.begin(), k.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  return std::stoull(k) < 4294967295ULL;
}

struct JsObject {
  std::vector<std::pair<std::string, std::string>> props;
  void set(const std::string& k, const std::string& v) {
    auto it = std::find_if(props.begin(), props.end(), [&](const auto& p) { return p.first == k; });
    if (it != props.end()) it->second = v;
    else props.emplace_back(k, v);
  }
  std::vector<std::pair<std::string, std::string>> in_property_order() const {
    auto out = props;
    std::stable_partition(out.begin(), out.end(), [](const auto& p) { return is_array_index(p.first); });
    auto named = std::find_if(out.begin(), out.end(), [](const auto& p) { return !is_array_index(p.first); });
    std::sort(out.begin(), named, [](const auto& a, const auto& b) { return std::stoull(a.first) < std::stoull(b.first); });
    return out;
  }
};

}  // namespace

std::string_view to_string(FcView v) { return kViews.name(v); }

std::optional<FcView> parse_fc_view(std::string_view s) { return kViews.parse(s); }

const std::vector<FcView>& all_fc_views() {
  static const std::vector<FcView> views = kViews.values();
  return views;
}

FcTimeZone FcTimeZone::parse(std::string_view option) {
  if (option == "local") return {Mode::local, ""};
  if (option == "UTC") return {Mode::utc, ""};
  return {Mode::named, std::string(option)};
}

std::string FcTimeZone::option() const {
  switch (mode) {
    case Mode::local:
      return "local";
    case Mode::utc:
      return "UTC";
    case Mode::named:
      return name;
  }
  return "local";
}

std::string format_utc_offset(int minutes) {
  if (minutes == 0) return "Z";
  int a = std::abs(minutes);
  std::string h = std::to_string(a / 60), m = std::to_string(a % 60);
  return std::string(minutes < 0 ? "-" : "+") + (h.size() < 2 ? "0" : "") + h + ":" + (m.size() < 2 ? "0" : "") + m;
}

bool fixed_week_count_for(FcView v, const FcOptions& o) {
  for (const auto& [view, value] : o.view_fixed_week_count)
    if (view == v) return value;
  if (o.fixed_week_count) return *o.fixed_week_count;
  return v == FcView::day_grid_month;
}

DateProfile build_date_profile(FcView v, Date date, const FcOptions& o) {
  if (o.first_day < 0 || o.first_day > 6)
    throw std::invalid_argument("firstDay must be 0..6, got " + std::to_string(o.first_day));
  FcUnit u = unit_of(v);
  Date start = start_of(date, u, o.first_day);
  ViewRange current{start, add_units(start, u, 1)};
  ViewRange render = is_day_grid(v) ? day_table_render_range(current, u, fixed_week_count_for(v, o), o.first_day) : current;
  return {current, render, u};
}

std::string format_bound(Date d, const FcOptions& o) {
  std::string s = d.iso() + "T00:00:00";
  switch (o.time_zone.mode) {
    case FcTimeZone::Mode::local:
      return s + format_utc_offset(midnight_offset_minutes(o.browser_time_zone, d));
    case FcTimeZone::Mode::utc:
      return s + "Z";
    case FcTimeZone::Mode::named:
      return s;  // no time-zone plugin: the offset is unknown, so none is written
  }
  return s;
}

std::string fc_query_string(const ViewRange& r, const FcOptions& o) {
  JsObject params;
  for (const auto& [k, v] : o.extra_params) params.set(k, v);
  params.set(o.start_param, format_bound(r.start, o));
  params.set(o.end_param, format_bound(r.end, o));
  if (o.time_zone.mode != FcTimeZone::Mode::local) params.set(o.time_zone_param, o.time_zone.option());
  std::string q;
  for (const auto& [k, v] : params.in_property_order()) {
    if (!q.empty()) q += '&';
    q += form_urlencode(k) + "=" + form_urlencode(v);
  }
  return q;
}

std::optional<FcAction> parse_fc_action(std::string_view s) {
  using K = FcAction::Kind;
  if (s == "next") return FcAction{K::next, {}, {}};
  if (s == "prev") return FcAction{K::prev, {}, {}};
  if (s == "today") return FcAction{K::today, {}, {}};
  if (s == "refetch") return FcAction{K::refetch, {}, {}};
  if (s.starts_with("goto:")) {
    auto d = Date::parse(s.substr(5));
    if (!d) return std::nullopt;
    return FcAction{K::go_to, *d, {}};
  }
  if (s.starts_with("view:")) {
    auto v = parse_fc_view(s.substr(5));
    if (!v) return std::nullopt;
    return FcAction{K::change_view, {}, *v};
  }
  return std::nullopt;
}

std::string to_string(const FcAction& a) {
  switch (a.kind) {
    case FcAction::Kind::next:
      return "next";
    case FcAction::Kind::prev:
      return "prev";
    case FcAction::Kind::today:
      return "today";
    case FcAction::Kind::refetch:
      return "refetch";
    case FcAction::Kind::go_to:
      return "goto:" + a.date.iso();
    case FcAction::Kind::change_view:
      return "view:" + std::string(to_string(a.view));
  }
  return "?";
}

FcCalendar::FcCalendar(FcView view, Date initial, Date now, FcOptions options)
    : view_(view), now_(now), current_date_(initial), options_(std::move(options)) {
  profile_ = build_date_profile(view_, initial, options_);
  if (!contains(profile_.active, current_date_)) current_date_ = profile_.current.start;
  initial_fetch_ = fetch();
}

std::optional<ViewRange> FcCalendar::apply(const FcAction& a) {
  switch (a.kind) {
    case FcAction::Kind::next:
    case FcAction::Kind::prev: {
      int n = a.kind == FcAction::Kind::next ? 1 : -1;
      Date to = add_units(start_of(current_date_, profile_.unit, options_.first_day), profile_.unit, n);
      profile_ = build_date_profile(view_, to, options_);
      current_date_ = profile_.current.start;
      return fetch_if_dirty();
    }
    case FcAction::Kind::today:
      return change_date(now_);
    case FcAction::Kind::go_to:
      return change_date(a.date);
    case FcAction::Kind::change_view:
      view_ = a.view;
      return change_date(current_date_);
    case FcAction::Kind::refetch:
      return fetch();
  }
  throw std::invalid_argument("unknown action");
}

std::optional<ViewRange> FcCalendar::change_date(Date d) {
  current_date_ = d;
  profile_ = build_date_profile(view_, d, options_);
  if (!contains(profile_.current, current_date_)) current_date_ = profile_.current.start;
  return fetch_if_dirty();
}

std::optional<ViewRange> FcCalendar::fetch_if_dirty() {
  const ViewRange& a = profile_.active;
  bool dirty = !options_.lazy_fetching || !fetched_ || a.start < fetched_->start || a.end > fetched_->end;
  if (!dirty) return std::nullopt;
  return fetch();
}

std::optional<ViewRange> FcCalendar::fetch() {
  fetched_ = profile_.active;
  return fetched_;
}

}  // namespace cachecheck
