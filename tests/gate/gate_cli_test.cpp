// `cachecheck gate` and `cachecheck report` as CI runs them: a baseline made by
// --update-baseline from a small real matrix, then an unchanged build compared
// with itself five times in a row (no false alarm); a verdict that differs from
// its expectation turns the gate red with its replay command; junit.xml read by
// junitparser; every bad input is one line on stderr and exit 2.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../reports/junit_count.h"

namespace {

namespace fs = std::filesystem;
using cachecheck::testing::junit_counts;
using nlohmann::json;

const fs::path kSource = CACHECHECK_SOURCE_DIR;
const fs::path kFixtures = kSource / "tests/reports/fixtures";

struct Outcome {
  int code = -1;
  std::string out, err;
};

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs the cachecheck binary from the project root (it finds scenarios/expectations.json there).
Outcome cachecheck(const std::string& args, const std::string& env = "") {
  static int n = 0;
  const fs::path err = fs::temp_directory_path() / ("cachecheck-gate-cli-" + std::to_string(::getpid()) + "-" +
                                                     std::to_string(n++) + ".err");
  const std::string cmd = "cd " + kSource.string() + " && " + env + " " + CACHECHECK_BIN + " " + args + " 2>" +
                          err.string();
  Outcome r;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    while (std::size_t k = std::fread(buf, 1, sizeof buf, p)) r.out.append(buf, k);
    int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  r.err = read(err);
  fs::remove(err);
  return r;
}

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }


class GateCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("cachecheck-gate-cli-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    // A small real matrix, no benchmark: consistency and counters are deterministic.
    auto r = cachecheck("gate --baseline " + baseline() +
                        " --update-baseline --strategies robust,sweep --scenarios multi-tab,edits --cases 20 --seed 3 "
                        "--no-bench --out " + (*dir_ / "make").string());
    made_ = new Outcome(r);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete made_;
  }
  static std::string baseline() { return (*dir_ / "baseline.json").string(); }
  static fs::path* dir_;
  static Outcome* made_;
};
fs::path* GateCli::dir_ = nullptr;
Outcome* GateCli::made_ = nullptr;

TEST_F(GateCli, UpdateBaselineWritesTheSettingsCellsAndMachine) {
  ASSERT_EQ(made_->code, 0) << made_->err;
  EXPECT_NE(made_->out.find("wrote baseline"), std::string::npos) << made_->out;
  auto b = json::parse(read(baseline()));
  EXPECT_EQ(b["kind"], "baseline");
  EXPECT_EQ(b["matrix"]["settings"]["seed"], 3);
  EXPECT_EQ(b["matrix"]["settings"]["cases"], 20);
  EXPECT_EQ(b["matrix"]["settings"]["strategies"], "robust,sweep");
  EXPECT_EQ(b["matrix"]["cells"].size(), 4u);
  EXPECT_TRUE(b["machine"].contains("num_cpus"));
  EXPECT_FALSE(b.contains("bench"));
}

TEST_F(GateCli, AnUnchangedBuildPassesFiveTimesInARow) {
  ASSERT_EQ(made_->code, 0) << made_->err;
  for (int i = 0; i < 5; ++i) {
    const fs::path out = *dir_ / ("same-" + std::to_string(i));
    auto r = cachecheck("gate --baseline " + baseline() + " --out " + out.string());
    ASSERT_EQ(r.code, 0) << "run " << i << ":\n" << r.out << r.err;
    EXPECT_NE(r.out.find("# cachecheck gate: ✅ pass"), std::string::npos) << r.out;
    for (const char* f : {"gate.json", "gate.md", "junit.xml", "report.md", "report.html", "run/results.json"})
      EXPECT_TRUE(fs::exists(out / f)) << f;
    // 4 cells: consistency and counters each.
    EXPECT_EQ(junit_counts(out / "junit.xml"), "8 0 8 0");
  }
}

TEST_F(GateCli, ASelectionComparesOnlyTheCellsItNames) {
  ASSERT_EQ(made_->code, 0) << made_->err;
  // The baseline has robust and sweep; asking for robust alone leaves sweep's cells
  // out of the comparison instead of calling them missing.
  const fs::path out = *dir_ / "robust-only";
  auto r = cachecheck("gate --baseline " + baseline() + " --strategies robust --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(junit_counts(out / "junit.xml"), "4 0 4 0");
  EXPECT_NE(read(out / "gate.md").find("2 baseline cell(s) outside --strategies/--scenarios were not compared"),
            std::string::npos);
}

TEST_F(GateCli, AVerdictThatDiffersTurnsItRedWithTheReplayCommand) {
  ASSERT_EQ(made_->code, 0) << made_->err;
  // The expectations say sweep passes multi-tab: as if a change had broken it.
  auto e = json::parse(read(kSource / "scenarios/expectations.json"));
  e["sweep"]["multi-tab"]["verdict"] = "pass";
  const fs::path exp = *dir_ / "expectations.json";
  std::ofstream(exp) << e.dump(1);
  const fs::path out = *dir_ / "red";
  auto r = cachecheck("gate --baseline " + baseline() + " --expectations " + exp.string() + " --out " + out.string());
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  const std::string md = read(out / "gate.md");
  EXPECT_NE(md.find("**consistency · sweep × multi-tab** — expected pass, got fail: "), std::string::npos) << md;
  EXPECT_NE(md.find("Reproduce: `cachecheck replay " + (out / "run/counterexamples/sweep--multi-tab.json").string()),
            std::string::npos)
      << md;
  EXPECT_EQ(junit_counts(out / "junit.xml"), "8 1 8 1");
  const std::string html = read(out / "report.html");
  EXPECT_NE(html.find("cachecheck gate: ❌ 1 regression"), std::string::npos);
}

TEST_F(GateCli, BadInputsAreOneLineAndExitTwo) {
  ASSERT_EQ(made_->code, 0) << made_->err;
  const fs::path junk = *dir_ / "junk.json";
  std::ofstream(junk) << "{ not json";
  const std::string out = " --out " + (*dir_ / "bad").string();
  struct Case {
    std::string args, says;
  };
  const Case cases[] = {
      {"gate --baseline " + (*dir_ / "absent.json").string() + out, "cannot read baseline"},
      {"gate --baseline " + junk.string() + out, "is not valid JSON"},
      {"gate --baseline " + baseline() + " --results " + junk.string() + out, "is not valid JSON"},
      {"gate --baseline " + baseline() + " --results " + (kFixtures / "results.json").string() + out,
       "incompatible baseline"},
      {"gate --baseline " + baseline() + " --bench " + junk.string() + " --results " + junk.string() + out,
       "is not valid JSON"},
      {"gate --baseline " + baseline() + " --alpha 2" + out, "--alpha"},
      {"gate --baseline " + baseline() + " --times sometimes" + out, "--times"},
      {"report --results " + junk.string() + out, "is not valid JSON"},
      {"report --out " + (*dir_ / "empty").string(), "nothing to report"},
  };
  for (auto& c : cases) {
    auto r = cachecheck(c.args);
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.out << r.err;
    EXPECT_EQ(lines(r.err), 1u) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << c.args << "\n" << r.err;
  }
}

TEST_F(GateCli, ReportRendersFromFilesAndNeedsGnuplot) {
  const fs::path out = *dir_ / "report";
  auto r = cachecheck("report --results " + (kFixtures / "results.json").string() + " --bench " +
                      (kFixtures / "bench.json").string() + " --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* f : {"report.md", "report.html", "junit.xml", "bench.md", "charts/matrix.svg", "charts/nines.gp"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  EXPECT_EQ(junit_counts(out / "junit.xml"), "6 3 6 3");

  auto missing = cachecheck("report --results " + (kFixtures / "results.json").string() + " --out " +
                                (*dir_ / "nognuplot").string(),
                            "CACHECHECK_GNUPLOT=/nonexistent/gnuplot");
  EXPECT_EQ(missing.code, 2) << missing.out << missing.err;
  EXPECT_EQ(lines(missing.err), 1u) << missing.err;
  EXPECT_NE(missing.err.find("gnuplot"), std::string::npos) << missing.err;
}

}  // namespace
