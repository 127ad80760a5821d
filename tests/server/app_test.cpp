// The application library in-process: what each strategy really does.
#include <gtest/gtest.h>

#include "calendar/cluster.h"
#include "fixtures.h"

using namespace calendar;
using testsupport::item_uuid;
using testsupport::make_item;

namespace {

const FeedParams kFullCalendarOctober{"2025-09-29T00:00:00+08:00", "2025-11-10T00:00:00+08:00", {}, {}};
const FeedParams kMonthAlignedOctober{"2025-10-01", "2025-10-31", {}, {}};

struct World {
  explicit World(const std::string& strategy, int workers = 1, std::string cache = "memory")
      : clock(*parse_instant("2025-10-05T09:00:00Z")), store(clock),
        cluster(ClusterConfig{.strategy = strategy, .cache = std::move(cache), .workers = workers}, store, clock) {
    cluster.reset(testsupport::demo_users(),
                  {make_item(1, "2025-10-10", "2025-10-12"), make_item(2, "2025-10-20", "2025-10-20", "project"),
                   make_item(3, "2025-10-30", "2025-11-02", "subtask", "at_risk", 2)},
                  std::nullopt);
  }
  bool shows(std::size_t worker, UserId user, const FeedParams& p, int item) {
    auto r = cluster.worker(worker).feed(user, p);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body.find(item_uuid(item)) != std::string::npos;
  }
  ManualClock clock;
  Store store;
  Cluster cluster;
};

TEST(App, SweepMissesFullCalendarsRangeButClearsTheMonthAlignedOne) {
  World w("sweep");
  ASSERT_TRUE(w.shows(0, 1, kFullCalendarOctober, 1));
  ASSERT_TRUE(w.shows(0, 1, kMonthAlignedOctober, 1));
  auto before = w.cluster.worker(0).cache().stats();
  ASSERT_EQ(w.cluster.worker(0).remove(1, item_uuid(1)).status, 200);
  auto after = w.cluster.worker(0).cache().stats();
  EXPECT_EQ(after.deletes - before.deletes, 100u);
  EXPECT_EQ(after.round_trips - before.round_trips, 100u);
  EXPECT_TRUE(w.shows(0, 1, kFullCalendarOctober, 1)) << "the seed's bug: the FullCalendar range was never swept";
  EXPECT_FALSE(w.shows(0, 1, kMonthAlignedOctober, 1));
}

TEST(App, SweepPipelinedIsOneRoundTrip) {
  World w("sweep");
  w.cluster.settings().pipeline = true;
  auto before = w.cluster.worker(0).cache().stats();
  ASSERT_EQ(w.cluster.worker(0).remove(1, item_uuid(1)).status, 200);
  auto after = w.cluster.worker(0).cache().stats();
  EXPECT_EQ(after.deletes - before.deletes, 100u);
  EXPECT_EQ(after.round_trips - before.round_trips, 1u);
}

TEST(App, VersionedLeavesOtherUsersStaleUnderGlobalVisibility) {
  World w("versioned");
  ASSERT_TRUE(w.shows(0, 2, kFullCalendarOctober, 1));  // bob warms his cache
  ASSERT_TRUE(w.shows(0, 1, kFullCalendarOctober, 1));
  auto before = w.cluster.worker(0).cache().stats();
  ASSERT_EQ(w.cluster.worker(0).remove(1, item_uuid(1)).status, 200);
  EXPECT_EQ(w.cluster.worker(0).cache().stats().incrs - before.incrs, 1u);
  EXPECT_FALSE(w.shows(0, 1, kFullCalendarOctober, 1));
  EXPECT_TRUE(w.shows(0, 2, kFullCalendarOctober, 1)) << "bob's version was never bumped";
}

TEST(App, VersionedRollsBackWhenItsVersionKeyIsEvicted) {
  World w("versioned");
  ASSERT_TRUE(w.shows(0, 1, kFullCalendarOctober, 1));  // cached under v0
  ASSERT_EQ(w.cluster.worker(0).remove(1, item_uuid(1)).status, 200);
  EXPECT_FALSE(w.shows(0, 1, kFullCalendarOctober, 1));
  w.cluster.evict({version_key(1)});
  EXPECT_TRUE(w.shows(0, 1, kFullCalendarOctober, 1)) << "v0 entry is back";
}

TEST(App, AudienceBumpsEveryoneWhoCouldSeeTheItem) {
  World w("audience");
  ASSERT_TRUE(w.shows(0, 2, kFullCalendarOctober, 1));
  ASSERT_EQ(w.cluster.worker(0).remove(1, item_uuid(1)).status, 200);
  EXPECT_FALSE(w.shows(0, 2, kFullCalendarOctober, 1));
}

TEST(App, TtlOnlyForgetsExactlyAtTheTtl) {
  World w("ttl-only");
  ASSERT_TRUE(w.shows(0, 1, kFullCalendarOctober, 1));
  ASSERT_EQ(w.cluster.worker(0).remove(1, item_uuid(1)).status, 200);
  w.clock.advance_ms(299'999);
  EXPECT_TRUE(w.shows(0, 1, kFullCalendarOctober, 1));
  w.clock.advance_ms(1);
  EXPECT_FALSE(w.shows(0, 1, kFullCalendarOctober, 1));
}

TEST(App, PrivateWorkerCachesStayStaleAcrossWorkers) {
  World w("versioned", 2);
  ASSERT_TRUE(w.shows(1, 1, kFullCalendarOctober, 1));
  ASSERT_EQ(w.cluster.worker(0).remove(1, item_uuid(1)).status, 200);
  EXPECT_FALSE(w.shows(0, 1, kFullCalendarOctober, 1));
  EXPECT_TRUE(w.shows(1, 1, kFullCalendarOctober, 1)) << "worker 1 never heard of the delete";
}

TEST(App, RobustIsFreshAcrossWorkersUsersAndEvictions) {
  World w("robust", 2);
  ASSERT_TRUE(w.shows(1, 2, kFullCalendarOctober, 1));
  ASSERT_TRUE(w.shows(1, 2, kFullCalendarOctober, 1));
  EXPECT_GE(w.cluster.worker(1).cache().stats().hits, 1u);
  ASSERT_EQ(w.cluster.worker(0).remove(1, item_uuid(1)).status, 200);
  EXPECT_FALSE(w.shows(1, 2, kFullCalendarOctober, 1));
  w.cluster.flush_caches();
  EXPECT_FALSE(w.shows(1, 2, kFullCalendarOctober, 1));
}

TEST(App, PreciseIsFreshAcrossWorkersUsersAndEvictionsAndKeepsWhatAWriteCannotChange) {
  World w("precise", 2);
  const FeedParams december{"2025-12-01", "2026-01-01", {}, {}};
  ASSERT_TRUE(w.shows(1, 2, kFullCalendarOctober, 1));
  ASSERT_FALSE(w.shows(1, 2, december, 1));
  ASSERT_EQ(w.cluster.worker(0).remove(1, item_uuid(2)).status, 200);  // October 20th: not in December
  const auto hits = w.cluster.worker(1).cache().stats().hits;
  EXPECT_FALSE(w.shows(1, 2, december, 1));
  EXPECT_EQ(w.cluster.worker(1).cache().stats().hits, hits + 1) << "December's entry survives an October delete";
  ASSERT_EQ(w.cluster.worker(0).remove(1, item_uuid(1)).status, 200);
  EXPECT_FALSE(w.shows(1, 2, kFullCalendarOctober, 1));
  w.cluster.flush_caches();
  EXPECT_FALSE(w.shows(1, 2, kFullCalendarOctober, 1));
}

TEST(App, NoneNeverCaches) {
  World w("none");
  ASSERT_TRUE(w.shows(0, 1, kFullCalendarOctober, 1));
  ASSERT_EQ(w.cluster.worker(0).remove(1, item_uuid(1)).status, 200);
  EXPECT_FALSE(w.shows(0, 1, kFullCalendarOctober, 1));
  EXPECT_EQ(w.cluster.worker(0).cache().stats().operations(), 0u);
}

TEST(App, CascadeDeleteReportsTheSubtreeAndHxTrigger) {
  World w("none");
  auto child = make_item(4, "2025-12-01", "2025-12-02", "sub_project");
  child.parent_id = item_uuid(2);
  auto body_json = to_json(child);
  body_json.erase("id");
  ASSERT_EQ(w.cluster.worker(0).create(1, body_json).status, 201);
  auto r = w.cluster.worker(0).remove(1, item_uuid(2));
  ASSERT_EQ(r.status, 200);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["deleted"].size(), 2u);
  EXPECT_EQ(body["deleted"][0], item_uuid(2));
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "HX-Trigger");
  EXPECT_EQ(r.headers[0].second, "{\"workItemDeleted\":{\"id\":\"" + item_uuid(2) + "\"}}");
  EXPECT_EQ(w.cluster.worker(0).modal(1, item_uuid(2)).status, 404);
}

TEST(App, PermissionsAndValidation) {
  World w("none");
  EXPECT_EQ(w.cluster.worker(0).remove(2, item_uuid(1)).status, 403);
  EXPECT_EQ(w.cluster.worker(0).patch(3, item_uuid(1), {{"title", "x"}}).status, 403);
  EXPECT_EQ(w.cluster.worker(0).patch(1, item_uuid(1), {{"start_date", "2026-01-01"}}).status, 400);
  EXPECT_EQ(w.cluster.worker(0).patch(1, item_uuid(1), {{"parent_id", item_uuid(1)}}).status, 400);
  EXPECT_EQ(w.cluster.worker(0).remove(1, "not-a-uuid").status, 404);
  EXPECT_EQ(w.cluster.worker(0).feed(1, {"2025-10-10", "2025-10-01", {}, {}}).status, 400);
  EXPECT_EQ(w.cluster.worker(0).feed(1, {"2025-01-01", "2026-03-01", {}, {}}).status, 400);
  EXPECT_EQ(w.cluster.worker(0).feed(1, {{}, {}, "meeting", {}}).status, 400);
  EXPECT_EQ(w.cluster.worker(0).feed(1, {{}, {}, {}, "done"}).status, 400);
  EXPECT_EQ(w.cluster.worker(0).feed(1, {"2025-13-01", {}, {}, {}}).status, 400);
  EXPECT_EQ(w.cluster.worker(0).feed(1, {{}, {}, "task", {}}).status, 200);
}

TEST(App, FeedRangeIsOverlapWithExclusiveEndAndTypeFamilies) {
  World w("none");
  // Item 3 spans 2025-10-30 .. 2025-11-02: it overlaps November although neither date is the 1st.
  EXPECT_TRUE(w.shows(0, 1, {"2025-10-31", "2025-11-01", {}, {}}, 3));
  EXPECT_FALSE(w.shows(0, 1, {"2025-10-01", "2025-10-30", {}, {}}, 3));  // end is exclusive
  EXPECT_TRUE(w.shows(0, 1, {{}, {}, "task", {}}, 3));                  // task matches subtask
  EXPECT_FALSE(w.shows(0, 1, {{}, {}, "subtask", {}}, 1));
}

TEST(App, RedisUnreachableServesFromTheStore) {
  World w("versioned", 1, "redis://127.0.0.1:1");
  EXPECT_TRUE(w.shows(0, 1, kFullCalendarOctober, 1));
  ASSERT_EQ(w.cluster.worker(0).remove(1, item_uuid(1)).status, 200);
  EXPECT_FALSE(w.shows(0, 1, kFullCalendarOctober, 1));
  EXPECT_GT(w.cluster.worker(0).cache().stats().errors, 0u);
}

TEST(App, BadConfigurationIsAConfigError) {
  ManualClock clock(0);
  Store store(clock);
  EXPECT_THROW(Cluster(ClusterConfig{"nope"}, store, clock), ConfigError);
  ClusterConfig bad_cache;
  bad_cache.cache = "memcached://x";
  EXPECT_THROW(Cluster(bad_cache, store, clock), ConfigError);
  ClusterConfig bad_workers;
  bad_workers.workers = 0;
  EXPECT_THROW(Cluster(bad_workers, store, clock), ConfigError);
}

}  // namespace

namespace {

TEST(App, InvalidUtf8InAParameterIsA400NotAThrow) {
  World w("none");
  auto r = w.cluster.worker(0).feed(1, {{}, {}, std::string("\xFF\xFE"), {}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(nlohmann::json::accept(r.body));
}

}  // namespace
