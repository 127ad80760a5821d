// Cache key formats, byte for byte, and the seed's 100 sweep keys.
#include <gtest/gtest.h>

#include <set>

#include "calendar/strategy.h"

using calendar::Date;
using calendar::FeedQuery;

namespace {

Date d(const char* s) { return *Date::parse(s); }

TEST(FeedKey, AbsentPartsAreNoneAsInPython) {
  EXPECT_EQ(calendar::feed_key(7, FeedQuery{}), "calendar_feed:7:None:None:None:None");
  EXPECT_EQ(calendar::feed_key(1, FeedQuery{d("2025-09-29"), d("2025-11-10"), std::nullopt, std::nullopt}),
            "calendar_feed:1:None:None:2025-09-29:2025-11-10");
  EXPECT_EQ(calendar::feed_key(2, FeedQuery{d("2025-10-01"), d("2025-10-31"), "task", "at_risk"}),
            "calendar_feed:2:task:at_risk:2025-10-01:2025-10-31");
}

TEST(FeedKey, VersionedAndVersionKeys) {
  EXPECT_EQ(calendar::versioned_feed_key(1, "0", FeedQuery{d("2025-09-29"), d("2025-11-10"), std::nullopt, "blocked"}),
            "calendar_feed:1:v0:None:blocked:2025-09-29:2025-11-10");
  EXPECT_EQ(calendar::version_key(12), "calendar_version:12");
}

std::vector<std::string> months_of(const std::vector<std::string>& keys) {
  std::vector<std::string> ranges;
  for (std::size_t i = 0; i < keys.size(); i += 25) {
    auto& k = keys[i];
    ranges.push_back(k.substr(k.size() - 21));  // "YYYY-MM-DD:YYYY-MM-DD"
  }
  return ranges;
}

TEST(SweepKeys, ExactlyTheSeedsHundredInLoopOrder) {
  auto keys = calendar::sweep_keys(1, d("2025-10-05"));
  ASSERT_EQ(keys.size(), 100u);
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), 100u);
  EXPECT_EQ(keys[0], "calendar_feed:1:None:None:2025-10-01:2025-10-31");
  EXPECT_EQ(keys[1], "calendar_feed:1:None:not_started:2025-10-01:2025-10-31");
  EXPECT_EQ(keys[5], "calendar_feed:1:project:None:2025-10-01:2025-10-31");
  EXPECT_EQ(keys[24], "calendar_feed:1:meeting:cancelled:2025-10-01:2025-10-31");
  EXPECT_EQ(keys[99], "calendar_feed:1:meeting:cancelled:2026-01-01:2026-01-31");
  EXPECT_EQ(months_of(keys), (std::vector<std::string>{"2025-10-01:2025-10-31", "2025-11-01:2025-11-30",
                                                       "2025-12-01:2025-12-31", "2026-01-01:2026-01-31"}));
}

TEST(SweepKeys, ThirtyFirstOfJanuary) {
  EXPECT_EQ(months_of(calendar::sweep_keys(3, d("2026-01-31"))),
            (std::vector<std::string>{"2026-01-01:2026-01-31", "2026-02-01:2026-02-28", "2026-03-01:2026-03-31",
                                      "2026-04-01:2026-04-30"}));
}

TEST(SweepKeys, DecemberIntoJanuary) {
  EXPECT_EQ(months_of(calendar::sweep_keys(1, d("2025-12-31"))),
            (std::vector<std::string>{"2025-12-01:2025-12-31", "2026-01-01:2026-01-31", "2026-02-01:2026-02-28",
                                      "2026-03-01:2026-03-31"}));
}

TEST(SweepKeys, FebruaryOfALeapYear) {
  EXPECT_EQ(months_of(calendar::sweep_keys(1, d("2028-02-29"))),
            (std::vector<std::string>{"2028-02-01:2028-02-29", "2028-03-01:2028-03-31", "2028-04-01:2028-04-30",
                                      "2028-05-01:2028-05-31"}));
  EXPECT_EQ(months_of(calendar::sweep_keys(1, d("2027-11-15"))),
            (std::vector<std::string>{"2027-11-01:2027-11-30", "2027-12-01:2027-12-31", "2028-01-01:2028-01-31",
                                      "2028-02-01:2028-02-29"}));
}

TEST(SweepKeys, NeverTheRangeFullCalendarAsksFor) {
  // October 2025, month view, weeks from Monday: FullCalendar asks 2025-09-29 .. 2025-11-10.
  auto fc = calendar::feed_key(1, FeedQuery{d("2025-09-29"), d("2025-11-10"), std::nullopt, std::nullopt});
  for (auto& k : calendar::sweep_keys(1, d("2025-10-05"))) EXPECT_NE(k, fc);
}

TEST(Strategies, AllSevenRegisteredInMatrixOrder) {
  EXPECT_EQ(calendar::strategy_names(),
            (std::vector<std::string>{"none", "ttl-only", "sweep", "versioned", "audience", "robust", "precise"}));
  EXPECT_EQ(calendar::make_strategy("nope"), nullptr);
  for (auto& n : calendar::strategy_names()) EXPECT_EQ(calendar::make_strategy(n)->name(), n);
}

}  // namespace
