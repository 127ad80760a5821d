// Every failing cell's curl script, run against a real calendar-server started
// with the cell's settings: it always reaches the server (never exit 2), and
// where the recorded run had no concurrency, no random choice and one worker,
// it shows a violation again (exit 1) — the script is the run's own requests
// with the oracle's checks, so anyone can replay the bug without cachecheck.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "generate/scenario.h"
#include "reproduce/counterexample.h"
#include "run/matrix.h"
#include "server_fixture.h"
#include "targets/in_process/in_process_target.h"

namespace {

using namespace cachecheck;
namespace fs = std::filesystem;

struct Shell {
  int status = -1;
  std::string output;
};

Shell run(const std::string& command) {
  Shell r;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.output.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// Whether the in-process run and the replay over HTTP must see the same answers.
bool replays_exactly(const Counterexample& c) {
  if (c.config.workers != 1 || c.config.http_cache != "never") return false;
  for (const auto& step : c.script.steps)
    if (std::holds_alternative<Concurrent>(step) || std::holds_alternative<EvictRandom>(step)) return false;
  return c.violation && c.violation->layer == Layer::server_cache && c.violation->kind != kBoundExceeded &&
         c.violation->kind != kDangling;
}

TEST(CurlReplay, EveryFailingCellsScriptRunsAgainstARealServer) {
  fs::path out = fs::temp_directory_path() / ("cc-curl-replay-" + std::to_string(::getpid()));
  MatrixOptions o;
  o.strategies = reference_strategies();
  o.scenarios = scenario_names();
  o.cases = 30;
  o.seed = 0;
  o.out_dir = out.string();
  RunResults results = run_matrix(o, {});
  int scripts = 0, exact = 0, failing = 0;
  for (const auto& cell : results.runs) {
    failing += cell.verdict == "fail";
    if (!cell.counterexample) continue;
    Counterexample c = load_counterexample((out / *cell.counterexample).string());
    fs::path sh = out / *cell.counterexample;
    sh.replace_extension(".sh");
    ASSERT_TRUE(fs::exists(sh)) << sh;
    testsupport::ServerConfig sc;
    sc.strategy = c.config.strategy;
    sc.cache_capacity = c.config.cache_capacity;
    sc.ttl_s = c.config.ttl_s;
    sc.workers = c.config.workers;
    sc.http_cache = c.config.http_cache;
    testsupport::ServerFixture fx(sc);
    Shell r = run("BASE=http://127.0.0.1:" + std::to_string(fx.port()) + " timeout 120 bash '" + sh.string() +
                  "' 2>&1");
    std::string where = cell.strategy + " × " + cell.scenario + "\n" + r.output;
    ++scripts;
    EXPECT_TRUE(r.status == 0 || r.status == 1) << where;
    if (replays_exactly(c)) {
      ++exact;
      EXPECT_EQ(r.status, 1) << where;
      EXPECT_NE(r.output.find("violation: " + std::string(to_string(c.violation->kind)) + " of "), std::string::npos)
          << where;
    }
  }
  EXPECT_EQ(scripts, failing);  // every failing cell has its script, and each one ran
  EXPECT_GE(failing, 20);       // ttl-only and sweep fail nearly everywhere: the run judged
  EXPECT_GE(exact, 10);
  fs::remove_all(out);
}

}  // namespace
