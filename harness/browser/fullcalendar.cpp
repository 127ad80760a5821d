#include "browser/fullcalendar.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <utility>

namespace cachecheck {
namespace {


constexpr std::array<std::pair<ClientModel, std::string_view>, 5> kNames{{
    {ClientModel::fullcalendar_month, "fullcalendar-month"},
    {ClientModel::fullcalendar_week, "fullcalendar-week"},
    {ClientModel::fullcalendar_day, "fullcalendar-day"},
    {ClientModel::fullcalendar_list_month, "fullcalendar-list-month"},
    {ClientModel::month_aligned, "month-aligned"},
}};

void check_first_day(int first_day) {
  if (first_day < 0 || first_day > 6)
    throw std::invalid_argument("firstDay must be 0..6, got " + std::to_string(first_day));
}

// FullCalendar's DateEnv.startOfWeek: back to the latest day whose weekday is `first_day`.
Date start_of_week(Date d, int first_day) {
  int back = (static_cast<int>(d.weekday()) - first_day + 7) % 7;
  return d.plus_days(-back);
}

// TableDateProfileGenerator's buildDayTableRenderRange for a one-month current range.
ViewRange day_grid_month_range(Date focus, int first_day, bool fixed_week_count) {
  Date first = focus.first_of_month();
  Date start = start_of_week(first, first_day);
  Date end = focus.first_of_next_month();
  Date end_week = start_of_week(end, first_day);
  if (end_week != end) end = end_week.plus_days(7);  // snap the exclusive end to a week start
  if (fixed_week_count) {
    // rows = ceil(weeks from the last month's render start to end); pad to 6.
    std::int64_t days = end.days() - start.days();
    std::int64_t rows = (days + 6) / 7;
    end = end.plus_days((6 - rows) * 7);
  }
  return {start, end};
}

std::string format_offset(int minutes) {
  if (minutes == 0) return "Z";
  char sign = minutes < 0 ? '-' : '+';
  int a = std::abs(minutes);
  char buf[8];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, (a / 60) % 100, a % 60);
  return buf;
}

}  // namespace

std::string_view to_string(ClientModel m) {
  for (const auto& [model, name] : kNames)
    if (model == m) return name;
  return "unknown";
}

std::optional<ClientModel> parse_client_model(std::string_view s) {
  for (const auto& [model, name] : kNames)
    if (name == s) return model;
  return std::nullopt;
}

const std::vector<ClientModel>& all_client_models() {
  static const std::vector<ClientModel> models = [] {
    std::vector<ClientModel> v;
    for (const auto& entry : kNames) v.push_back(entry.first);
    return v;
  }();
  return models;
}

bool is_fullcalendar(ClientModel m) { return m != ClientModel::month_aligned; }

ViewRange view_range(ClientModel m, Date focus, int first_day, bool fixed_week_count) {
  check_first_day(first_day);
  switch (m) {
    case ClientModel::fullcalendar_month:
      return day_grid_month_range(focus, first_day, fixed_week_count);
    case ClientModel::fullcalendar_week: {
      Date start = start_of_week(focus, first_day);
      return {start, start.plus_days(7)};
    }
    case ClientModel::fullcalendar_day:
      return {focus, focus.plus_days(1)};
    case ClientModel::fullcalendar_list_month:
      return {focus.first_of_month(), focus.first_of_next_month()};
    case ClientModel::month_aligned:
      return {focus.first_of_month(), focus.last_of_month()};
  }
  throw std::invalid_argument("unknown client model");
}

Date navigate(ClientModel m, Date focus, int delta) {
  switch (m) {
    case ClientModel::fullcalendar_month:
    case ClientModel::fullcalendar_list_month:
    case ClientModel::month_aligned:
      return focus.plus_months(delta);  // the 1st of the target month
    case ClientModel::fullcalendar_week:
      return focus.plus_days(7LL * delta);
    case ClientModel::fullcalendar_day:
      return focus.plus_days(delta);
  }
  throw std::invalid_argument("unknown client model");
}

std::string wire_bound(Date d, ClientModel m, int utc_offset_minutes) {
  if (!is_fullcalendar(m)) return d.iso();
  return d.iso() + "T00:00:00" + format_offset(utc_offset_minutes);
}

std::string form_urlencode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '*' || c == '-' || c == '.' || c == '_';
    if (keep) {
      out.push_back(ch);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

std::string feed_query_string(const ViewRange& r, ClientModel m, int utc_offset_minutes,
                              const std::optional<std::string>& type,
                              const std::optional<std::string>& status) {
  return feed_query_string(r, m, utc_offset_minutes, utc_offset_minutes, type, status);
}

std::string feed_query_string(const ViewRange& r, ClientModel m, int start_offset_minutes,
                              int end_offset_minutes, const std::optional<std::string>& type,
                              const std::optional<std::string>& status) {
  std::string q = "start=" + form_urlencode(wire_bound(r.start, m, start_offset_minutes)) +
                  "&end=" + form_urlencode(wire_bound(r.end, m, end_offset_minutes));
  if (type) q += "&type=" + form_urlencode(*type);
  if (status) q += "&status=" + form_urlencode(*status);
  return q;
}

}  // namespace cachecheck
