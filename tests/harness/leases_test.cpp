// The thundering herd and leases (precise --leases): after an invalidation, N
// concurrent readers of one key, interleaved by the deterministic scheduler at
// their cache and store accesses. With leases one of them queries the store and
// the others are served its fill; without, several query it. The oracle judges
// every read either way: a lease never serves stale data.
#include <gtest/gtest.h>

#include "calendar/cluster.h"
#include "harness_fixtures.h"
#include "model/oracle.h"
#include "redis_server.h"
#include "run/runner.h"
#include "targets/in_process/in_process_target.h"

using namespace cachecheck;

namespace {

struct Herd {
  std::size_t from_store = 0;  // concurrent reads the store answered (the rest: the cache)
  std::size_t reads = 0;
  Verdict verdict;
};

Herd herd(bool leases, std::uint64_t schedule_seed, int readers, const std::string& backend = "memory") {
  TargetConfig config;
  config.strategy = "precise";
  config.leases = leases;
  config.backend = backend;
  config.worker_threads = readers;  // all of them in flight at once
  config.start_time = *parse_instant("2025-10-05T09:00:00Z");
  InProcessTarget target(config);
  Script s;
  s.setup.users = harnesstest::demo_users();
  s.setup.items = {harnesstest::make_item(1, "2025-10-10", "2025-10-12"),
                   harnesstest::make_item(2, "2025-10-20", "2025-10-21")};
  s.setup.start_time = config.start_time;
  const TabSetup month{ClientModel::fullcalendar_month, 1, 0, *Date::parse("2025-10-05")};
  Concurrent readers_after_the_write;
  readers_after_the_write.schedule_seed = schedule_seed;
  for (int i = 0; i < readers; ++i) {
    const std::string tab = "alice-" + std::to_string(i + 1);
    s.steps.push_back(Open{1, tab, month, std::nullopt, std::nullopt});  // one key: alice's October
    readers_after_the_write.group.push_back(HardRefresh{1, tab});
  }
  s.steps.push_back(Edit{1, harnesstest::item_uuid(1), {{"title", "Renamed"}}});
  s.steps.push_back(readers_after_the_write);
  RunOutput out = run_script(target, s, RunOptions{schedule_seed, {}});

  Herd h;
  bool after_the_write = false;
  for (const Op& op : out.history.ops) {
    after_the_write = after_the_write || op.kind == OpKind::edit;
    if (!after_the_write || op.kind != OpKind::view) continue;
    EXPECT_EQ(op.status, 200) << op.error;
    ++h.reads;
    h.from_store += op.layer == Layer::store;
  }
  h.verdict = judge(out.history);
  return h;
}

TEST(Leases, OneStoreQueryPerInvalidationAndNoStaleRead) {
  for (int readers : {8, 64})
    for (std::uint64_t seed : {1, 2, 3}) {
      Herd h = herd(true, seed, readers);
      EXPECT_EQ(h.reads, static_cast<std::size_t>(readers));
      EXPECT_EQ(h.from_store, 1u) << readers << " readers, seed " << seed;
      EXPECT_TRUE(h.verdict.clean()) << h.verdict.violations.front().detail;
    }
}

TEST(Leases, WithoutThemTheHerdQueriesTheStoreSeveralTimes) {
  std::size_t most = 0;
  for (std::uint64_t seed : {1, 2, 3}) {
    Herd h = herd(false, seed, 64);
    EXPECT_TRUE(h.verdict.clean());
    most = std::max(most, h.from_store);
  }
  EXPECT_GT(most, 1u) << "the scheduler never generated the herd";
}

TEST(Leases, OnRedisToo) {
  testsupport::RedisServerProcess redis;
  Herd h = herd(true, 4, 16, redis.url());
  EXPECT_EQ(h.from_store, 1u);
  EXPECT_TRUE(h.verdict.clean());
}

TEST(Leases, OnlyForAStrategyThatSupportsThem) {
  calendar::ManualClock clock(0);
  calendar::Store store(clock);
  calendar::ClusterConfig config;
  config.strategy = "robust";
  config.leases = true;
  EXPECT_THROW(calendar::Cluster(config, store, clock), calendar::ConfigError);
  config.strategy = "precise";
  EXPECT_NO_THROW(calendar::Cluster(config, store, clock));
}

}  // namespace
