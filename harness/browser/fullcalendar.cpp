#include "browser/fullcalendar.h"

#include "browser/name_table.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <utility>

namespace cachecheck {
namespace {

constexpr NameTable<ClientModel, 5> kNames{{{
    {ClientModel::fullcalendar_month, "fullcalendar-month"},
    {ClientModel::fullcalendar_week, "fullcalendar-week"},
    {ClientModel::fullcalendar_day, "fullcalendar-day"},
    {ClientModel::fullcalendar_list_month, "fullcalendar-list-month"},
    {ClientModel::month_aligned, "month-aligned"},
}}};

void check_first_day(int first_day) {
  if (first_day < 0 || first_day > 6)
    throw std::invalid_argument("firstDay must be 0..6, got " + std::to_string(first_day));
}

}  // namespace

std::string_view to_string(ClientModel m) { return kNames.name(m); }

std::optional<ClientModel> parse_client_model(std::string_view s) { return kNames.parse(s); }

const std::vector<ClientModel>& all_client_models() {
  static const std::vector<ClientModel> models = kNames.values();
  return models;
}

bool is_fullcalendar(ClientModel m) { return m != ClientModel::month_aligned; }

std::optional<FcView> fc_view_of(ClientModel m) {
  switch (m) {
    case ClientModel::fullcalendar_month:
      return FcView::day_grid_month;
    case ClientModel::fullcalendar_week:
      return FcView::time_grid_week;
    case ClientModel::fullcalendar_day:
      return FcView::time_grid_day;
    case ClientModel::fullcalendar_list_month:
      return FcView::list_month;
    case ClientModel::month_aligned:
      return std::nullopt;
  }
  return std::nullopt;
}

ViewRange view_range(ClientModel m, Date focus, int first_day, bool fixed_week_count) {
  check_first_day(first_day);
  if (auto view = fc_view_of(m)) {
    FcOptions o;
    o.first_day = first_day;
    o.fixed_week_count = fixed_week_count;
    return build_date_profile(*view, focus, o).active;
  }
  return {focus.first_of_month(), focus.last_of_month()};
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
  return d.iso() + "T00:00:00" + format_utc_offset(utc_offset_minutes);
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
