// Issue 15: `cachecheck check HISTORY` judges a recorded history: the README's JSON
// Lines example, counterexamples of a real run in both formats, a clean prefix, and
// bad files (one line, exit 2).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "model/history_jsonl.h"
#include "shell_support.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using harnesstest::cachecheck;
using harnesstest::sh;
using Result = harnesstest::ShellResult;
using harnesstest::read_file;

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

class CheckHistory : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cachecheck-check-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(CheckHistory, TheReadmeExampleShowsTheDeletedItem) {
  // The ```jsonl block of README.md, as a user would copy it.
  const std::string readme = read_file(fs::path(CACHECHECK_SOURCE_DIR) / "README.md");
  const auto start = readme.find("```jsonl\n");
  ASSERT_NE(start, std::string::npos);
  const auto end = readme.find("```", start + 9);
  write(dir_ / "history.jsonl", readme.substr(start + 9, end - start - 9));
  auto r = sh(cachecheck() + "check " + (dir_ / "history.jsonl").string() + " --out " + (dir_ / "out").string());
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("VIOLATION stale-visible: item a1, user 1, tab alice-1, layer server, 0.985 s stale"),
            std::string::npos)
      << r.out;
  const json doc = json::parse(read_file(dir_ / "out/check.json"));
  EXPECT_EQ(doc["verdict"], "fail");
  EXPECT_EQ(doc["violations_by_kind"]["stale-visible"], 1);
  EXPECT_EQ(doc["ops"], 3);
  EXPECT_NE(read_file(dir_ / "out/check.md").find("| 1 | stale-visible | `a1` |"), std::string::npos);
}

TEST_F(CheckHistory, ACounterexampleJudgesTheSameInBothFormatsAndItsCleanPrefixPasses) {
  auto run = sh(cachecheck() + "run --strategies sweep --scenarios multiple-deletions --cases 30 --seed 2 --quiet --out " +
                (dir_ / "run").string());
  ASSERT_EQ(run.code, 0) << run.out;
  const fs::path example = dir_ / "run/counterexamples/sweep--multiple-deletions.json";
  ASSERT_TRUE(fs::exists(example)) << run.out;
  const json results = json::parse(read_file(dir_ / "run/results.json"));
  const std::string kind = results["runs"][0]["first_violation"]["kind"];

  auto as_json = sh(cachecheck() + "check " + example.string() + " --quiet --out " + (dir_ / "a").string());
  EXPECT_EQ(as_json.code, 1) << as_json.out;
  const auto history = cachecheck::history_from_json(json::parse(read_file(example))["history"]);
  write(dir_ / "h.jsonl", cachecheck::to_jsonl(history));
  auto as_jsonl = sh(cachecheck() + "check " + (dir_ / "h.jsonl").string() + " --quiet --out " + (dir_ / "b").string());
  EXPECT_EQ(as_jsonl.code, 1) << as_jsonl.out;
  const json a = json::parse(read_file(dir_ / "a/check.json")), b = json::parse(read_file(dir_ / "b/check.json"));
  EXPECT_EQ(a["violations"], b["violations"]);
  EXPECT_GE(a["violations_by_kind"].value(kind, 0), 1) << a.dump(1);
  // JSON Lines read back is the same history.
  std::istringstream lines(cachecheck::to_jsonl(history));
  EXPECT_EQ(cachecheck::to_json(cachecheck::history_from_jsonl(lines)), cachecheck::to_json(history));

  // Up to (not including) the first violating view: nothing to find.
  const std::size_t first = a["violations"][0]["op_index"];
  auto prefix = history;
  prefix.ops.resize(first);
  write(dir_ / "prefix.jsonl", cachecheck::to_jsonl(prefix));
  auto clean = sh(cachecheck() + "check " + (dir_ / "prefix.jsonl").string() + " --quiet");
  EXPECT_EQ(clean.code, 0) << clean.out;
  EXPECT_NE(clean.out.find("no violation"), std::string::npos) << clean.out;
}

TEST_F(CheckHistory, BadFilesAreOneLineAndExitTwo) {
  write(dir_ / "empty.jsonl", "");
  write(dir_ / "op-first.jsonl", R"({"kind": "view", "user": 1})" "\n");
  write(dir_ / "bad-line.jsonl", "{}\n{\"kind\": \"view\"\n");
  write(dir_ / "bad-kind.jsonl", "{}\n{\"kind\": \"bogus\", \"user\": 1}\n");
  write(dir_ / "array.jsonl", "[1, 2]\n");
  write(dir_ / "bad.json", "{\"ops\": 3}");
  const std::vector<std::pair<std::string, std::string>> bad = {
      {(dir_ / "empty.jsonl").string(), "empty"},
      {(dir_ / "op-first.jsonl").string(), "line 1: the first line is the header"},
      {(dir_ / "bad-line.jsonl").string(), "line 2: not valid JSON"},
      {(dir_ / "bad-kind.jsonl").string(), "line 2: ops[0].kind"},
      {(dir_ / "array.jsonl").string(), "line 1: expected a JSON object"},
      {(dir_ / "bad.json").string(), "ops"},
      {(dir_ / "absent.json").string(), "cannot read"},
      {dir_.string(), "is a folder"},
      {(dir_ / "bad.json").string() + " --format yaml", "--format"},
  };
  for (auto& [args, says] : bad) {
    auto r = sh(cachecheck() + "check " + args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.out;
    EXPECT_NE(r.out.find(says), std::string::npos) << args << "\n" << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << args << "\n" << r.out;
  }
}

}  // namespace
