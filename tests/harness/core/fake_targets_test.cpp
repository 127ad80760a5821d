// The harness judges an application by its answers alone. Against small fake
// applications written to the contract (fake_app.h), with bugs the reference
// server does not have, the matrix must find each bug, never pass a target that
// fails to answer, and call a cell `unsupported` when the target lacks what the
// scenario needs. These tests link only cachecheck_core and the scenarios.
#include <gtest/gtest.h>

#include "fake_app.h"
#include "generate/scenario.h"
#include "run/matrix.h"

namespace {

using namespace cachecheck;

MatrixOptions options(const std::string& target, int cases = 100) {
  fakeapp::register_fake_targets();
  MatrixOptions o;
  o.target = target;
  o.cases = cases;
  o.seed = 0;
  o.out_dir = "";
  return o;
}

CellResult cell(const std::string& target, const std::string& scenario, int cases = 100) {
  return run_cell("fake", scenario, options(target, cases), Expectation{"pass", "", {}, {}});
}

TEST(FakeTargets, TheCorrectApplicationPassesEveryScenarioItCanRun) {
  for (const auto& scenario : scenario_names()) {
    CellResult c = cell("fake:correct", scenario, 30);
    if (c.verdict == "unsupported") {
      EXPECT_FALSE(c.unsupported_reason.empty()) << scenario;
      continue;
    }
    EXPECT_EQ(c.verdict, "pass") << scenario << ": " << nlohmann::json(c.timeline).dump(1);
    EXPECT_GT(c.cases_run, 0) << scenario;
  }
}

TEST(FakeTargets, AFeedThatDropsSubtasksUnderTheTaskFilterFails) {
  CellResult c = cell("fake:drops-subtask", "filter-changes");
  ASSERT_EQ(c.verdict, "fail");
  ASSERT_TRUE(c.first_violation);
  EXPECT_EQ(c.first_violation->kind, "missing");
  EXPECT_FALSE(c.timeline.empty());
}

TEST(FakeTargets, AFeedThatShowsHiddenItemsFails) {
  CellResult c = cell("fake:shows-invisible", "concurrent-users");
  ASSERT_EQ(c.verdict, "fail");
  ASSERT_TRUE(c.first_violation);
  EXPECT_EQ(c.first_violation->kind, "filter-violation");
}

TEST(FakeTargets, ATargetThatFailsEveryTenthRequestNeverPasses) {
  for (const char* scenario : {"concurrent-users", "multiple-deletions", "edits"}) {
    CellResult c = cell("fake:flaky", scenario, 40);
    EXPECT_NE(c.verdict, "pass") << scenario;
    EXPECT_GT(c.indeterminate_reads + c.indeterminate_writes, 0u) << scenario;
    if (c.verdict == "unknown") {
      EXPECT_NE(c.unsupported_reason.find("indeterminate"), std::string::npos);
    }
    RunResults r;
    r.runs.push_back(c);
    auto j = to_json(r)["runs"][0];
    EXPECT_EQ(j["indeterminate"]["reads"], c.indeterminate_reads);
    EXPECT_EQ(j["indeterminate"]["writes"], c.indeterminate_writes);
  }
}

TEST(FakeTargets, AOneWorkerServerCannotRunMultiWorkerNorUnofferedFaults) {
  CellResult multi = cell("fake:one-worker", "multi-worker", 5);
  EXPECT_EQ(multi.verdict, "unsupported");
  EXPECT_NE(multi.unsupported_reason.find("server processes"), std::string::npos) << multi.unsupported_reason;
  CellResult evict = cell("fake:one-worker", "eviction", 5);
  EXPECT_EQ(evict.verdict, "unsupported");
  EXPECT_NE(evict.unsupported_reason.find("fault"), std::string::npos) << evict.unsupported_reason;
  EXPECT_FALSE(multi.matches());  // expected pass: `unsupported` is a difference, never a pass
  RunResults r;
  r.runs.push_back(multi);
  EXPECT_EQ(to_json(r)["runs"][0]["unsupported_reason"], multi.unsupported_reason);
}

}  // namespace
