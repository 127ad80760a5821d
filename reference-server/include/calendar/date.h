// Civil dates and ISO 8601 parsing for the calendar feed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace calendar {

// A proleptic Gregorian calendar date, stored as days since 1970-01-01.
class Date {
 public:
  constexpr Date() = default;
  static Date from_days(std::int64_t days) { Date d; d.days_ = days; return d; }
  static Date from_ymd(int year, unsigned month, unsigned day);
  // Strict "YYYY-MM-DD"; nullopt when malformed or not a real date.
  static std::optional<Date> parse(std::string_view text);

  std::int64_t days() const { return days_; }
  int year() const;
  unsigned month() const;
  unsigned day() const;
  // 0 = Sunday … 6 = Saturday.
  unsigned weekday() const;

  Date plus_days(std::int64_t n) const { return from_days(days_ + n); }
  Date first_of_month() const { return from_ymd(year(), month(), 1); }
  Date first_of_next_month() const;
  Date last_of_month() const { return first_of_next_month().plus_days(-1); }
  Date plus_months(int n) const;  // first of the month n months away

  std::string iso() const;  // "YYYY-MM-DD"

  friend auto operator<=>(const Date&, const Date&) = default;

 private:
  std::int64_t days_ = 0;
};

// The calendar date of a feed bound: "YYYY-MM-DD", or a date-time
// "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM]". The date is read in the
// offset the value carries, so it is simply the date part once validated.
std::optional<Date> parse_feed_bound(std::string_view text);

// Milliseconds since the Unix epoch (UTC).
using TimeMs = std::int64_t;

// The instants whose UTC year has four digits, 0000-01-01T00:00:00Z to
// 9999-12-31T23:59:59.999Z: what ISO 8601 text and an IMF-fixdate (RFC 9110
// §5.6.7, `4DIGIT` year) can carry, so what the server prints and reads back.
inline constexpr TimeMs kFirstInstant = -719'528LL * 86'400'000;
inline constexpr TimeMs kLastInstant = 2'932'897LL * 86'400'000 - 1;
constexpr bool is_representable(TimeMs t) { return t >= kFirstInstant && t <= kLastInstant; }

// "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)" or "YYYY-MM-DD" (midnight UTC) → instant;
// nullopt also when the instant is not representable (e.g. 0000-01-01T00:00+01:00).
std::optional<TimeMs> parse_instant(std::string_view text);
std::string format_instant(TimeMs t);       // "2025-10-05T09:00:00Z"
std::string format_http_date(TimeMs t);     // IMF-fixdate, RFC 9110 §5.6.7
std::optional<TimeMs> parse_http_date(std::string_view text);
Date date_of(TimeMs t);                     // UTC calendar date

}  // namespace calendar
