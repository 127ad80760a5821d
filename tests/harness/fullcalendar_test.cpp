// The client-model ranges: what FullCalendar v6 (and the seed's month-aligned client) ask for.
#include "browser/fullcalendar.h"
#include "browser/query_string.h"
#include "browser/tab.h"
#include "calendar/date.h"

#include <set>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

namespace cachecheck {
namespace {

Date d(int y, unsigned m, unsigned day) { return Date::from_ymd(y, m, day); }

constexpr auto kMonth = ClientModel::fullcalendar_month;
constexpr auto kWeek = ClientModel::fullcalendar_week;
constexpr auto kDay = ClientModel::fullcalendar_day;
constexpr auto kList = ClientModel::fullcalendar_list_month;
constexpr auto kAligned = ClientModel::month_aligned;

void expect_range(const ViewRange& r, Date start, Date end) {
  EXPECT_EQ(r.start.iso(), start.iso());
  EXPECT_EQ(r.end.iso(), end.iso());
}

std::int64_t length(const ViewRange& r) { return r.end.days() - r.start.days(); }

// ---- names ---------------------------------------------------------------------------------

TEST(ClientModelNames, ContractNamesRoundTrip) {
  EXPECT_EQ(to_string(kMonth), "fullcalendar-month");
  EXPECT_EQ(to_string(kWeek), "fullcalendar-week");
  EXPECT_EQ(to_string(kDay), "fullcalendar-day");
  EXPECT_EQ(to_string(kList), "fullcalendar-list-month");
  EXPECT_EQ(to_string(kAligned), "month-aligned");
  std::set<std::string> names;
  for (ClientModel m : all_client_models()) {
    names.insert(std::string(to_string(m)));
    EXPECT_EQ(parse_client_model(to_string(m)), m);
  }
  EXPECT_EQ(all_client_models().size(), 5u);
  EXPECT_EQ(names.size(), 5u);
}

TEST(ClientModelNames, UnknownNamesAreRejected) {
  EXPECT_FALSE(parse_client_model(""));
  EXPECT_FALSE(parse_client_model("dayGridMonth"));
  EXPECT_FALSE(parse_client_model("fullcalendar_month"));
  EXPECT_FALSE(parse_client_model("FullCalendar-Month"));
  EXPECT_FALSE(parse_client_model("fullcalendar-month "));
}

TEST(ClientModelNames, OnlyMonthAlignedIsNotFullCalendar) {
  for (ClientModel m : all_client_models()) EXPECT_EQ(is_fullcalendar(m), m != kAligned);
}

// ---- dayGridMonth --------------------------------------------------------------------------

TEST(MonthView, October2025MondayFirstIsTheFieldNotesRange) {
  // The range in the field notes: start=2025-09-29…&end=2025-11-10… (weeks start on Monday).
  expect_range(view_range(kMonth, d(2025, 10, 1), 1), d(2025, 9, 29), d(2025, 11, 10));
  // Any focus inside the month gives the same range.
  expect_range(view_range(kMonth, d(2025, 10, 17), 1), d(2025, 9, 29), d(2025, 11, 10));
  expect_range(view_range(kMonth, d(2025, 10, 31), 1), d(2025, 9, 29), d(2025, 11, 10));
}

TEST(MonthView, October2025SundayFirst) {
  expect_range(view_range(kMonth, d(2025, 10, 1), 0), d(2025, 9, 28), d(2025, 11, 9));
}

TEST(MonthView, February2026StartsOnSundayAndStillShowsSixWeeks) {
  ASSERT_EQ(d(2026, 2, 1).weekday(), 0u);  // a Sunday: four whole weeks would do
  ViewRange sun = view_range(kMonth, d(2026, 2, 10), 0);
  expect_range(sun, d(2026, 2, 1), d(2026, 3, 15));
  EXPECT_EQ(length(sun), 42);
  ViewRange mon = view_range(kMonth, d(2026, 2, 10), 1);
  expect_range(mon, d(2026, 1, 26), d(2026, 3, 9));
  EXPECT_EQ(length(mon), 42);
}

TEST(MonthView, LeapFebruary2024) {
  // 2024-02-01 is a Thursday.
  expect_range(view_range(kMonth, d(2024, 2, 29), 1), d(2024, 1, 29), d(2024, 3, 11));
  expect_range(view_range(kMonth, d(2024, 2, 29), 0), d(2024, 1, 28), d(2024, 3, 10));
}

TEST(MonthView, December2025AndNavigatingToJanuary2026) {
  // 2025-12-01 is a Monday: with firstDay 1 the range starts on the 1st itself.
  expect_range(view_range(kMonth, d(2025, 12, 1), 1), d(2025, 12, 1), d(2026, 1, 12));
  expect_range(view_range(kMonth, d(2025, 12, 1), 0), d(2025, 11, 30), d(2026, 1, 11));
  Date next = navigate(kMonth, d(2025, 12, 15), 1);
  EXPECT_EQ(next.iso(), "2026-01-01");
  expect_range(view_range(kMonth, next, 1), d(2025, 12, 29), d(2026, 2, 9));
  expect_range(view_range(kMonth, next, 0), d(2025, 12, 28), d(2026, 2, 8));
  // And back.
  EXPECT_EQ(navigate(kMonth, next, -1).iso(), "2025-12-01");
}

TEST(MonthView, FixedWeekCountFalseShowsOnlyTheWeeksNeeded) {
  // October 2025, Monday first: Sep 29 … Nov 2 is five weeks.
  ViewRange oct = view_range(kMonth, d(2025, 10, 1), 1, false);
  expect_range(oct, d(2025, 9, 29), d(2025, 11, 3));
  EXPECT_EQ(length(oct), 35);
  // February 2026, Sunday first: exactly four weeks, end exclusive on March 1st.
  ViewRange feb = view_range(kMonth, d(2026, 2, 1), 0, false);
  expect_range(feb, d(2026, 2, 1), d(2026, 3, 1));
  EXPECT_EQ(length(feb), 28);
  // February 2026, Monday first: five weeks.
  expect_range(view_range(kMonth, d(2026, 2, 1), 1, false), d(2026, 1, 26), d(2026, 3, 2));
  // November 2025, Sunday first needs six weeks anyway: the same range as with fixedWeekCount.
  ASSERT_EQ(d(2025, 11, 1).weekday(), 6u);
  expect_range(view_range(kMonth, d(2025, 11, 1), 0, false), d(2025, 10, 26), d(2025, 12, 7));
  EXPECT_EQ(view_range(kMonth, d(2025, 11, 1), 0, false), view_range(kMonth, d(2025, 11, 1), 0));
}

TEST(MonthView, OtherFirstDays) {
  // firstDay 6 (Saturday, e.g. some locales): October 2025 starts on a Wednesday.
  ViewRange sat = view_range(kMonth, d(2025, 10, 1), 6);
  expect_range(sat, d(2025, 9, 27), d(2025, 11, 8));
  EXPECT_THROW(view_range(kMonth, d(2025, 10, 1), 7), std::invalid_argument);
  EXPECT_THROW(view_range(kWeek, d(2025, 10, 1), -1), std::invalid_argument);
}

// ---- week and day views --------------------------------------------------------------------

TEST(WeekView, TheWeekHoldingTheFocusPerFirstDay) {
  // 2025-10-15 is a Wednesday.
  expect_range(view_range(kWeek, d(2025, 10, 15), 1), d(2025, 10, 13), d(2025, 10, 20));
  expect_range(view_range(kWeek, d(2025, 10, 15), 0), d(2025, 10, 12), d(2025, 10, 19));
  // The focus on the first day of the week, and on the last.
  expect_range(view_range(kWeek, d(2025, 10, 13), 1), d(2025, 10, 13), d(2025, 10, 20));
  expect_range(view_range(kWeek, d(2025, 10, 19), 1), d(2025, 10, 13), d(2025, 10, 20));
  expect_range(view_range(kWeek, d(2025, 10, 19), 0), d(2025, 10, 19), d(2025, 10, 26));
  // Across a year boundary.
  expect_range(view_range(kWeek, d(2025, 12, 31), 1), d(2025, 12, 29), d(2026, 1, 5));
  // fixedWeekCount does not apply.
  EXPECT_EQ(view_range(kWeek, d(2025, 10, 15), 1, false), view_range(kWeek, d(2025, 10, 15), 1));
}

TEST(WeekView, NavigationMovesSevenDays) {
  Date next = navigate(kWeek, d(2025, 10, 15), 1);
  EXPECT_EQ(next.iso(), "2025-10-22");
  expect_range(view_range(kWeek, next, 1), d(2025, 10, 20), d(2025, 10, 27));
  Date prev = navigate(kWeek, d(2025, 10, 15), -2);
  EXPECT_EQ(prev.iso(), "2025-10-01");
  expect_range(view_range(kWeek, prev, 1), d(2025, 9, 29), d(2025, 10, 6));
}

TEST(DayView, TheDayWithAnExclusiveEnd) {
  expect_range(view_range(kDay, d(2025, 10, 15), 1), d(2025, 10, 15), d(2025, 10, 16));
  expect_range(view_range(kDay, d(2025, 12, 31), 0), d(2025, 12, 31), d(2026, 1, 1));
  EXPECT_EQ(navigate(kDay, d(2024, 3, 1), -1).iso(), "2024-02-29");
  EXPECT_EQ(navigate(kDay, d(2025, 12, 31), 1).iso(), "2026-01-01");
}

// ---- listMonth and month-aligned -----------------------------------------------------------

TEST(ListMonthView, FirstToFirstOfNextMonth) {
  expect_range(view_range(kList, d(2025, 10, 17), 1), d(2025, 10, 1), d(2025, 11, 1));
  expect_range(view_range(kList, d(2025, 12, 5), 0), d(2025, 12, 1), d(2026, 1, 1));
  expect_range(view_range(kList, d(2024, 2, 29), 1), d(2024, 2, 1), d(2024, 3, 1));
  // No week padding, whatever firstDay is.
  EXPECT_EQ(view_range(kList, d(2025, 10, 17), 0), view_range(kList, d(2025, 10, 17), 1));
  EXPECT_EQ(navigate(kList, d(2025, 12, 31), 1).iso(), "2026-01-01");
  EXPECT_EQ(navigate(kList, d(2026, 1, 31), 1).iso(), "2026-02-01");  // no day overflow
}

TEST(MonthAligned, TheSeedsAssumedRange) {
  expect_range(view_range(kAligned, d(2025, 10, 15), 1), d(2025, 10, 1), d(2025, 10, 31));
  expect_range(view_range(kAligned, d(2026, 2, 1), 0), d(2026, 2, 1), d(2026, 2, 28));
  expect_range(view_range(kAligned, d(2024, 2, 10), 0), d(2024, 2, 1), d(2024, 2, 29));
  EXPECT_EQ(navigate(kAligned, d(2025, 10, 15), -1).iso(), "2025-09-01");
  EXPECT_EQ(navigate(kAligned, d(2025, 1, 15), -13).iso(), "2023-12-01");
  // Plain dates on the wire, whatever the browser's offset: the seed's sweep keys.
  EXPECT_EQ(wire_bound(d(2025, 10, 31), kAligned, 480), "2025-10-31");
  EXPECT_EQ(feed_query_string(view_range(kAligned, d(2025, 10, 15), 1), kAligned, 480),
            "start=2025-10-01&end=2025-10-31");
}

TEST(MonthAligned, NoFullCalendarViewEverAsksForIt) {
  // The seed's bug in one line: the month-aligned range is no view's range.
  for (int first_day : {0, 1}) {
    for (Date focus = d(2025, 1, 1); focus < d(2027, 1, 1); focus = focus.plus_days(1)) {
      ViewRange aligned = view_range(kAligned, focus, first_day);
      for (ClientModel m : all_client_models()) {
        if (m == kAligned) continue;
        EXPECT_NE(view_range(m, focus, first_day), aligned);
        EXPECT_NE(view_range(m, focus, first_day, false), aligned);
      }
    }
  }
}

// ---- wire format ---------------------------------------------------------------------------

TEST(WireBound, FullCalendarWritesMidnightWithTheLocalOffset) {
  Date sep29 = d(2025, 9, 29);
  EXPECT_EQ(wire_bound(sep29, kMonth, 480), "2025-09-29T00:00:00+08:00");
  EXPECT_EQ(wire_bound(sep29, kMonth, -300), "2025-09-29T00:00:00-05:00");
  EXPECT_EQ(wire_bound(sep29, kMonth, 330), "2025-09-29T00:00:00+05:30");
  EXPECT_EQ(wire_bound(sep29, kMonth, -210), "2025-09-29T00:00:00-03:30");
  EXPECT_EQ(wire_bound(sep29, kMonth, 345), "2025-09-29T00:00:00+05:45");
  EXPECT_EQ(wire_bound(sep29, kMonth, 840), "2025-09-29T00:00:00+14:00");
  // Offset 0: buildIsoString keeps toISOString's "Z".
  EXPECT_EQ(wire_bound(sep29, kMonth, 0), "2025-09-29T00:00:00Z");
  for (ClientModel m : {kWeek, kDay, kList})
    EXPECT_EQ(wire_bound(sep29, m, 480), "2025-09-29T00:00:00+08:00");
}

TEST(WireBound, ParsesBackToTheSameDateAndLocalMidnight) {
  for (int offset : {480, -300, 330, 0, -720, 840}) {
    for (ClientModel m : all_client_models()) {
      Date day = d(2025, 11, 10);
      std::string s = wire_bound(day, m, offset);
      std::int64_t expected = day.days() * 86'400'000LL -
                              (is_fullcalendar(m) ? offset * 60'000LL : 0);
      // The harness's own reading (model/time.h): the date in its own offset, the instant.
      auto date = date_part(s);
      ASSERT_TRUE(date) << s;
      EXPECT_EQ(*date, day) << s;
      auto instant = parse_instant(s);
      ASSERT_TRUE(instant) << s;
      EXPECT_EQ(*instant, expected) << s;
      // And the reference server's, which shares no code with it: both read the same.
      auto parsed = calendar::parse_feed_bound(s);
      ASSERT_TRUE(parsed) << s;
      EXPECT_EQ(parsed->iso(), day.iso()) << s;
      auto server_instant = calendar::parse_instant(s);
      ASSERT_TRUE(server_instant) << s;
      EXPECT_EQ(*server_instant, expected) << s;
    }
  }
}

TEST(FormUrlencode, LikeUrlSearchParams) {
  EXPECT_EQ(form_urlencode("2025-09-29T00:00:00+08:00"), "2025-09-29T00%3A00%3A00%2B08%3A00");
  EXPECT_EQ(form_urlencode("azAZ09*-._"), "azAZ09*-._");
  EXPECT_EQ(form_urlencode("a b"), "a+b");
  EXPECT_EQ(form_urlencode("~!'()&=/?#%"), "%7E%21%27%28%29%26%3D%2F%3F%23%25");
  EXPECT_EQ(form_urlencode("\xC3\xBC"), "%C3%BC");  // "ü" in UTF-8
  EXPECT_EQ(form_urlencode(""), "");
}

TEST(FeedQueryString, TheFieldNotesExample) {
  ViewRange oct = view_range(kMonth, d(2025, 10, 1), 1);
  EXPECT_EQ(feed_query_string(oct, kMonth, 480, "task"),
            "start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-11-10T00%3A00%3A00%2B08%3A00"
            "&type=task");
  EXPECT_EQ(feed_query_string(oct, kMonth, 480),
            "start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-11-10T00%3A00%3A00%2B08%3A00");
  EXPECT_EQ(feed_query_string(oct, kMonth, 480, std::nullopt, "in progress"),
            "start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-11-10T00%3A00%3A00%2B08%3A00"
            "&status=in+progress");
  EXPECT_EQ(feed_query_string(oct, kMonth, 480, "activity", "completed"),
            "start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-11-10T00%3A00%3A00%2B08%3A00"
            "&type=activity&status=completed");
}

TEST(FeedQueryString, NegativeZeroAndFractionalOffsets) {
  ViewRange day = view_range(kDay, d(2025, 10, 15), 1);
  EXPECT_EQ(feed_query_string(day, kDay, -300),
            "start=2025-10-15T00%3A00%3A00-05%3A00&end=2025-10-16T00%3A00%3A00-05%3A00");
  EXPECT_EQ(feed_query_string(day, kDay, 0),
            "start=2025-10-15T00%3A00%3A00Z&end=2025-10-16T00%3A00%3A00Z");
  EXPECT_EQ(feed_query_string(day, kDay, 330),
            "start=2025-10-15T00%3A00%3A00%2B05%3A30&end=2025-10-16T00%3A00%3A00%2B05%3A30");
}

TEST(FeedQueryString, RangeAcrossADaylightSavingChangeMixesOffsets) {
  // New York, October 2025 with Sunday first: Sep 28 is EDT (-04:00), Nov 9 is EST (-05:00).
  ViewRange oct = view_range(kMonth, d(2025, 10, 1), 0);
  EXPECT_EQ(feed_query_string(oct, kMonth, -240, -300, "task"),
            "start=2025-09-28T00%3A00%3A00-04%3A00&end=2025-11-09T00%3A00%3A00-05%3A00"
            "&type=task");
}

TEST(FeedQueryString, DifferentViewsOfTheSameMonthAreDifferentRequests) {
  Date focus = d(2025, 10, 15);
  std::set<std::string> queries;
  for (ClientModel m : all_client_models())
    for (int first_day : {0, 1}) queries.insert(feed_query_string(view_range(m, focus, first_day), m, 480));
  // month ×2, week ×2, day ×1 (firstDay-independent), list ×1, aligned ×1.
  EXPECT_EQ(queries.size(), 7u);
}

// ---- a tab (browser/tab.h): what it asks for and what it shows from memory ----------------

Tab month_tab(int offset = 480) {
  Tab t;
  t.name = "alice-1";
  t.user = 1;
  t.setup = TabSetup{kMonth, 1, offset, d(2025, 10, 15)};
  t.focus = t.setup.focus;
  return t;
}

ShownEvent event(const std::string& id, Date start, Date end) {
  return ShownEvent{id, "Item " + id, "task", "in_progress", start, end, std::nullopt};
}

TEST(Tab, AsksForItsViewsRangeWithTheBrowsersOffsetAndItsFilter) {
  Tab t = month_tab();
  EXPECT_EQ(t.query_string(), "start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-11-10T00%3A00%3A00%2B08%3A00");
  EXPECT_EQ(t.query(), (Query{d(2025, 9, 29), d(2025, 11, 10), std::nullopt, std::nullopt}));
  t.type = "task";
  t.status = "in_progress";
  EXPECT_EQ(t.query_string(), "start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-11-10T00%3A00%3A00%2B08%3A00"
                              "&type=task&status=in_progress");
  EXPECT_EQ(t.query(), (Query{d(2025, 9, 29), d(2025, 11, 10), "task", "in_progress"}));
}

TEST(Tab, LazyFetchingCoversOnlyTheRangeAndFilterItFetched) {
  Tab t = month_tab();
  EXPECT_FALSE(t.covers_current_view());  // nothing fetched yet
  t.remember({event("a", d(2025, 10, 6), d(2025, 10, 8)), event("b", d(2025, 9, 20), d(2025, 9, 28)),
              event("c", d(2025, 11, 9), d(2025, 11, 12))});
  EXPECT_TRUE(t.covers_current_view());
  // Shown from memory: only events overlapping the visible range (b ends before it).
  auto shown = t.displayed();
  ASSERT_EQ(shown.size(), 2u);
  EXPECT_EQ(shown[0].item_id, "a");
  EXPECT_EQ(shown[1].item_id, "c");
  EXPECT_TRUE(t.displays("a"));
  EXPECT_FALSE(t.displays("b"));
  // Another focus in the same month: the same range, still covered.
  t.focus = d(2025, 10, 31);
  EXPECT_TRUE(t.covers_current_view());
  // The next month lies outside what was fetched.
  t.focus = navigate(kMonth, t.focus, 1);
  EXPECT_FALSE(t.covers_current_view());
  t.focus = d(2025, 10, 15);
  // A filter change needs a refetch.
  t.type = "project";
  EXPECT_FALSE(t.covers_current_view());
  t.type.reset();
  EXPECT_TRUE(t.covers_current_view());
  // A reload starts over.
  t.forget();
  EXPECT_FALSE(t.covers_current_view());
  EXPECT_TRUE(t.displayed().empty());
}

TEST(Tab, AWeekTabInsideAFetchedWeekNeedsNoFetch) {
  Tab t = month_tab();
  t.setup.model = kWeek;
  t.remember({event("a", d(2025, 10, 14), d(2025, 10, 14)), event("z", d(2025, 10, 21), d(2025, 10, 21))});
  EXPECT_EQ(t.displayed().size(), 1u);  // z is next week
  t.focus = d(2025, 10, 19);            // Sunday: still the week of Monday 13th
  EXPECT_TRUE(t.covers_current_view());
  t.focus = d(2025, 10, 20);
  EXPECT_FALSE(t.covers_current_view());
}

// ---- properties ----------------------------------------------------------------------------

rc::Gen<Date> gen_date() {
  std::int64_t lo = d(1990, 1, 1).days(), hi = d(2100, 12, 31).days();
  return rc::gen::map(rc::gen::inRange<std::int64_t>(lo, hi + 1),
                      [](std::int64_t n) { return Date::from_days(n); });
}

RC_GTEST_PROP(MonthViewProperty, SixWholeWeeksCoveringTheMonth, ()) {
  Date focus = *gen_date();
  int first_day = *rc::gen::element(0, 1);
  ViewRange r = view_range(kMonth, focus, first_day);
  Date first = focus.first_of_month();
  RC_ASSERT(static_cast<int>(r.start.weekday()) == first_day);
  RC_ASSERT(r.end.days() - r.start.days() == 42);
  RC_ASSERT(r.start <= first);
  RC_ASSERT(first < r.end);
  RC_ASSERT(focus.last_of_month() < r.end);  // the whole month is inside
  RC_ASSERT(first.days() - r.start.days() < 7);  // starts in the week holding the 1st
  RC_ASSERT(r.end.weekday() == r.start.weekday());
}

RC_GTEST_PROP(MonthViewProperty, WithoutFixedWeekCountOnlyTheWeeksNeeded, ()) {
  Date focus = *gen_date();
  int first_day = *rc::gen::inRange(0, 7);
  ViewRange fixed = view_range(kMonth, focus, first_day);
  ViewRange r = view_range(kMonth, focus, first_day, false);
  std::int64_t len = r.end.days() - r.start.days();
  RC_ASSERT(len % 7 == 0);
  RC_ASSERT(len >= 28);
  RC_ASSERT(len <= 42);
  RC_ASSERT(r.start == fixed.start);
  RC_ASSERT(r.end <= fixed.end);
  RC_ASSERT(focus.last_of_month() < r.end);
  RC_ASSERT(r.end.plus_days(-7) <= focus.last_of_month());  // no whole week after the month
}

RC_GTEST_PROP(WeekViewProperty, SevenDaysFromFirstDayHoldingTheFocus, ()) {
  Date focus = *gen_date();
  int first_day = *rc::gen::inRange(0, 7);
  ViewRange r = view_range(kWeek, focus, first_day);
  RC_ASSERT(static_cast<int>(r.start.weekday()) == first_day);
  RC_ASSERT(r.end.days() - r.start.days() == 7);
  RC_ASSERT(r.start <= focus);
  RC_ASSERT(focus < r.end);
  // next/prev move exactly one week.
  RC_ASSERT(view_range(kWeek, navigate(kWeek, focus, 1), first_day).start == r.end);
  RC_ASSERT(view_range(kWeek, navigate(kWeek, focus, -1), first_day).end == r.start);
}

RC_GTEST_PROP(NavigationProperty, MonthViewsLandOnTheFirstOfTheTargetMonth, ()) {
  Date focus = *gen_date();
  int delta = *rc::gen::inRange(-24, 25);
  ClientModel m = *rc::gen::element(kMonth, kList, kAligned);
  Date to = navigate(m, focus, delta);
  RC_ASSERT(to.day() == 1u);
  int months = (to.year() - focus.year()) * 12 + static_cast<int>(to.month()) -
               static_cast<int>(focus.month());
  RC_ASSERT(months == delta);
  RC_ASSERT(navigate(m, to, -delta) == focus.first_of_month());
}

RC_GTEST_PROP(ListAndAlignedProperty, SameMonthDifferentEnds, ()) {
  Date focus = *gen_date();
  int first_day = *rc::gen::element(0, 1);
  ViewRange list = view_range(kList, focus, first_day);
  ViewRange aligned = view_range(kAligned, focus, first_day);
  RC_ASSERT(list.start == aligned.start);
  RC_ASSERT(list.end == aligned.end.plus_days(1));  // exclusive vs. inclusive end
  RC_ASSERT(list.start <= focus);
  RC_ASSERT(focus < list.end);
}


RC_GTEST_PROP(TabProperty, TheQueryStringSaysWhatTheQuerySays, ()) {
  Tab t;
  t.setup.model = *rc::gen::elementOf(all_client_models());
  t.setup.first_day = *rc::gen::inRange(0, 7);
  t.setup.utc_offset_min = *rc::gen::inRange(-720, 841);
  t.focus = *gen_date();
  t.type = *rc::gen::elementOf(std::vector<std::optional<std::string>>{std::nullopt, "task", "sub_project"});
  auto params = parse_query_string(t.query_string());
  Query q = t.query();
  RC_ASSERT(params.count("start") == 1u);
  RC_ASSERT(params.count("end") == 1u);
  RC_ASSERT(date_part(params["start"]) == q.start);
  RC_ASSERT(date_part(params["end"]) == q.end);
  RC_ASSERT(param(params, "type") == q.type);
  RC_ASSERT(!params.count("status"));
}

}  // namespace
}  // namespace cachecheck
