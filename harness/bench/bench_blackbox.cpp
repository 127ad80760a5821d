// blackbox/ops-per-second/{spec,http}/memory: how many operations per second the
// harness checks when it drives calendar-server black-box over loopback — through
// the reference server's target spec (targets/calendar-server.yaml read at run
// time) or through `http://HOST:PORT` (the same spec, built into the binary). Each
// iteration runs one cell (robust × concurrent-users, 20 cases: generation,
// requests, admin clock calls, probes, judging) against an in-process
// calendar::HttpServer with --admin and a manual clock; the counter
// ops_per_second is the operations checked over the wall time. Both drive the
// same SpecTarget: a gap between them is noise. Compare with http/trivial (a bare
// handler's requests per second) measured in the same run.
#include <cstdlib>
#include <memory>
#include <string>

#include "bench_env.h"
#include "calendar/cluster.h"
#include "calendar/http_server.h"
#include "run/matrix.h"

namespace bench {
namespace {

struct AdminServer {
  calendar::ManualClock clock{0};
  calendar::Store store{clock};
  std::unique_ptr<calendar::Cluster> cluster;
  std::unique_ptr<calendar::HttpServer> server;
  bool started = false;

  AdminServer() {
    calendar::ClusterConfig cc;
    cc.strategy = "robust";
    cc.cache = "memory";
    cluster = std::make_unique<calendar::Cluster>(cc, store, clock);
    calendar::HttpServerOptions options;
    options.admin = true;
    server = std::make_unique<calendar::HttpServer>(*cluster, &clock, options);
    started = server->start_in_background(0);
  }
  ~AdminServer() {
    if (server) server->stop();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server->port()); }
};

void blackbox(benchmark::State& state, bool through_spec) {
  AdminServer s;
  if (!s.started) {
    state.SkipWithError("calendar-server could not start");
    return;
  }
  setenv("CALENDAR_SERVER", s.url().c_str(), 1);  // the spec's base_url
  cachecheck::quiet_rapidcheck();
  cachecheck::MatrixOptions o;
  o.target = through_spec ? std::string(CACHECHECK_SOURCE_DIR) + "/targets/calendar-server.yaml" : s.url();
  o.cases = 20;
  o.seed = 1;
  o.out_dir = "";
  const cachecheck::Expectation pass{"pass", "", {}, {}};
  std::uint64_t ops = 0;
  const auto t0 = WallClock::now();
  try {
    for (auto _ : state) cachecheck::run_cell("robust", "concurrent-users", o, pass, &ops);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  const double wall = seconds_since(t0);
  state.counters["ops_per_second"] = wall > 0 ? static_cast<double>(ops) / wall : 0.0;
  state.SetLabel(through_spec ? "targets/calendar-server.yaml (spec target)" : "http://… (the built-in spec)");
}

}  // namespace

void register_blackbox_benchmarks(const Selection& sel) {
  if (!sel.memory) return;
  benchmark::RegisterBenchmark("blackbox/ops-per-second/spec/memory", [](benchmark::State& st) { blackbox(st, true); })
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("blackbox/ops-per-second/http/memory", [](benchmark::State& st) { blackbox(st, false); })
      ->Unit(benchmark::kMillisecond);
}

}  // namespace bench
