// The cachecheck command line end to end: exit codes 0/1/2, results.json in the
// contract's shape, counterexamples with curl scripts, replay, determinism.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace {

std::string bin(const std::string& name) {
  return (fs::read_symlink("/proc/self/exe").parent_path() / name).string();
}

struct Result {
  int code;
  std::string out;
};

Result sh(const std::string& cmd) {
  std::array<char, 4096> buf{};
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  while (p && fgets(buf.data(), buf.size(), p)) out += buf.data();
  int status = p ? pclose(p) : -1;
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

fs::path temp_dir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("cachecheck-cli-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

nlohmann::json read_json(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

std::string cachecheck() { return bin("cachecheck") + " "; }
std::string expectations() { return std::string(CACHECHECK_SOURCE_DIR) + "/scenarios/expectations.json"; }

TEST(Cli, RunWritesTheContractsOutputsAndExitsZeroWhenAsExpected) {
  auto out = temp_dir("run");
  auto r = sh(cachecheck() + "run --strategies sweep,robust --scenarios multiple-deletions,cross-month --cases 40 --seed 5 --quiet --expectations " +
              expectations() + " --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("sweep"), std::string::npos);
  auto j = read_json(out / "results.json");
  EXPECT_EQ(j["tool"], "cachecheck");
  EXPECT_EQ(j["seed"], 5);
  EXPECT_EQ(j["target"], "in-process");
  EXPECT_EQ(j["backend"], "memory");
  EXPECT_EQ(j["cases"], 40);
  ASSERT_EQ(j["runs"].size(), 4u);
  for (auto& run : j["runs"]) {
    for (auto* key : {"strategy", "scenario", "verdict", "expected", "cases_run", "violations", "first_violation",
                      "counterexample", "counterexample_steps", "stats", "elapsed_s"})
      EXPECT_TRUE(run.contains(key)) << key;
    for (auto* key : {"reads", "writes", "hit_rate", "cache_ops_per_write", "round_trips_per_write", "max_staleness_s",
                      "p99_staleness_s"})
      EXPECT_TRUE(run["stats"].contains(key)) << key;
    if (run["verdict"] == "fail") {
      auto file = out / run["counterexample"].get<std::string>();
      EXPECT_TRUE(fs::exists(file));
      auto sh_file = file;
      sh_file.replace_extension(".sh");
      EXPECT_TRUE(fs::exists(sh_file));
      EXPECT_EQ(sh("bash -n " + sh_file.string()).code, 0);
      for (auto* key : {"kind", "item", "user", "layer", "staleness_s"})
        EXPECT_TRUE(run["first_violation"].contains(key)) << key;
    }
  }
  for (auto* f : {"report.md", "report.html", "junit.xml"}) EXPECT_TRUE(fs::exists(out / f)) << f;
}

TEST(Cli, ExitsOneWhenAVerdictDiffersAndSaysHowToReproduce) {
  auto out = temp_dir("differ");
  std::ofstream(out / "exp.json") << R"({"sweep": {"multiple-deletions": {"verdict": "pass", "reason": "wrongly hoped"}}})";
  auto r = sh(cachecheck() + "run --strategies sweep --scenarios multiple-deletions --cases 30 --seed 1 --quiet --expectations " +
              (out / "exp.json").string() + " --out " + out.string());
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("cachecheck replay"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("seed 1"), std::string::npos) << r.out;
}

TEST(Cli, UsageAndEnvironmentErrorsExitTwoWithOneLine) {
  for (std::string args : {"run --strategies nope", "run --scenarios nope", "run --cases 0", "run --backend memcached://x",
                           "run --backend redis://127.0.0.1:1", "run --target http://127.0.0.1:1", "run --target ftp://x",
                           "run --http-cache sometimes", "run --layers some", "run --bogus-flag", "replay /nonexistent.json",
                           "frobnicate"}) {
    auto r = sh(cachecheck() + args + " --quiet");
    EXPECT_EQ(r.code, 2) << args << "\n" << r.out;
    EXPECT_FALSE(r.out.empty()) << args;
  }
}

TEST(Cli, HelpAndVersion) {
  EXPECT_EQ(sh(cachecheck() + "--help").code, 0);
  EXPECT_EQ(sh(cachecheck() + "run --help").code, 0);
  EXPECT_EQ(sh(cachecheck() + "replay --help").code, 0);
  auto v = sh(cachecheck() + "--version");
  EXPECT_EQ(v.code, 0);
  EXPECT_NE(v.out.find("cachecheck"), std::string::npos);
}

TEST(Cli, ReplayExitsOneWhenTheViolationShowsAndZeroWhenFixed) {
  auto out = temp_dir("replay");
  auto r = sh(cachecheck() + "run --strategies sweep --scenarios multiple-deletions --cases 30 --seed 2 --quiet --expectations " +
              expectations() + " --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.out;
  auto file = out / "counterexamples/sweep--multiple-deletions.json";
  auto replayed = sh(cachecheck() + "replay " + file.string());
  EXPECT_EQ(replayed.code, 1) << replayed.out;
  EXPECT_NE(replayed.out.find("VIOLATION stale-visible"), std::string::npos) << replayed.out;
  EXPECT_NE(replayed.out.find("1. "), std::string::npos);
  // The same steps against the strategy that fixes it: no violation.
  auto j = read_json(file);
  j["strategy"] = "robust";
  j["config"]["strategy"] = "robust";
  std::ofstream(out / "fixed.json") << j.dump();
  auto fixed = sh(cachecheck() + "replay " + (out / "fixed.json").string());
  EXPECT_EQ(fixed.code, 0) << fixed.out;
  EXPECT_NE(fixed.out.find("no violation"), std::string::npos);
  std::ofstream(out / "bad.json") << "{\"tool\": \"something else\"}";
  EXPECT_EQ(sh(cachecheck() + "replay " + (out / "bad.json").string()).code, 2);
}

TEST(Cli, SameSeedSameResultsAndCounterexamplesByteForByte) {
  auto a = temp_dir("det-a"), b = temp_dir("det-b");
  std::string args = "run --strategies sweep,versioned --scenarios read-delete-race,concurrent-users,eviction --cases 50 --seed 9 --quiet --expectations " + expectations();
  sh(cachecheck() + args + " --out " + a.string());
  sh(cachecheck() + args + " --out " + b.string());
  auto ja = read_json(a / "results.json"), jb = read_json(b / "results.json");
  auto strip = [](nlohmann::json j) {
    j.erase("elapsed_s");
    j.erase("ops_checked_per_s");
    for (auto& r : j["runs"]) r.erase("elapsed_s");
    return j.dump();
  };
  EXPECT_EQ(strip(ja), strip(jb));
  int files = 0;
  for (auto& entry : fs::directory_iterator(a / "counterexamples")) {
    std::ifstream fa(entry.path()), fb(b / "counterexamples" / entry.path().filename());
    std::stringstream sa, sb;
    sa << fa.rdbuf();
    sb << fb.rdbuf();
    EXPECT_EQ(sa.str(), sb.str()) << entry.path();
    ++files;
  }
  EXPECT_GT(files, 0);
}

}  // namespace
