// Every scenario, from real runs with fixed seeds: at least one strategy that
// must fail it and one that must pass it; every failure shrinks to a handful of
// steps and its saved counterexample replays to the same violation.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <variant>

#include "reproduce/counterexample.h"
#include "targets/in_process/in_process_target.h"
#include "run/matrix.h"
#include "generate/scenario.h"

using namespace cachecheck;

namespace {

struct Cell {
  std::string strategy, scenario, expected;
  std::string http_cache = "never";
};

void PrintTo(const Cell& c, std::ostream* os) { *os << c.strategy << " x " << c.scenario << " (" << c.http_cache << ")"; }

std::string out_dir() {
  static std::string dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("cachecheck-cells-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d.string();
  }();
  return dir;
}

class ScenarioCell : public ::testing::TestWithParam<Cell> {};

TEST_P(ScenarioCell, VerdictFromARealRun) {
  const Cell& c = GetParam();
  MatrixOptions o;
  o.cases = 100;
  o.seed = 20251005;
  o.config.http_cache = c.http_cache;
  o.out_dir = out_dir() + "/" + c.http_cache;
  CellResult r = run_cell(c.strategy, c.scenario, o, Expectation{c.expected, "", {}, {}});
  ASSERT_EQ(r.verdict, c.expected) << "first violation: "
                                   << (r.first_violation ? r.first_violation->kind : std::string("none")) << " "
                                   << r.unsupported_reason;
  EXPECT_EQ(r.cases_run, 100);  // every case is measured, also after the first failure
  EXPECT_EQ(r.aborted_cases, 0);
  EXPECT_EQ(r.indeterminate_reads + r.indeterminate_writes, 0u);  // in-process: every request is answered
  EXPECT_GT(r.stats.reads, 0u);
  EXPECT_TRUE(r.matches()) << r.difference();
  if (r.verdict == "pass") {
    EXPECT_TRUE(r.violations.empty());
    EXPECT_EQ(r.stats.violating_cases, 0);
    return;
  }
  EXPECT_GE(r.stats.violating_cases, 1);
  EXPECT_LE(r.stats.violating_cases, 100);
  // The signature names the first violation's kind and layer (the shrunk counterexample's:
  // shrinking may turn one kind into another that the unshrunk cases did not count).
  const std::string first = r.first_violation->kind + "@" + r.first_violation->layer;
  auto sig = r.signature();
  EXPECT_NE(std::find(sig.begin(), sig.end(), first), sig.end())
      << "the counterexample shows " << first << "; the signature is " << ::testing::PrintToString(sig);
  EXPECT_GE(r.stats.max_staleness_s, r.first_violation->staleness_s);
  ASSERT_TRUE(r.counterexample);
  EXPECT_LE(*r.counterexample_steps, 8) << "shrinking should leave a handful of steps";
  EXPECT_FALSE(r.timeline.empty());
  // The saved counterexample replays, in-process, to the same violation.
  Counterexample saved = load_counterexample(o.out_dir + "/" + *r.counterexample);
  // It holds the steps and the history it recorded (the violation: see the rollback test).
  EXPECT_EQ(saved.strategy, c.strategy);
  EXPECT_EQ(saved.scenario, c.scenario);
  EXPECT_EQ(static_cast<int>(saved.script.steps.size()), *r.counterexample_steps);
  EXPECT_TRUE(saved.history);
  InProcessTarget target(saved.config);
  ReplayResult replayed = replay(saved, target);
  ASSERT_TRUE(replayed.shown);
  EXPECT_EQ(to_string(replayed.shown->kind), r.first_violation->kind);
  EXPECT_EQ(replayed.shown->item_id, r.first_violation->item);
  EXPECT_EQ(std::string(to_string(replayed.shown->layer)), r.first_violation->layer);
}

INSTANTIATE_TEST_SUITE_P(
    MustFailAndMustPass, ScenarioCell,
    ::testing::Values(
        Cell{"versioned", "concurrent-users", "fail"}, Cell{"audience", "concurrent-users", "pass"},
        Cell{"sweep", "multi-tab", "fail"}, Cell{"versioned", "multi-tab", "pass"},
        Cell{"versioned", "multi-tab", "fail", "unset"},  // the browser cache's own bug
        Cell{"none", "multi-tab", "fail", "unset"},
        Cell{"sweep", "filter-changes", "fail"}, Cell{"versioned", "filter-changes", "pass"},
        Cell{"sweep", "cross-month", "fail"}, Cell{"versioned", "cross-month", "pass"},
        Cell{"ttl-only", "multiple-deletions", "fail"}, Cell{"versioned", "multiple-deletions", "pass"},
        Cell{"versioned", "cascade-delete", "fail"}, Cell{"audience", "cascade-delete", "pass"},
        Cell{"versioned", "edits", "fail"}, Cell{"audience", "edits", "pass"},
        Cell{"sweep", "read-delete-race", "fail"}, Cell{"versioned", "read-delete-race", "pass"},
        Cell{"versioned", "multi-worker", "fail"}, Cell{"audience", "multi-worker", "fail"},
        Cell{"robust", "multi-worker", "pass"},
        Cell{"versioned", "eviction", "fail"}, Cell{"audience", "eviction", "fail"}, Cell{"robust", "eviction", "pass"},
        // Idling past the TTL is judged for freshness too: stale within the TTL fails.
        Cell{"ttl-only", "ttl-expiry", "fail"}, Cell{"audience", "ttl-expiry", "pass"},
        Cell{"versioned", "assignee-changes", "fail"}, Cell{"audience", "assignee-changes", "pass"},
        Cell{"none", "ttl-expiry", "fail", "unset"}),  // the browser cache exceeds what the server declares
    [](const auto& info) {
      std::string n = info.param.strategy + "_" + info.param.scenario + "_" + info.param.http_cache;
      for (auto& ch : n)
        if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

TEST(ScenarioCells, NonePassesEveryScenarioOnTheServerLayers) {
  MatrixOptions o;
  o.cases = 60;
  o.seed = 7;
  o.out_dir = "";
  for (auto& scenario : scenario_names())
    EXPECT_EQ(run_cell("none", scenario, o, Expectation{"pass", "", {}, {}}).verdict, "pass") << scenario;
}

TEST(ScenarioCells, EvictionFindsTheVersionRollbackOfVersioned) {
  MatrixOptions o;
  o.cases = 100;
  o.seed = 3;
  o.out_dir = out_dir() + "/rollback";
  CellResult r = run_cell("versioned", "eviction", o, Expectation{"fail", "", {}, {}});
  ASSERT_EQ(r.verdict, "fail");
  Counterexample c = load_counterexample(o.out_dir + "/" + *r.counterexample);
  // Loaded, it holds the violation it showed when saved (`cachecheck replay` and the
  // curl replays compare against it).
  EXPECT_TRUE(c.violation) << "the loaded counterexample lost the violation it saved";
  if (c.violation) {
    EXPECT_EQ(to_string(c.violation->kind), r.first_violation->kind);
    EXPECT_EQ(c.violation->item_id, r.first_violation->item);
    EXPECT_EQ(to_string(c.violation->layer), r.first_violation->layer);
  }
  // The shrunk steps must contain the fault that makes it a rollback: an evicted
  // version key (or a cull that took it).
  bool evicts_state = false;
  for (auto& s : c.script.steps)
    evicts_state = evicts_state || std::holds_alternative<EvictVersion>(s) || std::holds_alternative<Evict>(s) ||
                   std::holds_alternative<EvictRandom>(s) || std::holds_alternative<Flush>(s);
  EXPECT_TRUE(evicts_state) << to_json(c.script).dump();
}

TEST(ScenarioCells, NamesAreTheContractsAndEachSaysWhatVariesAndHolds) {
  EXPECT_EQ(scenario_names(),
            (std::vector<std::string>{"concurrent-users", "multi-tab", "filter-changes", "cross-month",
                                      "multiple-deletions", "cascade-delete", "edits", "read-delete-race",
                                      "multi-worker", "eviction", "ttl-expiry", "assignee-changes"}));
  for (auto& n : scenario_names()) {
    EXPECT_FALSE(find_scenario(n)->varies.empty());
    EXPECT_FALSE(find_scenario(n)->holds.empty());
  }
}

}  // namespace
