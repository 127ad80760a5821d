// Time as the harness models it: civil dates, instants in milliseconds, and the
// text forms the contract uses (ISO 8601 dates and instants, HTTP dates).
//
// The harness's own implementation, written from the contracts (ISO 8601 as
// FullCalendar and the feed use it; RFC 9110 §5.6.7 IMF-fixdate): it shares no
// code with the application it judges, so a date bug in one is not hidden by
// the same bug in the other. Built on C++20's <chrono> civil calendar.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cachecheck {

// Milliseconds since the Unix epoch (UTC), on the target's clock.
using TimeMs = std::int64_t;
using UserId = int;

// A proleptic Gregorian date, stored as days since 1970-01-01.
class Date {
 public:
  constexpr Date() = default;
  static constexpr Date from_days(std::int64_t days) {
    Date d;
    d.days_ = days;
    return d;
  }
  static Date from_ymd(int year, unsigned month, unsigned day);
  // Strict "YYYY-MM-DD" of a real date (years 0000–9999); nullopt otherwise.
  static std::optional<Date> parse(std::string_view text);

  std::int64_t days() const { return days_; }
  int year() const;
  unsigned month() const;
  unsigned day() const;
  unsigned weekday() const;  // 0 = Sunday … 6 = Saturday

  Date plus_days(std::int64_t n) const { return from_days(days_ + n); }
  Date first_of_month() const;
  Date first_of_next_month() const { return plus_months(1); }
  Date last_of_month() const { return first_of_next_month().plus_days(-1); }
  Date plus_months(int n) const;  // the first of the month n months away

  std::string iso() const;  // "YYYY-MM-DD"

  friend auto operator<=>(const Date&, const Date&) = default;

 private:
  std::int64_t days_ = 0;
};

inline constexpr TimeMs kMsPerDay = 86'400'000;

// The UTC date of an instant.
Date date_of(TimeMs t);
// "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)", or "YYYY-MM-DD" (midnight UTC) → instant.
// A date-time without an offset is refused (its instant is ambiguous).
std::optional<TimeMs> parse_instant(std::string_view text);
// "2025-10-05T09:00:00Z" (milliseconds only when not zero: "…:00.250Z").
std::string format_instant(TimeMs t);
// The calendar date a date or date-time names in its own offset: "2025-09-29",
// "2025-09-29T00:00:00+08:00", "2025-09-29T00:00:00" (floating) → 2025-09-29.
std::optional<Date> date_part(std::string_view text);
// RFC 9110 §5.6.7 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string format_http_date(TimeMs t);
std::optional<TimeMs> parse_http_date(std::string_view text);

}  // namespace cachecheck
