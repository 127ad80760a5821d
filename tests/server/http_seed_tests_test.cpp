// The seed's four manual tests (shared/seed/calendar-cache-invalidation-fix.md,
// "Testing Procedure"), run over HTTP against the seed's own `sweep` strategy on
// both backends, with the range FullCalendar really asks for and with the
// month-aligned range the sweep assumed. They assert what really happens:
// the sweep never hits a FullCalendar key, so the deleted item comes back.
// Then the follow-up fixes' gaps (versioned, ttl-only, several workers) and a
// Redis outage.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

#include "calendar/domain.h"
#include "fixtures.h"
#include "http_client.h"
#include "redis_server.h"
#include "server_fixture.h"

using calendar::WorkItem;
using testsupport::BrowserSession;
using testsupport::encode_query;
using testsupport::event_id;
using testsupport::item_uuid;
using testsupport::make_item;
using testsupport::RedisServerProcess;
using testsupport::ServerConfig;
using testsupport::ServerFixture;

namespace {

// The server clock's today is 2025-10-05: the sweep covers Oct, Nov, Dec 2025 and Jan 2026.
std::string fc(const char* start, const char* end) { return encode_query({{"start", start}, {"end", end}}); }
// FullCalendar dayGridMonth, firstDay = 1 (Monday), six weeks, browser at +08:00.
const std::string kFcOctober = fc("2025-09-29T00:00:00+08:00", "2025-11-10T00:00:00+08:00");
const std::string kFcNovember = fc("2025-10-27T00:00:00+08:00", "2025-12-08T00:00:00+08:00");
// What the seed's sweep assumed a client sends: the 1st to the last day of the month.
const std::string kMonthOctober = "start=2025-10-01&end=2025-10-31";
const std::string kMonthNovember = "start=2025-11-01&end=2025-11-30";
const std::string kMonthSeptember = "start=2025-09-01&end=2025-09-30";  // before the sweep's window
const std::string kMonthFebruary = "start=2026-02-01&end=2026-02-28";   // after it (today's month + 3 = Jan)
const std::string kMonthJanuary = "start=2026-01-01&end=2026-01-31";    // the window's last month

// Items (alice owns them all unless noted).
enum : int { kSiteVisit = 1, kDraft = 2, kReview = 3, kSignOff = 4, kNovemberTask = 5, kAtRisk = 6,
             kBlocked = 7, kSeptember = 8, kFebruary = 9, kJanuary = 10, kBobsTask = 11 };

std::vector<WorkItem> seed_items() {
  return {make_item(kSiteVisit, "2025-10-08", "2025-10-09"),
          make_item(kDraft, "2025-10-14", "2025-10-14"),
          make_item(kReview, "2025-10-16", "2025-10-17"),
          make_item(kSignOff, "2025-10-21", "2025-10-21", "subtask"),
          make_item(kNovemberTask, "2025-11-12", "2025-11-13"),
          make_item(kAtRisk, "2025-10-22", "2025-10-23", "task", "at_risk"),
          make_item(kBlocked, "2025-10-27", "2025-10-28", "task", "blocked"),
          make_item(kSeptember, "2025-09-15", "2025-09-16"),
          make_item(kFebruary, "2026-02-10", "2026-02-11"),
          make_item(kJanuary, "2026-01-13", "2026-01-14"),
          make_item(kBobsTask, "2025-10-09", "2025-10-10", "task", "in_progress", 2)};
}

enum class Backend { memory, redis };
enum class Range { fullcalendar_month, month_aligned };

struct SeedParam {
  Backend backend;
  Range range;
};

std::string param_name(const testing::TestParamInfo<SeedParam>& info) {
  return std::string(info.param.backend == Backend::memory ? "memory" : "redis") + "_" +
         (info.param.range == Range::fullcalendar_month ? "fullcalendar_month" : "month_aligned");
}

// One private redis-server for the suites here (each test's reset empties it).
RedisServerProcess& shared_redis() {
  static std::unique_ptr<RedisServerProcess> redis = std::make_unique<RedisServerProcess>();
  return *redis;
}

ServerConfig config_for(Backend backend, const std::string& strategy = "sweep") {
  ServerConfig c;
  c.strategy = strategy;
  c.cache = backend == Backend::memory ? "memory" : shared_redis().url();
  return c;
}

class SeedTests : public testing::TestWithParam<SeedParam> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerFixture>(config_for(GetParam().backend), testsupport::demo_users(),
                                              seed_items());
    alice_ = std::make_unique<BrowserSession>(server_->logged_in("alice"));
  }
  void TearDown() override {
    alice_.reset();
    server_.reset();
  }
  bool fullcalendar() const { return GetParam().range == Range::fullcalendar_month; }
  const std::string& october() const { return fullcalendar() ? kFcOctober : kMonthOctober; }
  const std::string& november() const { return fullcalendar() ? kFcNovember : kMonthNovember; }
  BrowserSession& alice() { return *alice_; }
  bool shows(const std::string& query, int item) { return alice().shows(query, item_uuid(item)); }
  void remove(int item) {
    auto r = alice().del(item_uuid(item));
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_FALSE(r.header("HX-Trigger").empty());
    ASSERT_EQ(alice().modal(item_uuid(item)), 404) << "the item is gone from the database";
  }

  std::unique_ptr<ServerFixture> server_;
  std::unique_ptr<BrowserSession> alice_;
};

// Test 1: open the calendar, delete an item, hard refresh.
TEST_P(SeedTests, Test1BasicDeleteAndHardRefresh) {
  ASSERT_TRUE(shows(october(), kSiteVisit));  // the calendar page's first fetch fills the cache
  remove(kSiteVisit);
  auto refresh = alice().feed_response(october());  // a hard refresh repeats the same request
  ASSERT_EQ(refresh.status, 200);
  bool stale = refresh.body.find(item_uuid(kSiteVisit)) != std::string::npos;
  if (fullcalendar()) {
    EXPECT_TRUE(stale) << "the sweep deleted 100 month-aligned keys; FullCalendar's key was not among them";
    EXPECT_EQ(refresh.header("X-Cache"), "HIT");
  } else {
    EXPECT_FALSE(stale) << "the month-aligned key is one of the sweep's 100";
    EXPECT_EQ(refresh.header("X-Cache"), "MISS");
  }
  auto stats = server_->stats();
  EXPECT_EQ(stats["cache"]["deletes"], 100) << "the seed's 100 cache.delete calls";
}

// Test 2: delete several items in quick succession, refreshing after each.
TEST_P(SeedTests, Test2MultipleDeletions) {
  ASSERT_TRUE(shows(october(), kDraft));
  for (int item : {kDraft, kReview, kSignOff}) {
    remove(item);
    auto ids = alice().feed(october());
    for (int deleted : {kDraft, kReview, kSignOff}) {
      if (deleted > item) break;
      bool stale = std::find(ids.begin(), ids.end(), event_id(item_uuid(deleted))) != ids.end();
      EXPECT_EQ(stale, fullcalendar()) << "item " << deleted << " after deleting " << item;
    }
  }
}

// Test 3: delete in the current month, go to the next month and back.
TEST_P(SeedTests, Test3CrossMonthNavigation) {
  ASSERT_TRUE(shows(october(), kSiteVisit));
  ASSERT_TRUE(shows(november(), kNovemberTask));
  remove(kSiteVisit);
  remove(kNovemberTask);
  EXPECT_EQ(shows(november(), kNovemberTask), fullcalendar()) << "next month";
  EXPECT_EQ(shows(october(), kSiteVisit), fullcalendar()) << "and back";
}

// Test 4: delete a task, then filter the calendar to tasks only (a view the user had open before).
TEST_P(SeedTests, Test4FilterChange) {
  const std::string tasks = october() + "&type=task";
  ASSERT_TRUE(shows(tasks, kAtRisk));
  ASSERT_TRUE(shows(october() + "&status=at_risk", kAtRisk));
  ASSERT_TRUE(shows(october() + "&status=blocked", kBlocked));
  ASSERT_TRUE(shows(october() + "&status=in_progress", kSiteVisit));
  remove(kAtRisk);
  remove(kBlocked);
  remove(kSiteVisit);
  EXPECT_EQ(shows(tasks, kAtRisk), fullcalendar()) << "type=task is in the sweep's list";
  EXPECT_EQ(shows(october() + "&status=in_progress", kSiteVisit), fullcalendar()) << "so is in_progress";
  EXPECT_TRUE(shows(october() + "&status=at_risk", kAtRisk)) << "at_risk is not in the sweep's status list";
  EXPECT_TRUE(shows(october() + "&status=blocked", kBlocked)) << "neither is blocked";
}

INSTANTIATE_TEST_SUITE_P(Sweep, SeedTests,
                         testing::Values(SeedParam{Backend::memory, Range::fullcalendar_month},
                                         SeedParam{Backend::memory, Range::month_aligned},
                                         SeedParam{Backend::redis, Range::fullcalendar_month},
                                         SeedParam{Backend::redis, Range::month_aligned}),
                         param_name);

// Months outside today's month + 3 are never swept, whatever the client sends.
class SweepWindow : public testing::TestWithParam<Backend> {};

TEST_P(SweepWindow, MonthsOutsideTheWindowStayStaleEvenMonthAligned) {
  ServerFixture s(config_for(GetParam()), testsupport::demo_users(), seed_items());
  BrowserSession alice = s.logged_in("alice");
  ASSERT_TRUE(alice.shows(kMonthSeptember, item_uuid(kSeptember)));
  ASSERT_TRUE(alice.shows(kMonthFebruary, item_uuid(kFebruary)));
  ASSERT_TRUE(alice.shows(kMonthJanuary, item_uuid(kJanuary)));
  for (int item : {kSeptember, kFebruary, kJanuary}) ASSERT_EQ(alice.del(item_uuid(item)).status, 200);
  EXPECT_TRUE(alice.shows(kMonthSeptember, item_uuid(kSeptember))) << "last month is not swept";
  EXPECT_TRUE(alice.shows(kMonthFebruary, item_uuid(kFebruary))) << "four months ahead is not swept";
  EXPECT_FALSE(alice.shows(kMonthJanuary, item_uuid(kJanuary))) << "three months ahead is";
}

TEST_P(SweepWindow, TheSweepOnlyCoversTheActingUser) {
  ServerFixture s(config_for(GetParam()), testsupport::demo_users(), seed_items());
  BrowserSession alice = s.logged_in("alice"), bob = s.logged_in("bob");
  ASSERT_TRUE(bob.shows(kMonthOctober, item_uuid(kSiteVisit)));
  ASSERT_EQ(alice.del(item_uuid(kSiteVisit)).status, 200);
  EXPECT_TRUE(bob.shows(kMonthOctober, item_uuid(kSiteVisit))) << "bob's keys were not swept";
  EXPECT_FALSE(alice.shows(kMonthOctober, item_uuid(kSiteVisit)));
}

INSTANTIATE_TEST_SUITE_P(Sweep, SweepWindow, testing::Values(Backend::memory, Backend::redis),
                         [](const testing::TestParamInfo<Backend>& i) {
                           return std::string(i.param == Backend::memory ? "memory" : "redis");
                         });

// The application's follow-up: a per-user version, bumped for the acting user only.
TEST(FollowUps, VersionedLeavesOtherUsersStaleUnderGlobalVisibility) {
  ServerFixture s(config_for(Backend::memory, "versioned"), testsupport::demo_users(), seed_items());
  BrowserSession alice = s.logged_in("alice"), bob = s.logged_in("bob");
  ASSERT_TRUE(alice.shows(kFcOctober, item_uuid(kSiteVisit)));
  ASSERT_TRUE(bob.shows(kFcOctober, item_uuid(kSiteVisit)));
  ASSERT_EQ(alice.del(item_uuid(kSiteVisit)).status, 200);
  EXPECT_FALSE(alice.shows(kFcOctober, item_uuid(kSiteVisit))) << "alice's version was bumped";
  auto r = bob.feed_response(kFcOctober);
  EXPECT_NE(r.body.find(item_uuid(kSiteVisit)), std::string::npos) << "bob's was not";
  EXPECT_EQ(r.header("X-Cache"), "HIT");
  EXPECT_EQ(bob.modal(item_uuid(kSiteVisit)), 404) << "and a click on the stale event is a 404";
}

// The seed's "before": writes never invalidate; the entry dies exactly at its TTL.
TEST(FollowUps, TtlOnlyForgetsExactlyWhenTheTtlPasses) {
  ServerFixture s(config_for(Backend::memory, "ttl-only"), testsupport::demo_users(), seed_items());
  BrowserSession alice = s.logged_in("alice");
  ASSERT_TRUE(alice.shows(kFcOctober, item_uuid(kSiteVisit)));  // cached at 09:00:00 for 300 s
  ASSERT_EQ(alice.del(item_uuid(kSiteVisit)).status, 200);
  EXPECT_TRUE(alice.shows(kFcOctober, item_uuid(kSiteVisit)));
  s.advance(299);
  EXPECT_TRUE(alice.shows(kFcOctober, item_uuid(kSiteVisit))) << "at 299 s";
  s.advance(2);
  auto r = alice.feed_response(kFcOctober);
  EXPECT_EQ(r.body.find(item_uuid(kSiteVisit)), std::string::npos) << "at 301 s";
  EXPECT_EQ(r.header("X-Cache"), "MISS");
}

// Several server processes, each with its own local-memory cache: a delete
// clears only the cache of the worker that served it.
TEST(FollowUps, TwoWorkersWithMemoryCachesDisagree) {
  ServerConfig c = config_for(Backend::memory, "sweep");
  c.workers = 2;
  ServerFixture s(c, testsupport::demo_users(), seed_items());
  BrowserSession alice = s.logged_in("alice");
  s.route(0);
  auto w0 = alice.feed_response(kMonthOctober);
  s.route(1);
  auto w1 = alice.feed_response(kMonthOctober);
  ASSERT_EQ(w0.header("X-Worker"), "0");
  ASSERT_EQ(w1.header("X-Worker"), "1");
  ASSERT_EQ(w1.header("X-Cache"), "MISS");
  s.route(0);
  auto d = alice.del(item_uuid(kSiteVisit));
  ASSERT_EQ(d.status, 200);
  ASSERT_EQ(d.header("X-Worker"), "0");
  auto after0 = alice.feed_response(kMonthOctober);
  EXPECT_EQ(after0.header("X-Worker"), "0");
  EXPECT_EQ(after0.body.find(item_uuid(kSiteVisit)), std::string::npos) << "worker 0 swept its own cache";
  s.route(1);
  auto after1 = alice.feed_response(kMonthOctober);
  EXPECT_EQ(after1.header("X-Worker"), "1");
  EXPECT_EQ(after1.header("X-Cache"), "HIT");
  EXPECT_NE(after1.body.find(item_uuid(kSiteVisit)), std::string::npos) << "worker 1 never heard of the delete";

  // Without pinning, round robin: consecutive refreshes flip between fresh and stale.
  s.route(std::nullopt);
  int stale = 0, fresh = 0;
  for (int i = 0; i < 4; ++i) {
    auto r = alice.feed_response(kMonthOctober);
    bool shown = r.body.find(item_uuid(kSiteVisit)) != std::string::npos;
    EXPECT_EQ(shown, r.header("X-Worker") == "1");
    (shown ? stale : fresh)++;
  }
  EXPECT_EQ(stale, 2);
  EXPECT_EQ(fresh, 2);
}

TEST(FollowUps, TwoWorkersSharingRedisAgree) {
  ServerConfig c = config_for(Backend::redis, "sweep");
  c.workers = 2;
  ServerFixture s(c, testsupport::demo_users(), seed_items());
  BrowserSession alice = s.logged_in("alice");
  s.route(1);
  ASSERT_TRUE(alice.shows(kMonthOctober, item_uuid(kSiteVisit)));
  s.route(0);
  ASSERT_EQ(alice.del(item_uuid(kSiteVisit)).status, 200);
  s.route(1);
  EXPECT_FALSE(alice.shows(kMonthOctober, item_uuid(kSiteVisit))) << "one cache for both workers";
}

// Redis goes away: the feed still answers from the store; when it is back, caching resumes.
TEST(RedisOutage, FeedFallsBackToTheStoreAndCachingResumes) {
  RedisServerProcess redis;
  ServerConfig c = config_for(Backend::memory, "sweep");
  c.cache = redis.url();
  ServerFixture s(c, testsupport::demo_users(), seed_items());
  BrowserSession alice = s.logged_in("alice");
  auto started = std::chrono::steady_clock::now();

  ASSERT_EQ(alice.feed_response(kFcOctober).header("X-Cache"), "MISS");
  auto primed = alice.feed_response(kFcOctober);
  ASSERT_EQ(primed.header("X-Cache"), "HIT");
  auto errors_before = s.stats()["cache"]["errors"].get<std::uint64_t>();

  redis.stop();
  auto down = alice.feed_response(kFcOctober);
  ASSERT_EQ(down.status, 200) << down.body;
  EXPECT_EQ(down.header("X-Cache"), "MISS");
  EXPECT_EQ(down.body, primed.body) << "same data, from the store";
  auto d = alice.del(item_uuid(kSiteVisit));
  EXPECT_EQ(d.status, 200) << "writes work without the cache";
  auto after_delete = alice.feed_response(kFcOctober);
  ASSERT_EQ(after_delete.status, 200);
  EXPECT_EQ(after_delete.body.find(item_uuid(kSiteVisit)), std::string::npos) << "fresh from the store";
  EXPECT_GT(s.stats()["cache"]["errors"].get<std::uint64_t>(), errors_before);

  redis.start();
  bool hit = false;
  for (int i = 0; i < 50 && !hit; ++i) {
    auto r = alice.feed_response(kFcOctober);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body.find(item_uuid(kSiteVisit)), std::string::npos);
    hit = r.header("X-Cache") == "HIT";
    if (!hit) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(hit) << "caching resumed after Redis came back";
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(15));
}

}  // namespace
