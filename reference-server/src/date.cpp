#include "calendar/date.h"

#include <array>
#include <chrono>
#include <cstdio>

namespace calendar {
namespace {

namespace chr = std::chrono;

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

chr::year_month_day ymd_of(std::int64_t days) {
  return chr::year_month_day{chr::sys_days{chr::days{days}}};
}

// Parses "HH:MM[:SS[.fff…]]" and returns milliseconds into the day.
std::optional<std::int64_t> parse_time_of_day(std::string_view t) {
  if (t.size() < 5 || t[2] != ':' || !all_digits(t.substr(0, 2)) || !all_digits(t.substr(3, 2)))
    return std::nullopt;
  int hh = to_int(t.substr(0, 2)), mm = to_int(t.substr(3, 2)), ss = 0, ms = 0;
  std::string_view rest = t.substr(5);
  if (!rest.empty()) {
    if (rest.size() < 3 || rest[0] != ':' || !all_digits(rest.substr(1, 2))) return std::nullopt;
    ss = to_int(rest.substr(1, 2));
    rest = rest.substr(3);
    if (!rest.empty()) {
      if (rest[0] != '.' || !all_digits(rest.substr(1)) || rest.size() > 10) return std::nullopt;
      std::string frac(rest.substr(1));
      frac.resize(3, '0');
      ms = to_int(frac);
    }
  }
  if (hh > 24 || mm > 59 || ss > 60 || (hh == 24 && (mm || ss || ms))) return std::nullopt;
  return ((hh * 60 + mm) * 60 + ss) * 1000LL + ms;
}

// Parses "Z", "±HH:MM" or "±HHMM" → offset in minutes east of UTC; "" → nullopt.
std::optional<int> parse_offset(std::string_view z, bool& ok) {
  ok = true;
  if (z.empty()) return std::nullopt;
  if (z == "Z" || z == "z") return 0;
  if (z[0] != '+' && z[0] != '-') { ok = false; return std::nullopt; }
  int sign = z[0] == '-' ? -1 : 1;
  std::string_view r = z.substr(1);
  int h = 0, m = 0;
  if (r.size() == 5 && r[2] == ':' && all_digits(r.substr(0, 2)) && all_digits(r.substr(3, 2))) {
    h = to_int(r.substr(0, 2)); m = to_int(r.substr(3, 2));
  } else if (r.size() == 4 && all_digits(r)) {
    h = to_int(r.substr(0, 2)); m = to_int(r.substr(2, 2));
  } else if (r.size() == 2 && all_digits(r)) {
    h = to_int(r);
  } else {
    ok = false; return std::nullopt;
  }
  if (h > 23 || m > 59) { ok = false; return std::nullopt; }
  return sign * (h * 60 + m);
}

struct DateTimeParts {
  Date date;
  std::int64_t ms_of_day = 0;
  std::optional<int> offset_min;
};

std::optional<DateTimeParts> parse_date_time(std::string_view text) {
  if (text.size() < 10) return std::nullopt;
  auto date = Date::parse(text.substr(0, 10));
  if (!date) return std::nullopt;
  DateTimeParts parts{*date, 0, std::nullopt};
  if (text.size() == 10) return parts;
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
  std::string_view rest = text.substr(11);
  std::size_t zpos = rest.find_first_of("Zz+-");
  std::string_view time = rest.substr(0, zpos);
  auto tod = parse_time_of_day(time);
  if (!tod) return std::nullopt;
  parts.ms_of_day = *tod;
  bool ok = true;
  parts.offset_min = parse_offset(zpos == std::string_view::npos ? "" : rest.substr(zpos), ok);
  if (!ok) return std::nullopt;
  return parts;
}

constexpr std::array<const char*, 7> kWeekdayNames{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 12> kMonthNames{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::int64_t kMsPerDay = 86'400'000;

}  // namespace

Date Date::from_ymd(int year, unsigned month, unsigned day) {
  chr::year_month_day ymd{chr::year{year}, chr::month{month}, chr::day{day}};
  return from_days(chr::sys_days{ymd}.time_since_epoch().count());
}

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!all_digits(y) || !all_digits(m) || !all_digits(d)) return std::nullopt;
  chr::year_month_day ymd{chr::year{to_int(y)}, chr::month{static_cast<unsigned>(to_int(m))},
                          chr::day{static_cast<unsigned>(to_int(d))}};
  if (!ymd.ok()) return std::nullopt;
  return from_days(chr::sys_days{ymd}.time_since_epoch().count());
}

int Date::year() const { return static_cast<int>(ymd_of(days_).year()); }
unsigned Date::month() const { return static_cast<unsigned>(ymd_of(days_).month()); }
unsigned Date::day() const { return static_cast<unsigned>(ymd_of(days_).day()); }
unsigned Date::weekday() const {
  return chr::weekday{chr::sys_days{chr::days{days_}}}.c_encoding();
}

Date Date::first_of_next_month() const { return plus_months(1); }

Date Date::plus_months(int n) const {
  auto ym = chr::year_month{ymd_of(days_).year(), ymd_of(days_).month()} + chr::months{n};
  return from_days(chr::sys_days{ym / chr::day{1}}.time_since_epoch().count());
}

std::string Date::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year(), month(), day());
  return buf;
}

std::optional<Date> parse_feed_bound(std::string_view text) {
  auto parts = parse_date_time(text);
  if (!parts) return std::nullopt;
#if CACHECHECK_MUTANT == 21  // mutant 21 (bound-in-utc): a bound with an offset is taken as its UTC date (a day early east of Greenwich)
  return date_of(parts->date.days() * kMsPerDay + parts->ms_of_day - parts->offset_min.value_or(0) * 60'000LL);
#else
  return parts->date;
#endif
}

std::optional<TimeMs> parse_instant(std::string_view text) {
  auto parts = parse_date_time(text);
  if (!parts) return std::nullopt;
  if (text.size() > 10 && !parts->offset_min) return std::nullopt;  // local time is ambiguous
  const TimeMs t = parts->date.days() * kMsPerDay + parts->ms_of_day -
                   static_cast<TimeMs>(parts->offset_min.value_or(0)) * 60'000;
  if (!is_representable(t)) return std::nullopt;
  return t;
}

Date date_of(TimeMs t) {
  std::int64_t days = t >= 0 ? t / kMsPerDay : -((-t + kMsPerDay - 1) / kMsPerDay);
  return Date::from_days(days);
}

std::string format_instant(TimeMs t) {
  Date d = date_of(t);
  std::int64_t ms = t - d.days() * kMsPerDay;
  char buf[40];
  if (ms % 1000)
    std::snprintf(buf, sizeof buf, "%sT%02lld:%02lld:%02lld.%03lldZ", d.iso().c_str(),
                  static_cast<long long>(ms / 3'600'000), static_cast<long long>(ms / 60'000 % 60),
                  static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  else
    std::snprintf(buf, sizeof buf, "%sT%02lld:%02lld:%02lldZ", d.iso().c_str(),
                  static_cast<long long>(ms / 3'600'000), static_cast<long long>(ms / 60'000 % 60),
                  static_cast<long long>(ms / 1000 % 60));
  return buf;
}

std::string format_http_date(TimeMs t) {
  Date d = date_of(t);
  std::int64_t s = (t - d.days() * kMsPerDay) / 1000;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02lld:%02lld:%02lld GMT", kWeekdayNames[d.weekday()],
                d.day(), kMonthNames[d.month() - 1], d.year(), static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return buf;
}

std::optional<TimeMs> parse_http_date(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  if (text.size() != 29 || text.substr(25) != " GMT") return std::nullopt;
  auto day = text.substr(5, 2), mon = text.substr(8, 3), year = text.substr(12, 4);
  auto hh = text.substr(17, 2), mm = text.substr(20, 2), ss = text.substr(23, 2);
  if (!all_digits(day) || !all_digits(year) || !all_digits(hh) || !all_digits(mm) || !all_digits(ss))
    return std::nullopt;
  unsigned month = 0;
  for (unsigned i = 0; i < 12; ++i)
    if (mon == kMonthNames[i]) month = i + 1;
  if (!month) return std::nullopt;
  chr::year_month_day ymd{chr::year{to_int(year)}, chr::month{month},
                          chr::day{static_cast<unsigned>(to_int(day))}};
  if (!ymd.ok()) return std::nullopt;
  std::int64_t days = chr::sys_days{ymd}.time_since_epoch().count();
  return days * kMsPerDay + ((to_int(hh) * 60 + to_int(mm)) * 60 + to_int(ss)) * 1000LL;
}

}  // namespace calendar
