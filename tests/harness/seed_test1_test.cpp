// The seed's Test 1 (delete, then hard refresh) as a script, judged by the
// oracle: stale-visible on `sweep` with FullCalendar's month view, clean on
// `versioned` and with the month-aligned range the sweep assumed.
#include <gtest/gtest.h>

#include "targets/in_process/in_process_target.h"
#include "model/oracle.h"
#include "run/runner.h"
#include <filesystem>

#include "harness_fixtures.h"

using namespace cachecheck;

namespace {

Script seed_test1(ClientModel model) {
  Script s;
  s.setup.users = harnesstest::demo_users();
  s.setup.items = {harnesstest::make_item(1, "2025-10-10", "2025-10-12"),
                   harnesstest::make_item(2, "2025-10-20", "2025-10-21")};
  s.setup.start_time = *parse_instant("2025-10-05T09:00:00Z");
  s.steps = {Open{1, "alice-1", {model, 1, 480, *Date::parse("2025-10-05")}, std::nullopt, std::nullopt},
             Click{1, "alice-1", harnesstest::item_uuid(1)}, Delete{1, "alice-1", harnesstest::item_uuid(1)},
             HardRefresh{1, "alice-1"}};
  return s;
}

// Every operation got its answer, and both views were judged: a clean verdict means fresh reads.
void expect_all_answered(const RunOutput& out) {
  ASSERT_EQ(out.history.ops.size(), 4u);
  for (const Op& op : out.history.ops) EXPECT_EQ(op.outcome, Outcome::ok) << op.index << ": " << op.error;
  EXPECT_EQ(judge(out.history).reads_checked, 2u);
}

Verdict run(const std::string& strategy, ClientModel model) {
  TargetConfig config;
  config.strategy = strategy;
  InProcessTarget target(config);
  auto out = run_script(target, seed_test1(model), RunOptions{42, {}});
  expect_all_answered(out);
  return judge(out.history);
}

TEST(SeedTest1, SweepWithFullCalendarsMonthViewShowsTheDeletedItem) {
  auto v = run("sweep", ClientModel::fullcalendar_month);
  ASSERT_NE(v.first(), nullptr);
  EXPECT_EQ(v.first()->kind, kStaleVisible);
  EXPECT_EQ(v.first()->layer, Layer::server_cache);
  EXPECT_EQ(v.first()->item_id, harnesstest::item_uuid(1));
  EXPECT_NEAR(v.first()->staleness_s, 0.001, 1e-9);
}

TEST(SeedTest1, SweepWithTheMonthAlignedRangeIsClean) {
  EXPECT_TRUE(run("sweep", ClientModel::month_aligned).clean());
}

TEST(SeedTest1, VersionedIsClean) { EXPECT_TRUE(run("versioned", ClientModel::fullcalendar_month).clean()); }

TEST(SeedTest1, TheScriptIsValidAndSavesAndLoadsUnchanged) {
  Script s = seed_test1(ClientModel::fullcalendar_month);
  EXPECT_EQ(validate(s), "");
  EXPECT_EQ(to_json(script_from_json(to_json(s))).dump(), to_json(s).dump());
  // The steps are typed: the third is the delete from alice's tab.
  ASSERT_TRUE(std::holds_alternative<Delete>(s.steps[2]));
  EXPECT_EQ(std::get<Delete>(s.steps[2]).tab, "alice-1");
  EXPECT_EQ(name_of(s.steps[3]), "hard-refresh");
}

TEST(SeedTest1, SameSeedSameHistoryByteForByte) {
  TargetConfig config;
  InProcessTarget a(config), b(config);
  auto ha = to_json(run_script(a, seed_test1(ClientModel::fullcalendar_month), RunOptions{7, {}}).history).dump();
  auto hb = to_json(run_script(b, seed_test1(ClientModel::fullcalendar_month), RunOptions{7, {}}).history).dump();
  EXPECT_EQ(ha, hb);
}

}  // namespace

// ---- the same steps over HTTP, against a real calendar-server -------------------
#include "reproduce/counterexample.h"
#include "run/matrix.h"
#include "server_fixture.h"

namespace {

Verdict run_over_http(const std::string& strategy, ClientModel model) {
  testsupport::ServerConfig sc;
  sc.strategy = strategy;
  testsupport::ServerFixture server(sc);
  TargetConfig config;
  config.strategy = strategy;
  auto target = make_target("http://127.0.0.1:" + std::to_string(server.port()), config);
  auto out = run_script(*target, seed_test1(model), RunOptions{42, {}});
  expect_all_answered(out);
  auto verdict = judge(out.history);
  target.reset();  // close keep-alive connections before the server stops
  return verdict;
}

TEST(SeedTest1OverHttp, SweepShowsTheDeletedItemVersionedDoesNot) {
  auto sweep = run_over_http("sweep", ClientModel::fullcalendar_month);
  ASSERT_NE(sweep.first(), nullptr);
  EXPECT_EQ(sweep.first()->kind, kStaleVisible);
  EXPECT_EQ(sweep.first()->item_id, harnesstest::item_uuid(1));
  EXPECT_EQ(sweep.first()->layer, Layer::server_cache);
  EXPECT_TRUE(run_over_http("sweep", ClientModel::month_aligned).clean());
  EXPECT_TRUE(run_over_http("versioned", ClientModel::fullcalendar_month).clean());
}

TEST(SeedTest1OverHttp, ACounterexampleFoundInProcessReplaysOverHttp) {
  MatrixOptions o;
  o.cases = 100;
  o.seed = 4;
  o.out_dir = (std::filesystem::temp_directory_path() / ("cc-http-replay-" + std::to_string(::getpid()))).string();
  CellResult cell = run_cell("sweep", "multiple-deletions", o, Expectation{"fail", "", {}, {}});
  ASSERT_EQ(cell.verdict, "fail");
  Counterexample c = load_counterexample(o.out_dir + "/" + *cell.counterexample);
  testsupport::ServerConfig sc;
  sc.strategy = c.config.strategy;
  testsupport::ServerFixture server(sc);
  auto target = make_target("http://127.0.0.1:" + std::to_string(server.port()), c.config);
  ReplayResult r = replay(c, *target);
  target.reset();
  ASSERT_TRUE(r.shown);
  EXPECT_EQ(to_string(r.shown->kind), cell.first_violation->kind);
  EXPECT_EQ(r.shown->item_id, cell.first_violation->item);
}

}  // namespace
