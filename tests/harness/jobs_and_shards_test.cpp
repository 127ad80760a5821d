// Issue 15: `run --jobs N` and `run --shard K/N` + `cachecheck merge` give the same
// results as a plain run (timings aside), byte for byte, counterexamples included;
// the pieces that do not fit together are refused with one line and exit 2.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "run/results.h"
#include "shell_support.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using harnesstest::cachecheck;
using harnesstest::sh;
using Result = harnesstest::ShellResult;
using harnesstest::read_file;

// results.json without what measures time.
json timeless(const fs::path& results) {
  json j = json::parse(read_file(results));
  j.erase("elapsed_s");
  j.erase("ops_checked_per_s");
  for (auto& c : j["runs"]) c.erase("elapsed_s");
  return j;
}

void expect_same_counterexamples(const fs::path& a, const fs::path& b) {
  std::size_t files = 0;
  for (auto& e : fs::directory_iterator(a / "counterexamples")) {
    ++files;
    EXPECT_EQ(read_file(e.path()), read_file(b / "counterexamples" / e.path().filename())) << e.path().filename();
  }
  EXPECT_GT(files, 0u);
  EXPECT_EQ(files, static_cast<std::size_t>(std::distance(fs::directory_iterator(b / "counterexamples"), {})));
}

// A small matrix with failing and passing cells (sweep fails, robust passes).
const std::string kMatrix = "run --strategies sweep,versioned,robust --scenarios multi-tab,edits,eviction --cases 25 "
                            "--seed 4 --quiet ";

class JobsAndShards : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("cachecheck-shards-" + std::to_string(getpid())));
    fs::remove_all(*dir_);
    plain_ = new Result(sh(cachecheck() + kMatrix + "--jobs 1 --out " + (*dir_ / "plain").string()));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete plain_;
  }
  static fs::path* dir_;
  static Result* plain_;
};
fs::path* JobsAndShards::dir_ = nullptr;
Result* JobsAndShards::plain_ = nullptr;

TEST_F(JobsAndShards, TwoJobsGiveTheResultsOfOne) {
  ASSERT_EQ(plain_->code, 0) << plain_->out;
  const fs::path two = *dir_ / "two-jobs";
  auto r = sh(cachecheck() + kMatrix + "--jobs 2 --out " + two.string());
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(timeless(*dir_ / "plain/results.json"), timeless(two / "results.json"));
  expect_same_counterexamples(*dir_ / "plain", two);
}

TEST_F(JobsAndShards, MergedShardsGiveTheResultsOfAPlainRun) {
  ASSERT_EQ(plain_->code, 0) << plain_->out;
  std::string folders;
  for (int k = 1; k <= 4; ++k) {  // 9 cells over 4 shards: uneven slices
    const fs::path shard = *dir_ / ("shard-" + std::to_string(k));
    auto r = sh(cachecheck() + kMatrix + "--shard " + std::to_string(k) + "/4 --out " + shard.string());
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_EQ(json::parse(read_file(shard / "results.json"))["shard"], std::to_string(k) + "/4");
    folders += shard.string() + " ";
  }
  const fs::path merged = *dir_ / "merged";
  auto r = sh(cachecheck() + "merge " + folders + "--out " + merged.string());
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(timeless(*dir_ / "plain/results.json"), timeless(merged / "results.json"));
  expect_same_counterexamples(*dir_ / "plain", merged);
  for (const char* f : {"report.md", "report.html", "junit.xml"}) EXPECT_TRUE(fs::exists(merged / f)) << f;
}

TEST_F(JobsAndShards, PiecesThatDoNotFitAreRefusedWithOneLine) {
  const fs::path d = *dir_ / "refused";
  for (int k = 1; k <= 2; ++k)
    ASSERT_EQ(sh(cachecheck() + kMatrix + "--shard " + std::to_string(k) + "/2 --out " + (d / ("s" + std::to_string(k))).string()).code, 0);
  std::string fewer_cases = kMatrix;
  fewer_cases.replace(fewer_cases.find("--cases 25"), 10, "--cases 10");
  ASSERT_EQ(sh(cachecheck() + fewer_cases + "--shard 2/2 --out " + (d / "other").string()).code, 0);
  const std::string s1 = (d / "s1").string(), s2 = (d / "s2").string(), out = " --out " + (d / "m").string();
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"merge " + s1 + out, "missing shard(s) 2/2"},
      {"merge " + s1 + " " + s1 + out, "is given twice"},
      {"merge " + s1 + " " + (d / "other").string() + out, "other settings"},
      {"merge " + s1 + " " + (*dir_ / "plain").string() + out, "not a shard's results"},
      {"merge " + s1 + " " + (d / "absent").string() + out, "cannot read"},
      {"merge " + s1 + " " + s2 + " --out " + s1, "one of the shards' folders"},
      {kMatrix + "--shard 0/2" + out, "--shard"},
      {kMatrix + "--shard 3/2" + out, "K ≤ N"},
      {kMatrix + "--shard two" + out, "--shard"},
      {kMatrix + "--jobs 0" + out, "--jobs"},
  };
  for (auto& [args, says] : bad) {
    auto r = sh(cachecheck() + args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.out;
    EXPECT_NE(r.out.find(says), std::string::npos) << args << "\n" << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << args << "\n" << r.out;
  }
}

TEST(ResultsJson, ACellReadBackWritesTheSameJson) {
  // The path a cell's result takes from a job process to the parent, and from a shard to merge.
  cachecheck::CellResult c;
  c.strategy = "sweep";
  c.scenario = "edits";
  c.verdict = "fail";
  c.expected = "fail";
  c.expected_kinds = {"stale-content"};
  c.expected_layers = {"server-cache"};
  c.violations = {{"stale-content", 3}};
  c.violations_by_layer = {{"stale-content", {{"server-cache", 3}}}};
  c.first_violation = cachecheck::FirstViolation{"stale-content", "id-1", "server-cache", 2, "bob-1", 0.1 + 0.2};
  c.counterexample = "counterexamples/sweep--edits.json";
  c.counterexample_steps = 4;
  c.timeline = {"1. alice views", "2. bob edits"};
  c.stats.hit_rate = 1.0 / 3.0;
  c.stats.round_trips_per_read = 1.523076923076923;
  c.staleness.add(0.3);
  c.unsupported_reason = "";
  const json once = cachecheck::cell_to_json(c);
  EXPECT_EQ(cachecheck::cell_to_json(cachecheck::cell_from_json(once)).dump(), once.dump());
  EXPECT_TRUE(cachecheck::cell_from_json(once).matches());
}

}  // namespace
