// `robust` and `precise` must pass every scenario: several seeds, both backends,
// several workers, Redis going down. `audience` must fix what `versioned` gets
// wrong across users.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "run/matrix.h"
#include "generate/scenario.h"
#include "redis_server.h"

using namespace cachecheck;

namespace {

void expect_whole_row_passes(const std::string& strategy, const std::string& backend, int workers, std::uint64_t seed,
                             int cases) {
  MatrixOptions o;
  o.cases = cases;
  o.seed = seed;
  o.config.backend = backend;
  o.config.workers = workers;
  o.out_dir = "";
  for (auto& scenario : scenario_names()) {
    CellResult r = run_cell(strategy, scenario, o, Expectation{"pass", "", {}, {}});
    EXPECT_EQ(r.verdict, "pass") << strategy << " × " << scenario << " on " << backend << " with " << workers
                                 << " worker(s), seed " << seed << ": "
                                 << (r.first_violation ? r.first_violation->kind + " of " + r.first_violation->item : "");
  }
}

void expect_row_passes_in_memory(const std::string& strategy) {
  for (std::uint64_t seed : {1, 2, 3}) expect_whole_row_passes(strategy, "memory", 1, seed, 100);
  expect_whole_row_passes(strategy, "memory", 4, 4, 100);
}

void expect_row_passes_on_redis_with_four_workers(const std::string& strategy) {
  testsupport::RedisServerProcess redis;
  for (std::uint64_t seed : {5, 6}) expect_whole_row_passes(strategy, redis.url(), 4, seed, 40);
}

TEST(Robust, PassesEveryScenarioInMemoryWithSeveralSeedsAndWorkers) { expect_row_passes_in_memory("robust"); }
TEST(Robust, PassesEveryScenarioOnRedisWithFourWorkers) { expect_row_passes_on_redis_with_four_workers("robust"); }
TEST(Precise, PassesEveryScenarioInMemoryWithSeveralSeedsAndWorkers) { expect_row_passes_in_memory("precise"); }
TEST(Precise, PassesEveryScenarioOnRedisWithFourWorkers) { expect_row_passes_on_redis_with_four_workers("precise"); }

TEST(Audience, FixesConcurrentUsersThatVersionedFails) {
  MatrixOptions o;
  o.cases = 100;
  o.out_dir = "";
  for (std::uint64_t seed : {1, 2, 3}) {
    o.seed = seed;
    EXPECT_EQ(run_cell("versioned", "concurrent-users", o, Expectation{"fail", "", {}, {}}).verdict, "fail") << seed;
    EXPECT_EQ(run_cell("audience", "concurrent-users", o, Expectation{"pass", "", {}, {}}).verdict, "pass") << seed;
  }
}

TEST(Audience, SharedRedisFixesMultiWorkerButNotEviction) {
  testsupport::RedisServerProcess redis;
  MatrixOptions o;
  o.cases = 60;
  o.seed = 8;
  o.config.backend = redis.url();
  o.out_dir = "";
  EXPECT_EQ(run_cell("audience", "multi-worker", o, Expectation{"pass", "", {}, {}}).verdict, "pass");
  EXPECT_EQ(run_cell("audience", "eviction", o, Expectation{"fail", "", {}, {}}).verdict, "fail");
}

}  // namespace

#include "calendar/cluster.h"
#include "harness_fixtures.h"
#include "model/oracle.h"
#include "run/runner.h"
#include "targets/in_process/in_process_target.h"

namespace {

void expect_fresh_when_redis_goes_down_and_comes_back(const std::string& strategy) {
  testsupport::RedisServerProcess redis;
  TargetConfig config;
  config.strategy = strategy;
  config.backend = redis.url();
  config.workers = 2;
  config.start_time = *parse_instant("2025-10-05T09:00:00Z");
  InProcessTarget target(config);
  Script warm;
  warm.setup.users = harnesstest::demo_users();
  warm.setup.items = {harnesstest::make_item(1, "2025-10-10", "2025-10-12"),
                      harnesstest::make_item(2, "2025-10-14", "2025-10-14")};
  warm.setup.start_time = config.start_time;
  TabSetup tab{ClientModel::fullcalendar_month, 1, 0, *Date::parse("2025-10-05")};
  warm.steps = {Open{1, "alice-1", tab, std::nullopt, std::nullopt}, Open{2, "bob-1", tab, std::nullopt, std::nullopt},
                Refresh{1, "alice-1"}};
  // One run per phase, on the same target and the same Redis server.
  // A clean verdict counts only when every request was answered and every view judged
  // (an indeterminate read, as a 5xx would be, is not judged at all).
  auto phase = [&](std::vector<Step> steps) {
    Script s = warm;
    s.steps.insert(s.steps.end(), steps.begin(), steps.end());
    RunOutput out = run_script(target, s, RunOptions{1, {}});
    std::size_t views = 0;
    for (const Op& op : out.history.ops) {
      EXPECT_EQ(op.outcome, Outcome::ok) << op.index << ": " << op.error;
      EXPECT_NE(op.status, 0) << op.index;
      views += op.kind == OpKind::view;
    }
    Verdict v = judge(out.history);
    EXPECT_EQ(v.reads_checked, views);
    return v;
  };
  EXPECT_TRUE(phase({}).clean());
  redis.stop();
  EXPECT_TRUE(phase({Delete{1, "alice-1", harnesstest::item_uuid(1)}, Refresh{2, "bob-1"}, HardRefresh{1, "alice-1"}})
                  .clean());
  EXPECT_GT(target.cluster().stats()["cache"]["errors"].get<int>(), 0);
  redis.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // past the reconnect back-off
  EXPECT_TRUE(phase({Delete{1, "alice-1", harnesstest::item_uuid(2)}, Refresh{2, "bob-1"}, Refresh{2, "bob-1"}})
                  .clean());
}

TEST(Robust, StaysFreshWhenRedisGoesDownAndComesBack) { expect_fresh_when_redis_goes_down_and_comes_back("robust"); }
TEST(Precise, StaysFreshWhenRedisGoesDownAndComesBack) { expect_fresh_when_redis_goes_down_and_comes_back("precise"); }

}  // namespace
