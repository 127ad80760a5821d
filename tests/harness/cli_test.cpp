// The cachecheck command line end to end: exit codes 0/1/2, results.json in the
// contract's shape, counterexamples with curl scripts, replay, determinism.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "server_fixture.h"
#include "shell_support.h"

namespace fs = std::filesystem;

namespace {

using harnesstest::bin;
using harnesstest::sh;
using Result = harnesstest::ShellResult;

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

using harnesstest::cachecheck;
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
                      "p99_staleness_s", "store_queries_per_read", "violating_cases"})
      EXPECT_TRUE(run["stats"].contains(key)) << key;
    // What the outcomes and the layers add: nothing indeterminate in-process, every case finished.
    for (auto* key : {"indeterminate", "signature", "violations_by_layer", "staleness_samples", "ops", "aborted_cases"})
      EXPECT_TRUE(run.contains(key)) << key;
    EXPECT_EQ(run["indeterminate"]["reads"], 0);
    EXPECT_EQ(run["indeterminate"]["writes"], 0);
    EXPECT_EQ(run["aborted_cases"], 0);
    EXPECT_EQ(run["cases_run"], 40);
    EXPECT_GT(run["ops"].get<long long>(), 0);
    EXPECT_FALSE(run.contains("unsupported_reason")) << run.dump();
    EXPECT_FALSE(run.contains("difference")) << run.dump();  // every verdict as expected (exit 0)
    std::uint64_t samples = 0;
    for (auto& n : run["staleness_samples"]["counts"]) samples += n.get<std::uint64_t>();
    EXPECT_EQ(run["staleness_samples"]["counts"].size(), run["staleness_samples"]["bounds_s"].size() + 1);
    // One sample per judged read on the counted layers (the tabs' memory is beside the verdict).
    EXPECT_LE(samples, run["stats"]["reads"].get<std::uint64_t>());
    EXPECT_GT(samples, 0u);
    if (run["verdict"] == "pass") {
      EXPECT_TRUE(run["signature"].empty()) << run.dump();
      EXPECT_TRUE(run["violations_by_layer"].empty()) << run.dump();
    }
    if (run["verdict"] == "fail") {
      auto file = out / run["counterexample"].get<std::string>();
      EXPECT_TRUE(fs::exists(file));
      auto sh_file = file;
      sh_file.replace_extension(".sh");
      EXPECT_TRUE(fs::exists(sh_file));
      EXPECT_EQ(sh("bash -n " + sh_file.string()).code, 0);
      for (auto* key : {"kind", "item", "user", "layer", "staleness_s"})
        EXPECT_TRUE(run["first_violation"].contains(key)) << key;
      // The signature is "<kind>@<layer>" of what was counted, as violations_by_layer has it.
      std::vector<std::string> from_layers;
      for (auto& [kind, layers] : run["violations_by_layer"].items())
        for (auto& [layer, n] : layers.items())
          if (n.get<long long>() > 0) from_layers.push_back(kind + "@" + layer);
      std::sort(from_layers.begin(), from_layers.end());
      EXPECT_EQ(run["signature"].get<std::vector<std::string>>(), from_layers);
      EXPECT_FALSE(from_layers.empty());
    }
  }
  EXPECT_EQ(j["interrupted"], false);
  for (auto* f : {"report.md", "report.html", "junit.xml"}) EXPECT_TRUE(fs::exists(out / f)) << f;
}

// A failing cell's signature (the kinds and layers it fails with, what an expectation's
// "kinds"/"layers" are checked against) names the violation its counterexample shows.
TEST(Cli, TheSignatureNamesTheViolationTheCounterexampleShows) {
  auto out = temp_dir("signature");
  auto r = sh(cachecheck() + "run --strategies sweep --scenarios cross-month,multiple-deletions --cases 40 --seed 5 " +
              "--quiet --expectations " + expectations() + " --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = read_json(out / "results.json");
  for (auto& run : j["runs"]) {
    ASSERT_EQ(run["verdict"], "fail") << run.dump();
    std::string kind = run["first_violation"]["kind"], layer = run["first_violation"]["layer"];
    auto sig = run["signature"].get<std::vector<std::string>>();
    EXPECT_NE(std::find(sig.begin(), sig.end(), kind + "@" + layer), sig.end())
        << run["scenario"] << ": the counterexample shows " << kind << "@" << layer << ", the signature is "
        << run["signature"].dump() << ", the violations " << run["violations"].dump();
    EXPECT_TRUE(run["violations"].contains(kind)) << run["scenario"] << ": " << run["violations"].dump();
  }
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

// An expected failure is no blank cheque: a violation kind or a layer its expectation does
// not name is a difference (exit 1), reported as such; the ones it names are not.
// multiple-deletions only deletes, so `sweep` fails it with stale-visible/dangling on the
// server's cache — never `missing`, never through the browser's cache.
TEST(Cli, ANewKindOrLayerInAnExpectedFailCellFailsTheRun) {
  auto out = temp_dir("new-kind");
  auto run = [&](const std::string& cell) {
    std::ofstream(out / "exp.json") << R"({"sweep": {"multiple-deletions": )" << cell << "}}";
    return sh(cachecheck() + "run --strategies sweep --scenarios multiple-deletions --cases 40 --seed 2 --quiet " +
              "--expectations " + (out / "exp.json").string() + " --out " + (out / "run").string());
  };
  auto named = run(R"({"verdict": "fail", "reason": "r", "kinds": ["stale-visible", "dangling"], "layers": ["server-cache"]})");
  EXPECT_EQ(named.code, 0) << named.out;

  auto kind = run(R"({"verdict": "fail", "reason": "r", "kinds": ["missing"]})");
  EXPECT_EQ(kind.code, 1) << kind.out;
  EXPECT_NE(kind.out.find("which its expectation does not name"), std::string::npos) << kind.out;
  auto j = read_json(out / "run" / "results.json");
  ASSERT_EQ(j["runs"].size(), 1u);
  EXPECT_EQ(j["runs"][0]["verdict"], "fail");
  EXPECT_NE(j["runs"][0]["difference"].get<std::string>().find("fails with "), std::string::npos) << j["runs"][0].dump();

  auto layer = run(R"({"verdict": "fail", "reason": "r", "layers": ["http-cache"]})");
  EXPECT_EQ(layer.code, 1) << layer.out;
  EXPECT_NE(layer.out.find("fails on layer server-cache"), std::string::npos) << layer.out;
}

// Each bad input: exit 2, and one line saying what is wrong — "cachecheck <verb>: …" for
// what the verb finds, "cachecheck: …" for what the command-line parser (CLI11) refuses.
// Never a crash, never a run.
struct BadInput {
  std::string args;      // after "cachecheck "; {out} is replaced by a fresh directory
  std::string prefix;    // how the line starts
  std::string fragment;  // what it must name
};

void PrintTo(const BadInput& b, std::ostream* os) { *os << b.args; }

class CliBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(CliBadInput, ExitsTwoWithOneLine) {
  const BadInput& b = GetParam();
  auto out = temp_dir("bad");
  std::string args = b.args;
  for (auto pos = args.find("{out}"); pos != std::string::npos; pos = args.find("{out}"))
    args.replace(pos, 5, out.string());
  auto r = sh("timeout 120 " + cachecheck() + args);
  EXPECT_EQ(r.code, 2) << args << "\n" << r.out;
  std::string line = r.out;
  if (!line.empty() && line.back() == '\n') line.pop_back();
  EXPECT_FALSE(line.empty()) << args;
  EXPECT_EQ(line.find('\n'), std::string::npos) << "more than one line:\n" << r.out;
  EXPECT_EQ(line.rfind(b.prefix, 0), 0u) << "expected it to start with '" << b.prefix << "':\n" << r.out;
  EXPECT_NE(line.find(b.fragment), std::string::npos) << "expected '" << b.fragment << "' in:\n" << r.out;
  for (const char* crash : {"terminate called", "Aborted", "Segmentation", "core dumped", "what():"})
    EXPECT_EQ(r.out.find(crash), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out / "results.json")) << "nothing ran";
}

// A small run for every `run` row, so that an input wrongly accepted would finish soon.
const std::string kSmall = " --cases 1 --quiet --out {out}";

INSTANTIATE_TEST_SUITE_P(
    Table, CliBadInput,
    ::testing::Values(
        BadInput{"run --strategies nope --scenarios ttl-expiry" + kSmall, "cachecheck: ", "unknown strategy 'nope'"},
        BadInput{"run --strategies , --scenarios ttl-expiry" + kSmall, "cachecheck: ",
                 "the strategy list ',' selects nothing"},
        BadInput{"run --strategies none --scenarios nope" + kSmall, "cachecheck: ", "unknown scenario 'nope'"},
        BadInput{"run --strategies none --scenarios ,,"  + kSmall, "cachecheck: ",
                 "the scenario list ',,' selects nothing"},
        BadInput{"run --strategies none --scenarios ttl-expiry --seed -1" + kSmall, "cachecheck: ",
                 "--seed: '-1' is not a decimal number"},
        BadInput{"run --strategies none --scenarios ttl-expiry --seed 12abc" + kSmall, "cachecheck: ",
                 "--seed: '12abc' is not a decimal number"},
        BadInput{"run --strategies none --scenarios ttl-expiry --seed 0x10" + kSmall, "cachecheck: ",
                 "--seed: '0x10' is not a decimal number"},
        BadInput{"run --strategies none --scenarios ttl-expiry --seed 18446744073709551616" + kSmall, "cachecheck: ",
                 "--seed: '18446744073709551616' is out of range"},
        BadInput{"run --strategies none --scenarios ttl-expiry --quiet --out {out} --cases 0x10", "cachecheck: ",
                 "--cases: '0x10' is not a decimal number"},
        BadInput{"run --strategies none --scenarios ttl-expiry --workers 1e1" + kSmall, "cachecheck: ",
                 "--workers: '1e1' is not a decimal number"},
        BadInput{"gate --baseline reports/baseline.json --cases 0x10 --out {out}", "cachecheck: ",
                 "--cases: '0x10' is not a decimal number"},
        BadInput{"run --strategies none --scenarios ttl-expiry --quiet --out {out} --cases 0", "cachecheck: ",
                 "--cases: Value 0 not in range 1 to 1000000"},
        BadInput{"run --strategies none --scenarios ttl-expiry --quiet --out {out} --cases 1000001", "cachecheck: ",
                 "--cases: Value 1000001 not in range"},
        BadInput{"run --strategies none --scenarios ttl-expiry --layers some" + kSmall, "cachecheck: ", "--layers"},
        BadInput{"run --strategies none --scenarios ttl-expiry --http-cache sometimes" + kSmall, "cachecheck run: ",
                 "--http-cache"},
        BadInput{"run --strategies none --scenarios ttl-expiry --backend memcached://x" + kSmall, "cachecheck run: ",
                 "--backend"},
        BadInput{"run --strategies none --scenarios ttl-expiry --backend redis://127.0.0.1:1" + kSmall,
                 "cachecheck run: ", "cannot reach Redis at redis://127.0.0.1:1"},
        BadInput{"run --scenarios ttl-expiry --target http://127.0.0.1:1" + kSmall, "cachecheck run: ",
                 "cannot reach http://127.0.0.1:1"},
        BadInput{"run --scenarios ttl-expiry --target ftp://x" + kSmall, "cachecheck run: ",
                 "unknown target 'ftp://x'"},
        BadInput{"run --strategies none --scenarios ttl-expiry --expectations /nonexistent/exp.json" + kSmall,
                 "cachecheck run: ", "/nonexistent/exp.json"},
        BadInput{"run --strategies none --scenarios ttl-expiry --bogus-flag" + kSmall, "cachecheck: ", "--bogus-flag"},
        BadInput{"replay /nonexistent/counterexample.json", "cachecheck replay: ", "/nonexistent/counterexample.json"},
        BadInput{"replay", "cachecheck: ", "FILE"},
        BadInput{"replay scenarios/seed/test1-fullcalendar-month.json --browser --target targets/calendar-server.yaml",
                 "cachecheck replay: ", "--browser needs the in-process or an http:// target"},
        BadInput{"frobnicate", "cachecheck: ", "subcommand"},
        // issue 13: `cachecheck requests`
        BadInput{"requests --client month --date 2025-10-15", "cachecheck requests: ",
                 "unknown client model or view 'month'"},
        BadInput{"requests --client dayGridMonth --date 2025-02-30", "cachecheck requests: ",
                 "--date: '2025-02-30' is not a date"},
        BadInput{"requests --client dayGridMonth", "cachecheck: ", "--date"},
        BadInput{"requests --client dayGridMonth --date 2025-10-15 --first-day 7", "cachecheck: ", "--first-day"},
        BadInput{"requests --client dayGridMonth --date 2025-10-15 --time-zone Mars/Olympus", "cachecheck requests: ",
                 "--time-zone: 'Mars/Olympus'"},
        BadInput{"requests --client dayGridMonth --date 2025-10-15 --browser-time-zone utc+8", "cachecheck requests: ",
                 "--browser-time-zone: unknown time zone 'utc+8'"},
        BadInput{"requests --client dayGridMonth --date 2025-10-15 --lazy-fetching yes", "cachecheck requests: ",
                 "--lazy-fetching: 'yes' is not true or false"},
        BadInput{"requests --client dayGridMonth --date 2025-10-15 --fixed-week-count 1", "cachecheck requests: ",
                 "--fixed-week-count: '1' is not true or false"},
        BadInput{"requests --client dayGridMonth --date 2025-10-15 --actions next,sideways", "cachecheck requests: ",
                 "unknown action 'sideways'"},
        BadInput{"requests --client month-aligned --date 2025-10-15 --actions view:listWeek", "cachecheck requests: ",
                 "no view:NAME"},
        BadInput{"requests --client dayGridMonth --date 2025-10-15 --extra-param =x", "cachecheck requests: ",
                 "not KEY=VALUE"}),
    [](const auto& info) { return "row" + std::to_string(info.index); });

// A counterexample whose backend cannot be reached is an environment error (exit 2),
// never "no violation".
TEST(Cli, ReplayWithAnUnreachableBackendExitsTwo) {
  auto out = temp_dir("replay-redis");
  auto r = sh(cachecheck() + "run --strategies sweep --scenarios multiple-deletions --cases 30 --seed 2 --quiet " +
              "--expectations " + expectations() + " --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.out;
  auto file = out / "counterexamples/sweep--multiple-deletions.json";
  auto j = read_json(file);
  j["config"]["backend"] = "redis://127.0.0.1:1";
  std::ofstream(out / "unreachable.json") << j.dump(2);
  auto replay = sh(cachecheck() + "replay " + (out / "unreachable.json").string());
  EXPECT_EQ(replay.code, 2) << replay.out;
  EXPECT_NE(replay.out.find("cannot reach Redis at redis://127.0.0.1:1"), std::string::npos) << replay.out;
  EXPECT_EQ(replay.out.find("no violation"), std::string::npos) << replay.out;
}

// issue 13: one raw query string per feed request, the initial load then each action.
TEST(Cli, RequestsPrintsOneQueryStringPerFeedRequest) {
  auto r = sh(cachecheck() + "requests --client fullcalendar-month --date 2025-10-15 --first-day 1 "
                             "--browser-time-zone Asia/Manila --actions next,prev,view:timeGridWeek,refetch");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out,
            "start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-11-10T00%3A00%3A00%2B08%3A00\n"
            "start=2025-10-27T00%3A00%3A00%2B08%3A00&end=2025-12-08T00%3A00%3A00%2B08%3A00\n"
            "start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-11-10T00%3A00%3A00%2B08%3A00\n"
            "(no request)\n"
            "start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-10-06T00%3A00%3A00%2B08%3A00\n");
  // A month across New York's spring change; the view name works as --client too.
  r = sh(cachecheck() + "requests --client dayGridMonth --date 2026-03-10 --browser-time-zone America/New_York");
  EXPECT_EQ(r.out, "start=2026-03-01T00%3A00%3A00-05%3A00&end=2026-04-12T00%3A00%3A00-04%3A00\n");
  r = sh(cachecheck() + "requests --client listWeek --date 2025-10-15 --time-zone Europe/Berlin "
                        "--extra-param type=task --lazy-fetching false --actions today --now 2025-10-16");
  EXPECT_EQ(r.out,
            "type=task&start=2025-10-12T00%3A00%3A00&end=2025-10-19T00%3A00%3A00&timeZone=Europe%2FBerlin\n"
            "type=task&start=2025-10-12T00%3A00%3A00&end=2025-10-19T00%3A00%3A00&timeZone=Europe%2FBerlin\n");
  r = sh(cachecheck() + "requests --client month-aligned --date 2025-10-15 --actions next,goto:2025-11-03");
  EXPECT_EQ(r.out, "start=2025-10-01&end=2025-10-31\nstart=2025-11-01&end=2025-11-30\n(no request)\n");
  auto help = sh(cachecheck() + "requests --help");
  EXPECT_EQ(help.code, 0);
  for (const char* word : {"--time-zone", "--browser-time-zone", "--fixed-week-count", "--lazy-fetching", "goto:",
                           "view:", "(no request)", "listYear", "month-aligned"})
    EXPECT_NE(help.out.find(word), std::string::npos) << word;
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
  auto bad = sh(cachecheck() + "replay " + (out / "bad.json").string());
  EXPECT_EQ(bad.code, 2) << bad.out;
  EXPECT_EQ(bad.out.rfind("cachecheck replay: ", 0), 0u) << bad.out;
  // A target that cannot be reached: exit 2, not a verdict.
  auto unreachable = sh(cachecheck() + "replay " + file.string() + " --target http://127.0.0.1:1");
  EXPECT_EQ(unreachable.code, 2) << unreachable.out;
  EXPECT_NE(unreachable.out.find("cachecheck replay: cannot reach http://127.0.0.1:1"), std::string::npos)
      << unreachable.out;
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

// ---- interrupted runs ------------------------------------------------------------

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The first SIGINT lets the case under way finish, drops its cell, writes the finished
// cells with "interrupted": true, and exits 130. Bounded by timeouts; no timing is asserted.
TEST(Cli, SigintStopsTheRunAndWritesTheFinishedCells) {
  auto out = temp_dir("sigint");
  std::string exe = bin("cachecheck"), log = (out / "log").string(), outdir = (out / "reports").string();
  // Started as a script starts a background job: SIGINT inherited as ignored. The
  // run must restore it (issue 9), so the shell's trap comes first.
  std::vector<std::string> args = {"/bin/sh", "-c", "trap '' INT; exec \"$0\" \"$@\"",
                                   exe,          "run",         "--strategies", "none,robust", "--scenarios",
                                   "all",        "--cases",     "1000",         "--seed",      "3",
                                   "--expectations", expectations(), "--out",   outdir};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, "/bin/sh", &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);

  auto wait_for = [&](std::chrono::seconds limit, int& status) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(pid, &status, WNOHANG) == pid) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  };
  // Wait until the run is under way: its first finished cell is reported (the signal
  // handlers are installed by then); then let it run about a second more.
  int status = 0;
  bool exited = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  while (read_text(log).find("[1/") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(exited) << "the run ended before it was interrupted:\n" << read_text(log);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  ASSERT_EQ(kill(pid, SIGINT), 0);
  if (!wait_for(std::chrono::seconds(300), status)) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    FAIL() << "cachecheck run did not stop after SIGINT:\n" << read_text(log);
  }
  ASSERT_TRUE(WIFEXITED(status)) << "ended by a signal, not an exit: " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0)
                                 << "\n" << read_text(log);
  EXPECT_EQ(WEXITSTATUS(status), 130) << read_text(log);
  EXPECT_NE(read_text(log).find("cachecheck run: interrupted"), std::string::npos) << read_text(log);

  ASSERT_TRUE(fs::exists(fs::path(outdir) / "results.json")) << read_text(log);
  auto j = read_json(fs::path(outdir) / "results.json");
  EXPECT_EQ(j["interrupted"], true);
  // Only finished cells: at least the first, never all 22, each with every case run.
  EXPECT_GE(j["runs"].size(), 1u);
  EXPECT_LT(j["runs"].size(), 22u);
  for (auto& run : j["runs"]) {
    EXPECT_EQ(run["cases_run"], 1000) << run["strategy"] << " × " << run["scenario"];
    EXPECT_TRUE(run["verdict"] == "pass" || run["verdict"] == "fail") << run.dump();
  }
  for (auto* f : {"report.md", "report.html", "junit.xml"}) EXPECT_TRUE(fs::exists(fs::path(outdir) / f)) << f;
}

// ---- against a running calendar-server ---------------------------------------------

std::string url_of(const testsupport::ServerFixture& fx) { return "http://127.0.0.1:" + std::to_string(fx.port()); }

TEST(CliOverHttp, RunsTheServersStrategyAndRefusesAnother) {
  testsupport::ServerFixture fx({.strategy = "robust"});
  auto out = temp_dir("http-run");
  // No --strategies: the one the server runs.
  auto r = sh(cachecheck() + "run --target " + url_of(fx) + " --scenarios multiple-deletions --cases 10 --seed 2 " +
              "--quiet --expectations " + expectations() + " --out " + out.string());
  EXPECT_EQ(r.code, 0) << r.out;
  auto j = read_json(out / "results.json");
  EXPECT_EQ(j["target"], url_of(fx));
  ASSERT_EQ(j["runs"].size(), 1u);
  EXPECT_EQ(j["runs"][0]["strategy"], "robust");
  EXPECT_EQ(j["runs"][0]["verdict"], "pass");
  EXPECT_EQ(j["runs"][0]["cases_run"], 10);

  // Another strategy than the server's: a usage error, not a verdict about the wrong one.
  auto other = temp_dir("http-other");
  auto wrong = sh(cachecheck() + "run --target " + url_of(fx) + " --strategies sweep --scenarios multiple-deletions " +
                  "--cases 10 --quiet --expectations " + expectations() + " --out " + other.string());
  EXPECT_EQ(wrong.code, 2) << wrong.out;
  EXPECT_NE(wrong.out.find("unknown strategy 'sweep'"), std::string::npos) << wrong.out;
  EXPECT_NE(wrong.out.find("robust"), std::string::npos) << "it names the server's: " << wrong.out;
  EXPECT_FALSE(fs::exists(other / "results.json"));
}

// Replaying against a server that runs another strategy would narrate the saved one
// and could end "no violation": refused, as `run` refuses it.
TEST(CliOverHttp, ReplayRefusesAServerRunningAnotherStrategy) {
  testsupport::ServerFixture fx({.strategy = "robust"});
  auto out = temp_dir("http-replay-other");
  auto r = sh(cachecheck() + "run --strategies sweep --scenarios multiple-deletions --cases 30 --seed 2 --quiet " +
              "--expectations " + expectations() + " --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.out;
  auto replay = sh(cachecheck() + "replay " + (out / "counterexamples/sweep--multiple-deletions.json").string() +
                   " --target " + url_of(fx));
  EXPECT_EQ(replay.code, 2) << replay.out;
  EXPECT_NE(replay.out.find("runs strategy 'robust'"), std::string::npos) << replay.out;
  EXPECT_EQ(replay.out.find("no violation"), std::string::npos) << replay.out;
}

TEST(CliOverHttp, AScenarioNeedingMoreWorkersIsUnsupportedNeverAPass) {
  testsupport::ServerFixture fx({.strategy = "robust", .workers = 1});
  auto out = temp_dir("http-unsupported");
  auto r = sh(cachecheck() + "run --target " + url_of(fx) + " --scenarios multi-worker,multiple-deletions " +
              "--cases 5 --quiet --expectations " + expectations() + " --out " + out.string());
  EXPECT_EQ(r.code, 1) << "an unsupported cell differs from its expected pass:\n" << r.out;
  auto j = read_json(out / "results.json");
  ASSERT_EQ(j["runs"].size(), 2u);
  auto& mw = j["runs"][0];
  EXPECT_EQ(mw["scenario"], "multi-worker");
  EXPECT_EQ(mw["verdict"], "unsupported");
  ASSERT_TRUE(mw.contains("unsupported_reason"));
  EXPECT_NE(mw["unsupported_reason"].get<std::string>().find("server processes"), std::string::npos) << mw.dump();
  ASSERT_TRUE(mw.contains("difference"));
  EXPECT_NE(mw["difference"].get<std::string>().find("got unsupported"), std::string::npos) << mw.dump();
  EXPECT_EQ(mw["cases_run"], 0);
  EXPECT_EQ(j["runs"][1]["verdict"], "pass");  // the other scenario still runs there
  EXPECT_NE(r.out.find("unsupported"), std::string::npos) << r.out;
}

}  // namespace
