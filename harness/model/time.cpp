#include "model/time.h"

#include <array>
#include <chrono>
#include <cstdio>

namespace cachecheck {
namespace {

namespace chr = std::chrono;

std::optional<int> digits(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

chr::year_month_day civil(std::int64_t days) { return chr::year_month_day{chr::sys_days{chr::days{days}}}; }

std::int64_t days_of(const chr::year_month_day& ymd) { return chr::sys_days{ymd}.time_since_epoch().count(); }

// A date-time's parts after "YYYY-MM-DD": the time of day in ms and the offset in
// minutes east of UTC (nullopt: none given). Accepts "THH:MM[:SS[.f…]]" then
// "Z", "±HH:MM", "±HHMM" or "±HH".
struct Clock {
  std::int64_t ms = 0;
  std::optional<int> offset_min;
};

std::optional<Clock> parse_clock(std::string_view s) {
  Clock c;
  if (s.empty()) return c;
  if (s[0] != 'T' && s[0] != 't' && s[0] != ' ') return std::nullopt;
  auto hh = digits(s, 1, 2), mm = digits(s, 4, 2);
  if (!hh || !mm || s.size() < 6 || s[3] != ':') return std::nullopt;
  std::size_t i = 6;
  int ss = 0, ms = 0;
  if (i < s.size() && s[i] == ':') {
    auto sec = digits(s, i + 1, 2);
    if (!sec) return std::nullopt;
    ss = *sec;
    i += 3;
    if (i < s.size() && s[i] == '.') {
      std::size_t start = ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      std::size_t n = i - start;
      if (n == 0 || n > 9) return std::nullopt;
      for (std::size_t k = 0; k < 3; ++k) ms = ms * 10 + (k < n ? s[start + k] - '0' : 0);
    }
  }
  if (*hh > 23 || *mm > 59 || ss > 59) return std::nullopt;
  c.ms = ((*hh * 60LL + *mm) * 60 + ss) * 1000 + ms;
  std::string_view z = s.substr(i);
  if (z.empty()) return c;
  if (z == "Z" || z == "z") {
    c.offset_min = 0;
    return c;
  }
  if (z[0] != '+' && z[0] != '-') return std::nullopt;
  int sign = z[0] == '-' ? -1 : 1;
  auto oh = digits(z, 1, 2);
  std::optional<int> om = 0;
  if (z.size() == 6 && z[3] == ':') om = digits(z, 4, 2);
  else if (z.size() == 5) om = digits(z, 3, 2);
  else if (z.size() != 3) return std::nullopt;
  if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
  c.offset_min = sign * (*oh * 60 + *om);
  return c;
}

constexpr std::array<std::string_view, 7> kDayNames{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonthNames{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

Date Date::from_ymd(int year, unsigned month, unsigned day) {
  return from_days(days_of(chr::year{year} / chr::month{month} / chr::day{day}));
}

std::optional<Date> Date::parse(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  auto y = digits(t, 0, 4), m = digits(t, 5, 2), d = digits(t, 8, 2);
  if (!y || !m || !d) return std::nullopt;
  chr::year_month_day ymd{chr::year{*y}, chr::month{static_cast<unsigned>(*m)}, chr::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return from_days(days_of(ymd));
}

int Date::year() const { return static_cast<int>(civil(days_).year()); }
unsigned Date::month() const { return static_cast<unsigned>(civil(days_).month()); }
unsigned Date::day() const { return static_cast<unsigned>(civil(days_).day()); }
unsigned Date::weekday() const { return chr::weekday{chr::sys_days{chr::days{days_}}}.c_encoding(); }

Date Date::first_of_month() const {
  auto ymd = civil(days_);
  return from_days(days_of(ymd.year() / ymd.month() / chr::day{1}));
}

Date Date::plus_months(int n) const {
  auto ymd = civil(days_);
  auto ym = chr::year_month{ymd.year(), ymd.month()} + chr::months{n};
  return from_days(days_of(ym / chr::day{1}));
}

std::string Date::iso() const {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year(), month(), day());
  return buf;
}

Date date_of(TimeMs t) {
  std::int64_t d = t / kMsPerDay;
  if (t % kMsPerDay < 0) --d;  // floor, for instants before 1970
  return Date::from_days(d);
}

std::optional<Date> date_part(std::string_view text) {
  if (text.size() < 10) return std::nullopt;
  auto d = Date::parse(text.substr(0, 10));
  if (!d || !parse_clock(text.substr(10))) return std::nullopt;
  return d;
}

std::optional<TimeMs> parse_instant(std::string_view text) {
  if (text.size() < 10) return std::nullopt;
  auto d = Date::parse(text.substr(0, 10));
  auto c = parse_clock(text.substr(10));
  if (!d || !c) return std::nullopt;
  if (text.size() > 10 && !c->offset_min) return std::nullopt;
  return d->days() * kMsPerDay + c->ms - static_cast<TimeMs>(c->offset_min.value_or(0)) * 60'000;
}

std::string format_instant(TimeMs t) {
  Date d = date_of(t);
  TimeMs ms = t - d.days() * kMsPerDay;
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d", d.iso().c_str(), static_cast<int>(ms / 3'600'000),
                        static_cast<int>(ms / 60'000 % 60), static_cast<int>(ms / 1000 % 60));
  if (ms % 1000) std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), ".%03dZ", static_cast<int>(ms % 1000));
  else std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), "Z");
  return buf;
}

std::string format_http_date(TimeMs t) {
  Date d = date_of(t);
  TimeMs s = (t - d.days() * kMsPerDay) / 1000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT", kDayNames[d.weekday()].data(), d.day(),
                kMonthNames[d.month() - 1].data(), d.year(), static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60),
                static_cast<int>(s % 60));
  return buf;
}

std::optional<TimeMs> parse_http_date(std::string_view t) {
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  if (t.size() != 29 || t.substr(3, 2) != ", " || t[7] != ' ' || t[11] != ' ' || t[16] != ' ' || t[19] != ':' ||
      t[22] != ':' || t.substr(25) != " GMT")
    return std::nullopt;
  unsigned month = 0;
  for (unsigned i = 0; i < kMonthNames.size(); ++i)
    if (t.substr(8, 3) == kMonthNames[i]) month = i + 1;
  auto day = digits(t, 5, 2), year = digits(t, 12, 4), hh = digits(t, 17, 2), mm = digits(t, 20, 2),
       ss = digits(t, 23, 2);
  if (!month || !day || !year || !hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 60) return std::nullopt;
  chr::year_month_day ymd{chr::year{*year}, chr::month{month}, chr::day{static_cast<unsigned>(*day)}};
  if (!ymd.ok()) return std::nullopt;
  return days_of(ymd) * kMsPerDay + ((*hh * 60LL + *mm) * 60 + *ss) * 1000;
}

}  // namespace cachecheck
