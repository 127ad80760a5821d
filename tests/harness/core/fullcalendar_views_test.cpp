// FullCalendar 6 as the model runs it (browser/fullcalendar_views.h, time_zone.h): every view's
// range, fixedWeekCount, time zones by IANA name, the timeZone option's three modes, extraParams
// on the wire, and the actions with lazy fetching. The expected strings are real FullCalendar's
// in Chromium (tests/browser/capture.js records them; tests/browser/sample.json holds the sample).
#include "browser/fullcalendar.h"
#include "browser/fullcalendar_views.h"
#include "browser/tab.h"
#include "browser/time_zone.h"
#include "generate/actions.h"
#include "generate/scenario.h"

#include <set>

#include <gtest/gtest.h>

namespace cachecheck {
namespace {

Date d(int y, unsigned m, unsigned day) { return Date::from_ymd(y, m, day); }

FcOptions opts(int first_day = 1) {
  FcOptions o;
  o.first_day = first_day;
  return o;
}

std::string range_of(FcView v, Date date, const FcOptions& o) {
  auto r = build_date_profile(v, date, o).active;
  return r.start.iso() + ".." + r.end.iso();
}

TEST(FcViews, NamesRoundTrip) {
  EXPECT_EQ(all_fc_views().size(), 9u);
  for (FcView v : all_fc_views()) EXPECT_EQ(parse_fc_view(to_string(v)), v);
  EXPECT_FALSE(parse_fc_view("month"));
  EXPECT_FALSE(parse_fc_view("dayGridYear"));  // no JSON-feed view of ours
  EXPECT_EQ(fc_view_of(ClientModel::fullcalendar_month), FcView::day_grid_month);
  EXPECT_EQ(fc_view_of(ClientModel::fullcalendar_week), FcView::time_grid_week);
  EXPECT_EQ(fc_view_of(ClientModel::fullcalendar_day), FcView::time_grid_day);
  EXPECT_EQ(fc_view_of(ClientModel::fullcalendar_list_month), FcView::list_month);
  EXPECT_FALSE(fc_view_of(ClientModel::month_aligned));
}

TEST(FcViews, EveryViewsRangeOnOneDate) {
  Date wed = d(2025, 10, 15);
  EXPECT_EQ(range_of(FcView::day_grid_month, wed, opts()), "2025-09-29..2025-11-10");
  EXPECT_EQ(range_of(FcView::day_grid_week, wed, opts()), "2025-10-13..2025-10-20");
  EXPECT_EQ(range_of(FcView::day_grid_day, wed, opts()), "2025-10-15..2025-10-16");
  EXPECT_EQ(range_of(FcView::time_grid_week, wed, opts(0)), "2025-10-12..2025-10-19");
  EXPECT_EQ(range_of(FcView::time_grid_day, wed, opts()), "2025-10-15..2025-10-16");
  EXPECT_EQ(range_of(FcView::list_day, wed, opts()), "2025-10-15..2025-10-16");
  EXPECT_EQ(range_of(FcView::list_week, wed, opts(0)), "2025-10-12..2025-10-19");
  EXPECT_EQ(range_of(FcView::list_month, wed, opts()), "2025-10-01..2025-11-01");
  EXPECT_EQ(range_of(FcView::list_year, wed, opts()), "2025-01-01..2026-01-01");
  EXPECT_EQ(range_of(FcView::time_grid_week, wed, opts(6)), "2025-10-11..2025-10-18");
  EXPECT_THROW(build_date_profile(FcView::list_week, wed, opts(7)), std::invalid_argument);
}

TEST(FcViews, FixedWeekCountGlobalViewAndDefault) {
  Date wed = d(2025, 10, 15);
  FcOptions o = opts();
  o.fixed_week_count = false;  // global false beats dayGridMonth's own default
  EXPECT_EQ(range_of(FcView::day_grid_month, wed, o), "2025-09-29..2025-11-03");
  o.fixed_week_count = true;  // global true: every dayGrid view pads to six rows from the 1st's week
  EXPECT_EQ(range_of(FcView::day_grid_week, wed, o), "2025-10-13..2025-11-10");
  EXPECT_EQ(range_of(FcView::day_grid_day, wed, o), "2025-10-15..2025-11-06");
  EXPECT_EQ(range_of(FcView::time_grid_week, wed, o), "2025-10-13..2025-10-20");  // not a dayGrid
  EXPECT_EQ(range_of(FcView::list_month, wed, o), "2025-10-01..2025-11-01");
  o.view_fixed_week_count = {{FcView::day_grid_week, false}};  // views: {dayGridWeek: {…}} beats global
  EXPECT_EQ(range_of(FcView::day_grid_week, wed, o), "2025-10-13..2025-10-20");
  EXPECT_TRUE(fixed_week_count_for(FcView::day_grid_month, opts()));
  EXPECT_FALSE(fixed_week_count_for(FcView::day_grid_week, opts()));
}

TEST(TimeZones, OffsetAtEachMidnightAcrossDaylightSavingChanges) {
  EXPECT_EQ(midnight_offset_minutes("America/New_York", d(2026, 3, 1)), -300);
  EXPECT_EQ(midnight_offset_minutes("America/New_York", d(2026, 3, 9)), -240);
  EXPECT_EQ(midnight_offset_minutes("Europe/Berlin", d(2025, 10, 26)), 120);  // change at 03:00
  EXPECT_EQ(midnight_offset_minutes("Europe/Berlin", d(2025, 10, 27)), 60);
  EXPECT_EQ(midnight_offset_minutes("Asia/Kolkata", d(2025, 10, 27)), 330);
  EXPECT_EQ(midnight_offset_minutes("UTC", d(2025, 10, 27)), 0);
  // Santiago springs forward AT midnight (2025-09-07 00:00 → 01:00): JavaScript lands after the gap.
  EXPECT_EQ(midnight_offset_minutes("America/Santiago", d(2025, 9, 7)), -180);
  EXPECT_EQ(midnight_offset_minutes("America/Santiago", d(2025, 9, 6)), -240);
  EXPECT_TRUE(is_known_time_zone("Europe/Berlin"));
  EXPECT_FALSE(is_known_time_zone("Mars/Olympus"));
  EXPECT_FALSE(is_known_time_zone(""));
  EXPECT_THROW(midnight_offset_minutes("Mars/Olympus", d(2025, 1, 1)), std::invalid_argument);
}

TEST(FcWire, EachTimeZoneMode) {
  ViewRange r{d(2026, 3, 1), d(2026, 4, 12)};
  FcOptions o = opts();
  o.browser_time_zone = "America/New_York";
  EXPECT_EQ(fc_query_string(r, o), "start=2026-03-01T00%3A00%3A00-05%3A00&end=2026-04-12T00%3A00%3A00-04%3A00");
  o.time_zone = FcTimeZone::parse("UTC");
  EXPECT_EQ(fc_query_string(r, o), "start=2026-03-01T00%3A00%3A00Z&end=2026-04-12T00%3A00%3A00Z&timeZone=UTC");
  o.time_zone = FcTimeZone::parse("Europe/Berlin");
  EXPECT_EQ(fc_query_string(r, o), "start=2026-03-01T00%3A00%3A00&end=2026-04-12T00%3A00%3A00&timeZone=Europe%2FBerlin");
  o.time_zone = FcTimeZone::parse("local");
  o.browser_time_zone = "Europe/London";  // offset 0 in winter keeps toISOString's "Z"
  EXPECT_EQ(fc_query_string({d(2026, 1, 5), d(2026, 1, 6)}, o),
            "start=2026-01-05T00%3A00%3A00Z&end=2026-01-06T00%3A00%3A00Z");
  EXPECT_EQ(format_utc_offset(330), "+05:30");
  EXPECT_EQ(format_utc_offset(-570), "-09:30");
}

TEST(FcWire, ExtraParamsComeFirstAsAJavaScriptObjectOrdersThem) {
  ViewRange r{d(2025, 10, 1), d(2025, 11, 1)};
  FcOptions o = opts();
  o.time_zone = FcTimeZone::parse("UTC");
  o.extra_params = {{"type", "task"}, {"status", "in progress"}, {"2", "x"}};
  EXPECT_EQ(fc_query_string(r, o),
            "2=x&type=task&status=in+progress&start=2025-10-01T00%3A00%3A00Z&end=2025-11-01T00%3A00%3A00Z&timeZone=UTC");
  o.extra_params = {{"end", "e"}, {"type", "task"}};  // a key already there keeps its place
  o.start_param = "from";
  EXPECT_EQ(fc_query_string(r, o),
            "end=2025-11-01T00%3A00%3A00Z&type=task&from=2025-10-01T00%3A00%3A00Z&timeZone=UTC");
}

std::vector<std::string> run(FcView v, Date date, const FcOptions& o, const std::vector<std::string>& actions,
                             Date now = d(2025, 10, 15)) {
  FcCalendar cal(v, date, now, o);
  std::vector<std::string> out{cal.initial_fetch() ? cal.initial_fetch()->start.iso() + ".." + cal.initial_fetch()->end.iso() : "-"};
  for (const auto& a : actions) {
    auto act = parse_fc_action(a);
    EXPECT_TRUE(act) << a;
    auto r = cal.apply(*act);
    out.push_back(r ? r->start.iso() + ".." + r->end.iso() : "-");
  }
  return out;
}

TEST(FcCalendarActions, LazyFetchingRemembersOnlyTheLastRange) {
  auto got = run(FcView::day_grid_month, d(2025, 10, 15), opts(),
                 {"next", "prev", "view:timeGridWeek", "refetch", "today", "view:listMonth", "goto:2025-10-20"});
  std::vector<std::string> want{
      "2025-09-29..2025-11-10", "2025-10-27..2025-12-08", "2025-09-29..2025-11-10",
      "-",                       // prev left the date on Oct 1: its week lies in the month fetched
      "2025-09-29..2025-10-06",  // refetchEvents(): the CURRENT view's range, not the last fetched
      "2025-10-13..2025-10-20",  // today: outside the week fetched last
      "2025-10-01..2025-11-01",  // listMonth
      "-"};                      // a date inside the month fetched
  EXPECT_EQ(got, want);
}

TEST(FcCalendarActions, WithoutLazyFetchingEveryChangeFetches) {
  FcOptions o = opts();
  o.lazy_fetching = false;
  auto got = run(FcView::day_grid_month, d(2025, 10, 15), o, {"view:timeGridWeek", "goto:2025-10-16", "today"});
  std::vector<std::string> want{"2025-09-29..2025-11-10", "2025-10-13..2025-10-20", "2025-10-13..2025-10-20",
                                "2025-10-13..2025-10-20"};
  EXPECT_EQ(got, want);
}

TEST(FcCalendarActions, NextMovesFromTheStartOfTheUnit) {
  // A week straddling two months: next from the week's start, so the date after it is Oct 5 (a
  // Sunday-first week of Sep 28), and a month view then shows October, not September.
  FcOptions o = opts(0);
  auto got = run(FcView::time_grid_week, d(2025, 10, 1), o, {"prev", "view:dayGridMonth"});
  std::vector<std::string> want{"2025-09-28..2025-10-05", "2025-09-21..2025-09-28", "2025-08-31..2025-10-12"};
  EXPECT_EQ(got, want);
  auto year = run(FcView::list_year, d(2025, 10, 15), o, {"next", "view:listDay"});
  std::vector<std::string> want_year{"2025-01-01..2026-01-01", "2026-01-01..2027-01-01", "-"};
  EXPECT_EQ(year, want_year);
}

TEST(FcCalendarActions, ParseAndPrint) {
  for (std::string s : {"next", "prev", "today", "refetch", "goto:2025-02-28", "view:listYear"})
    EXPECT_EQ(to_string(*parse_fc_action(s)), s);
  for (std::string s : {"", "Next", "goto:2025-02-30", "view:month", "goto:", "refetchEvents"})
    EXPECT_FALSE(parse_fc_action(s)) << s;
}

TEST(TabInAZone, EachBoundCarriesTheOffsetAtItsDate) {
  Tab t;
  t.setup = TabSetup{ClientModel::fullcalendar_month, 0, 480, d(2026, 3, 15)};
  t.setup.time_zone = "America/New_York";
  t.focus = t.setup.focus;
  EXPECT_EQ(t.query_string(), "start=2026-03-01T00%3A00%3A00-05%3A00&end=2026-04-12T00%3A00%3A00-04%3A00");
  t.setup.time_zone.clear();  // the fixed offset, as before
  EXPECT_EQ(t.query_string(), "start=2026-03-01T00%3A00%3A00%2B08%3A00&end=2026-04-12T00%3A00%3A00%2B08%3A00");
}

TEST(TabInAZone, AnOpenStepKeepsItsZoneAndOldStepsReadAsBefore) {
  Open a;
  a.user = 1;
  a.tab = "alice-1";
  a.setup = TabSetup{ClientModel::fullcalendar_month, 1, 60, d(2025, 10, 26)};
  auto plain = Action<Open>::to_json(a);
  EXPECT_FALSE(plain["setup"].contains("time_zone"));  // saved counterexamples are unchanged
  a.setup.time_zone = "Europe/Berlin";
  auto j = Action<Open>::to_json(a);
  EXPECT_EQ(j["setup"]["time_zone"], "Europe/Berlin");
  EXPECT_EQ(Action<Open>::from_json(j).setup, a.setup);
  j["setup"]["time_zone"] = "Europe/Nowhere";
  EXPECT_ANY_THROW(Action<Open>::from_json(j));
}

// cross-month opens its browsers in named zones, two of them with daylight saving.
TEST(TabInAZone, CrossMonthGeneratesBrowsersInZones) {
  const Scenario* cross = find_scenario("cross-month");
  ASSERT_NE(cross, nullptr);
  std::set<std::string> zones;
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    Script script = cross->generate(TargetConfig{})(rc::Random(seed)).value().second;
    for (const Step& step : script.steps)
      if (const auto* open = std::get_if<Open>(&step)) zones.insert(open->setup.time_zone);
  }
  EXPECT_TRUE(zones.count("America/New_York")) << zones.size();
  EXPECT_TRUE(zones.count("Europe/London"));
  zones.erase("");  // the two-tabs shape pairs fixed offsets
  for (const auto& z : zones) EXPECT_TRUE(is_known_time_zone(z)) << z;
}

}  // namespace
}  // namespace cachecheck
