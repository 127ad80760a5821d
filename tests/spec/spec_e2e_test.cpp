// Target specs end to end, against real processes on loopback:
//   - calendar-server (the program) through targets/calendar-server.yaml gives the
//     same verdicts as --target http://… for the same strategy and seed;
//   - taskboard (tests/apps/taskboard: Python's standard library, bearer tokens, other paths,
//     names, date formats, an inclusive end, no reset) is judged through its spec:
//     its fixed mode passes (or is unsupported, with the reason), its buggy mode
//     fails with stale reads from its server cache, shrunk and replayable;
//   - `cachecheck spec check` / `spec probe` / `run --target FILE` exit as documented.
// Few cases per cell: enough to find the bugs, bounded in time.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

#include "app_process.h"
#include "generate/scenario.h"
#include "reproduce/counterexample.h"
#include "run/matrix.h"
#include "spec/parse.h"
#include "targets/spec_target.h"

namespace {

using namespace cachecheck;
using spectest::AppProcess;
using spectest::shell;
namespace fs = std::filesystem;

const std::string kSource = CACHECHECK_SOURCE_DIR;
const std::string kBin = CACHECHECK_BIN_DIR;
const std::string kCalendarSpec = kSource + "/targets/calendar-server.yaml";
const std::string kTaskboardSpec = kSource + "/tests/apps/taskboard/taskboard.yaml";

std::unique_ptr<AppProcess> calendar_server(const std::string& strategy) {
  auto p = std::make_unique<AppProcess>(std::vector<std::string>{kBin + "/calendar-server", "--port", "0", "--admin",
                                                                 "--clock", "manual", "--strategy", strategy});
  setenv("CALENDAR_SERVER", p->url().c_str(), 1);
  return p;
}

std::unique_ptr<AppProcess> taskboard(const std::string& mode) {
  auto p = std::make_unique<AppProcess>(std::vector<std::string>{
      spectest::python3(), kSource + "/tests/apps/taskboard/taskboard.py", "--port", "0", "--mode", mode});
  setenv("TASKBOARD_PORT", p->port().c_str(), 1);
  setenv("TASKBOARD_MODE", mode.c_str(), 1);
  return p;
}

MatrixOptions options(const std::string& target, int cases, const std::string& out = "") {
  quiet_rapidcheck();
  MatrixOptions o;
  o.target = target;
  o.cases = cases;
  o.seed = 7;
  o.out_dir = out;
  return o;
}

const Expectation kPass{"pass", "", {}, {}};

std::string describe(const CellResult& c) {
  std::string out = c.strategy + " × " + c.scenario + ": " + c.verdict + " (" + c.unsupported_reason + ")";
  for (auto& [k, n] : c.violations) out += " " + k + "=" + std::to_string(n);
  for (auto& line : c.timeline) out += "\n    " + line;
  return out;
}

// How many tasks the taskboard holds (hidden ones too): what the harness left behind.
int tasks_on(const AppProcess& app) {
  auto r = shell("curl -sS --max-time 5 " + app.url() + "/api/v2/stats");
  auto j = nlohmann::json::parse(r.output, nullptr, false);
  return j.is_object() ? j.value("tasks", -1) : -1;
}

// `--target http://HOST:PORT` is the spec built into the binary; the file in the
// source tree, read at run time, gives the same verdicts (same requests, same decoding).
TEST(CalendarServerSpec, TheFileGivesTheSameVerdictsAsTheHttpShorthand) {
  int fails = 0, passes = 0;
  for (const char* strategy : {"none", "ttl-only", "versioned"}) {
    auto server = calendar_server(strategy);
    for (const char* scenario : {"multi-tab", "edits", "concurrent-users"}) {
      CellResult by_spec = run_cell(strategy, scenario, options(kCalendarSpec, 8), kPass);
      CellResult by_url = run_cell(strategy, scenario, options(server->url(), 8), kPass);
      EXPECT_EQ(by_spec.verdict, by_url.verdict) << describe(by_spec) << "\n" << describe(by_url);
      EXPECT_EQ(by_spec.cases_run, by_url.cases_run) << scenario;
      EXPECT_EQ(by_spec.violations, by_url.violations) << describe(by_spec) << "\n" << describe(by_url);
      EXPECT_EQ(by_spec.counterexample_steps, by_url.counterexample_steps) << scenario;
      EXPECT_GT(by_spec.stats.reads, 0u);
      EXPECT_GT(by_spec.stats.hit_rate + (std::string(strategy) == "none" ? 1 : 0), 0) << "the stats hook probes";
      fails += by_spec.verdict == "fail";
      passes += by_spec.verdict == "pass";
    }
  }
  EXPECT_GT(fails, 0);   // the comparison covers both verdicts
  EXPECT_GT(passes, 0);
}

TEST(CalendarServerSpec, DeclaresWhatTheServerDoes) {
  auto server = calendar_server("sweep");
  auto target = make_target(kCalendarSpec, TargetConfig{});
  const Capabilities& c = target->capabilities();
  EXPECT_EQ(c.strategy, "sweep");  // read from the stats hook
  EXPECT_EQ(c.workers, 1);
  EXPECT_TRUE(c.reset);
  EXPECT_TRUE(c.manual_clock);
  EXPECT_TRUE(c.probe);
  EXPECT_EQ(c.faults.size(), 5u);
  ASSERT_TRUE(c.staleness_bound_s);
  EXPECT_EQ(*c.staleness_bound_s, 300);
  EXPECT_EQ(target->describe(), "calendar-server");
}

TEST(CalendarServerSpec, ItsCurlScriptUsesTheSpecsHooksAndReproduces) {
  auto server = calendar_server("sweep");
  fs::path out = fs::temp_directory_path() / ("calendar-spec-script-" + std::to_string(getpid()));
  fs::remove_all(out);
  CellResult c = run_cell("sweep", "multiple-deletions", options(kCalendarSpec, 20, out.string()), kPass);
  ASSERT_EQ(c.verdict, "fail") << describe(c);
  ASSERT_TRUE(c.counterexample);
  std::string script = (out / *c.counterexample).string();
  script.replace(script.size() - 5, 5, ".sh");
  std::ifstream in(script);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(text.find("/__admin/reset"), std::string::npos);  // the spec's reset and clock hooks
  EXPECT_NE(text.find("/__admin/clock"), std::string::npos);
  EXPECT_NE(text.find("X-CSRFToken: "), std::string::npos);   // its CSRF header, read from the cookie
  auto stale = shell("bash " + script);  // a manual clock and a reset: deterministic
  EXPECT_EQ(stale.code, 1) << stale.output;
  EXPECT_NE(stale.output.find("violation: stale-visible"), std::string::npos) << stale.output;
  auto fixed = calendar_server("none");
  auto clean = shell("BASE=" + fixed->url() + " bash " + script);
  EXPECT_EQ(clean.code, 0) << clean.output;
  fs::remove_all(out);
}

TEST(TaskboardSpec, TheFixedModePassesWhatItCanRunAndSaysWhyForTheRest) {
  auto app = taskboard("correct");
  int ran = 0;
  std::map<std::string, std::string> unsupported;
  for (const auto& scenario : scenario_names()) {
    CellResult c = run_cell("taskboard-correct", scenario, options(kTaskboardSpec, 10), kPass);
    if (c.verdict == "unsupported") {
      EXPECT_FALSE(c.unsupported_reason.empty()) << scenario;
      unsupported[scenario] = c.unsupported_reason;
      continue;
    }
    EXPECT_EQ(c.verdict, "pass") << describe(c);
    EXPECT_EQ(c.cases_run, 10) << scenario;
    EXPECT_EQ(c.indeterminate_reads + c.indeterminate_writes, 0u) << scenario;
    ++ran;
  }
  EXPECT_GE(ran, 7);
  EXPECT_NE(unsupported["multi-worker"].find("server processes"), std::string::npos) << unsupported["multi-worker"];
  EXPECT_NE(unsupported["eviction"].find("fault"), std::string::npos) << unsupported["eviction"];
  EXPECT_NE(unsupported["ttl-expiry"].find("freshness bound (30 s)"), std::string::npos) << unsupported["ttl-expiry"];
}

// Stale-read symptoms of a cache that keeps an old answer: deleted items shown,
// old fields, new items missing, items shown that no longer match the filter or range.
const std::set<std::string> kStale{"stale-visible", "stale-content", "missing", "filter-violation", "range-violation"};

TEST(TaskboardSpec, TheBuggyModeFailsWithStaleReadsShrunkReplayedAndScripted) {
  auto app = taskboard("actor-only");
  fs::path out = fs::temp_directory_path() / ("taskboard-e2e-" + std::to_string(getpid()));
  fs::remove_all(out);
  CellResult c = run_cell("taskboard-actor-only", "concurrent-users", options(kTaskboardSpec, 60, out.string()), kPass);
  ASSERT_EQ(c.verdict, "fail") << describe(c);
  ASSERT_TRUE(c.first_violation);
  EXPECT_TRUE(kStale.count(c.first_violation->kind)) << describe(c);
  EXPECT_EQ(c.first_violation->layer, "server-cache") << describe(c);  // its cache, by its X-Board-Cache header
  for (auto& [kind, n] : c.violations) EXPECT_TRUE(kStale.count(kind)) << kind;
  ASSERT_TRUE(c.counterexample_steps);
  EXPECT_LE(*c.counterexample_steps, 8) << describe(c);  // shrunk to a few steps
  ASSERT_TRUE(c.counterexample);
  const std::string json_file = (out / *c.counterexample).string();
  const std::string script = json_file.substr(0, json_file.size() - 5) + ".sh";

  // Replayed through the spec. Real threads and a real TTL: a try may miss the race, so up to 3.
  Counterexample saved = load_counterexample(json_file);
  auto target = make_target(kTaskboardSpec, TargetConfig{});
  std::optional<Violation> shown;
  for (int i = 0; i < 3 && !shown; ++i) shown = replay(saved, *target).shown;
  ASSERT_TRUE(shown) << "the replay shows no violation in 3 tries";
  EXPECT_TRUE(kStale.count(std::string(to_string(shown->kind))));
  auto cli = shell(kBin + "/cachecheck replay " + json_file + " --target " + kTaskboardSpec + " --tries 3");
  EXPECT_EQ(cli.code, 1) << cli.output;
  EXPECT_NE(cli.output.find("VIOLATION"), std::string::npos) << cli.output;
  EXPECT_NE(cli.output.find(" of 3 tries"), std::string::npos) << cli.output;

  // Its curl script speaks the taskboard's API (bearer token, its paths), and shows the stale read.
  std::ifstream in(script);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(text.find("/api/v2/board?from="), std::string::npos);
  EXPECT_NE(text.find("Authorization: Bearer "), std::string::npos);
  EXPECT_EQ(text.find("/oobc-management"), std::string::npos);  // nothing of the reference server's API
  spectest::Shell sh;
  for (int i = 0; i < 3 && sh.code != 1; ++i) sh = shell("bash " + script);
  EXPECT_EQ(sh.code, 1) << sh.output;
  EXPECT_NE(sh.output.find("violation: "), std::string::npos) << sh.output;

  // The same steps against the fixed variant: no violation, by replay or by script.
  target.reset();
  auto fixed = taskboard("correct");
  auto fixed_target = make_target(kTaskboardSpec, TargetConfig{});
  Counterexample on_fixed = saved;  // the same steps, on the other configuration (as replay --strategy does)
  on_fixed.strategy = on_fixed.config.strategy = "taskboard-correct";
  EXPECT_FALSE(replay(on_fixed, *fixed_target).shown);
  fixed_target.reset();
  auto clean = shell("BASE=" + fixed->url() + " bash " + script);
  EXPECT_EQ(clean.code, 0) << clean.output;
  EXPECT_NE(clean.output.find("no violation"), std::string::npos) << clean.output;
  fs::remove_all(out);
}

TEST(TaskboardSpec, WhatTheHarnessCreatedIsGoneAfterwards) {
  auto app = taskboard("correct");
  CellResult c = run_cell("taskboard-correct", "cascade-delete", options(kTaskboardSpec, 3), kPass);
  EXPECT_EQ(c.verdict, "pass") << describe(c);
  EXPECT_EQ(tasks_on(*app), 0);
  SpecTarget looker(spec::parse_spec_file(kTaskboardSpec).spec.value());
  looker.connect();
  for (UserId u : {1, 2, 3}) {
    Response r = looker.feed(u, FeedRequest{"", Query{}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(looker.decode_events(r.body, false).empty()) << u << ": " << r.body;
  }
}

TEST(SpecCommands, CheckProbeAndRun) {
  auto app = taskboard("correct");
  auto check = shell(kBin + "/cachecheck spec check " + kTaskboardSpec);
  EXPECT_EQ(check.code, 0) << check.output;
  EXPECT_NE(check.output.find("a valid target spec for taskboard"), std::string::npos) << check.output;
  EXPECT_NE(check.output.find("unsupported  multi-worker"), std::string::npos) << check.output;

  auto probe = shell(kBin + "/cachecheck spec probe " + kTaskboardSpec);
  EXPECT_EQ(probe.code, 0) << probe.output;
  EXPECT_NE(probe.output.find("✓ log in as cat"), std::string::npos) << probe.output;
  EXPECT_NE(probe.output.find("✓ its detail answers 404 (the ground truth: gone)"), std::string::npos) << probe.output;
  EXPECT_EQ(probe.output.find("✗"), std::string::npos) << probe.output;

  {
    auto server = calendar_server("versioned");
    auto cs = shell(kBin + "/cachecheck spec probe " + kCalendarSpec);
    EXPECT_EQ(cs.code, 0) << cs.output;
  }

  fs::path out = fs::temp_directory_path() / ("spec-cli-" + std::to_string(getpid()));
  auto run = shell(kBin + "/cachecheck run --target " + kTaskboardSpec + " --scenarios edits,multi-worker --cases 3 --quiet --out " +
                   out.string());
  EXPECT_EQ(run.code, 1) << run.output;  // multi-worker is unsupported: a difference from "pass"
  std::ifstream in(out / "results.json");
  auto results = nlohmann::json::parse(in);
  ASSERT_EQ(results["runs"].size(), 2u);
  EXPECT_EQ(results["runs"][0]["strategy"], "taskboard-correct");
  EXPECT_EQ(results["runs"][0]["verdict"], "pass");
  EXPECT_EQ(results["runs"][1]["verdict"], "unsupported");
  fs::remove_all(out);
}

TEST(SpecCommands, ABrokenSpecOrAnUnreachableApplicationExitsTwo) {
  fs::path dir = fs::temp_directory_path() / ("spec-broken-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string text;
  {
    std::ifstream in(kTaskboardSpec);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::string broken = text;
  broken.replace(broken.find("  path: /api/v2/board"), 21, "  pth: /api/v2/board");
  broken.replace(broken.find("range: inclusive-end"), 20, "range: inclusive");
  std::ofstream((dir / "broken.yaml").string()) << broken;
  auto check = shell(kBin + "/cachecheck spec check " + (dir / "broken.yaml").string());
  EXPECT_EQ(check.code, 2) << check.output;
  const int path_line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + text.find("  path: /api/v2/board"), '\n'));
  EXPECT_NE(check.output.find("broken.yaml:" + std::to_string(path_line) + ": feed.pth: unknown key"), std::string::npos)
      << check.output;
  EXPECT_NE(check.output.find("feed.path: missing (required)"), std::string::npos) << check.output;
  EXPECT_NE(check.output.find("semantics.range: 'inclusive' is not one of"), std::string::npos) << check.output;
  auto run = shell(kBin + "/cachecheck run --target " + (dir / "broken.yaml").string() + " --cases 1 --quiet");
  EXPECT_EQ(run.code, 2) << run.output;

  setenv("TASKBOARD_PORT", "1", 1);  // nothing listens there
  auto probe = shell(kBin + "/cachecheck spec probe " + kTaskboardSpec);
  EXPECT_EQ(probe.code, 2) << probe.output;
  EXPECT_NE(probe.output.find("cannot be reached"), std::string::npos) << probe.output;
  fs::remove_all(dir);
}

}  // namespace

namespace {

std::string results_of(const fs::path& out, int run, const char* key) {
  std::ifstream in(out / "results.json");
  auto j = nlohmann::json::parse(in);
  return j["runs"][run].value(key, std::string());
}

TEST(SpecCommands, MaxWaitDecidesWhetherARealClockCanOutwaitTheFreshnessBound) {
  auto app = taskboard("correct");
  setenv("TASKBOARD_TTL", "0.005", 1);  // the declared bound: shorter than a capped think time (0.05 s)
  fs::path out = fs::temp_directory_path() / ("spec-maxwait-" + std::to_string(getpid()));
  const std::string run = kBin + "/cachecheck run --target " + kTaskboardSpec + " --scenarios ttl-expiry --cases 2 --quiet --out " +
                          out.string();
  auto waits = shell(run + " --max-wait 30");
  EXPECT_EQ(results_of(out, 0, "verdict"), "pass") << waits.output;  // it waits past the bound, and the app is fresh
  auto capped = shell(run + " --max-wait 0.001");
  EXPECT_EQ(capped.code, 1) << capped.output;
  EXPECT_EQ(results_of(out, 0, "verdict"), "unsupported") << capped.output;
  EXPECT_NE(results_of(out, 0, "unsupported_reason").find("--max-wait"), std::string::npos) << capped.output;
  unsetenv("TASKBOARD_TTL");
  fs::remove_all(out);
}

TEST(SpecCommands, AnInterruptedRunDeletesWhatItCreated) {
  auto app = taskboard("correct");
  fs::path out = fs::temp_directory_path() / ("spec-interrupt-" + std::to_string(getpid()));
  auto sh = shell("timeout 120 bash -c '" + kBin + "/cachecheck run --target " + kTaskboardSpec +
                  " --scenarios cascade-delete --cases 500 --quiet --out " + out.string() +
                  " & p=$!; sleep 2; kill -INT $p; wait $p; echo \"exit=$?\"'");
  EXPECT_NE(sh.output.find("exit=130"), std::string::npos) << sh.output;
  EXPECT_EQ(tasks_on(*app), 0);
  SpecTarget looker(spec::parse_spec_file(kTaskboardSpec).spec.value());
  looker.connect();
  for (UserId u : {1, 2, 3}) {
    Response r = looker.feed(u, FeedRequest{"", Query{}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(looker.decode_events(r.body, false).empty()) << u << ": " << r.body;
  }
  fs::remove_all(out);
}

}  // namespace

namespace {

// The taskboard's spec with its port and mode written in (no environment): one file per configuration.
std::string spec_copy(const fs::path& dir, const AppProcess& app, const std::string& mode) {
  std::ifstream in(kTaskboardSpec);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto swap = [&](const std::string& from, const std::string& to) { text.replace(text.find(from), from.size(), to); };
  swap("${TASKBOARD_MODE:-correct}", mode);
  swap("${TASKBOARD_PORT:-8765}", app.port());
  fs::path file = dir / ("taskboard-" + mode + ".yaml");
  std::ofstream(file) << text;
  return file.string();
}

TEST(SpecCommands, OneRowPerTargetJudgedAgainstTheAppsExpectations) {
  auto fixed = taskboard("correct");
  auto buggy = taskboard("actor-only");
  fs::path dir = fs::temp_directory_path() / ("spec-rows-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string a = spec_copy(dir, *fixed, "correct"), b = spec_copy(dir, *buggy, "actor-only");
  std::ofstream(dir / "expectations.json")
      << R"({"taskboard-actor-only": {"concurrent-users": {"verdict": "fail", "reason": "writes drop only the actor's feeds"}}})";
  auto run = shell(kBin + "/cachecheck run --target " + a + " --target " + b +
                   " --scenarios concurrent-users --cases 10 --quiet --out " + (dir / "out").string() +
                   " --expectations " + (dir / "expectations.json").string());
  EXPECT_EQ(run.code, 0) << run.output;  // each row as its expectation says
  std::ifstream in(dir / "out" / "results.json");
  auto results = nlohmann::json::parse(in);
  ASSERT_EQ(results["runs"].size(), 2u) << run.output;
  EXPECT_EQ(results["runs"][0]["strategy"], "taskboard-correct");
  EXPECT_EQ(results["runs"][0]["verdict"], "pass");
  EXPECT_EQ(results["runs"][1]["strategy"], "taskboard-actor-only");
  EXPECT_EQ(results["runs"][1]["verdict"], "fail");
  EXPECT_TRUE(fs::exists(dir / "out" / "counterexamples" / "taskboard-actor-only--concurrent-users.sh"));
  fs::remove_all(dir);
}

}  // namespace
