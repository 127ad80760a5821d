// calendar-server: the reference calendar application over HTTP.
// See shared/spec/reference-server.md for the contract (endpoints, flags, formats).
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>

#include "calendar/cluster.h"
#include "calendar/demo_fixture.h"
#include "calendar/http_server.h"
#include "calendar/redis_cache.h"
#include "calendar/store.h"
#include "calendar/strategy.h"

namespace {

constexpr const char* kVersion = "calendar-server 0.1.0 (cachecheck reference server)";

int fail(const std::string& message, int code = 2) {
  std::string line = message;
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  std::cerr << "calendar-server: error: " << line << "\n";
  return code;
}

// --- issue 14 (hardening) ---
// Every connection is a file: allow as many as the hard limit permits, so that
// the server's connection bound, not accept(2), decides who is refused.
void raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// 64 random bits: ids and generations that differ from run to run.
std::uint64_t random_seed() {
  std::random_device rd;
  return (std::uint64_t{rd()} << 32) ^ rd();
}
// --- end issue 14 ---

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace calendar;

  CLI::App cli{"calendar-server: a re-creation of the calendar app whose feed cache went stale, with the\n"
               "cache invalidation strategy as a switch. Serves on 127.0.0.1 only.",
               "calendar-server"};
  cli.set_version_flag("--version", kVersion, "Print the version and exit");

  int port = 8080;
  std::string strategy = "sweep";
  std::string cache = "memory";
  long long capacity = 0;
  int ttl = 300;
  std::string visibility = "global";
  int workers = 1;
  int worker_threads = 4;
  bool pipeline = false;
  bool leases = false;
  std::string http_cache = "never";
  std::string clock_kind = "real";
  std::string now_text = "2025-10-05T09:00:00Z";
  bool admin = false;
  bool seed_demo = false;

  const std::string names = join(strategy_names());
  cli.add_option("--port", port, "TCP port to listen on at 127.0.0.1 (0 picks a free port)")->capture_default_str();
  cli.add_option("--strategy", strategy, "Feed cache invalidation strategy: " + names)->capture_default_str();
  cli.add_option("--cache", cache, "Cache backend: memory (one per worker) or redis://host:port[/db] (shared)")
      ->capture_default_str();
  cli.add_option("--cache-capacity", capacity,
                 "Memory cache: max entries per worker before a cull of a third (0 = unbounded)")
      ->capture_default_str();
  cli.add_option("--ttl", ttl, "Feed cache TTL in seconds, on the server's clock")->capture_default_str();
  cli.add_option("--visibility", visibility,
                 "Who sees an item: global (every user) or assigned (owner and assignees)")
      ->capture_default_str();
  cli.add_option("--worker-threads", worker_threads,
                 "Requests one worker serves at the same time, like a threaded server process (1-64; 1: a "
                 "sync worker, one request at a time; the harness's in-process target uses the same setting)");
  cli.add_option("--workers", workers, "Independent application instances served round-robin (>= 1)")
      ->capture_default_str();
  cli.add_flag("--pipeline", pipeline, "Batch the sweep's multi-key deletes into one round trip");
  cli.add_flag("--leases", leases,
               "Leases against the thundering herd: after a miss, one request per key queries the store, the "
               "others wait for its fill (strategy precise)");
  cli.add_option("--http-cache", http_cache,
                 "Feed HTTP caching: never (no-store), max-age=N (private, N s), unset (Last-Modified only)")
      ->capture_default_str();
  cli.add_option("--clock", clock_kind, "Server clock: real, or manual (moves only via POST /__admin/clock)")
      ->capture_default_str();
  cli.add_option("--now", now_text, "Start instant of the manual clock (ISO 8601)")->capture_default_str();
  cli.add_flag("--admin", admin, "Serve the admin API under /__admin/ (reset, clock, stats, cache faults, routing)");
  cli.add_flag("--seed-demo", seed_demo, "Load the demo fixture: alice/bob/carol (password = name) and their items");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(std::string(e.what()) + " (see --help)");
  }

  // Validate everything before touching the network.
  auto names_list = strategy_names();
  if (std::find(names_list.begin(), names_list.end(), strategy) == names_list.end())
    return fail("unknown strategy '" + strategy + "' (choose from: " + names + ")");
  if (cache != "memory") {
    std::string error;
    if (!parse_redis_url(cache, error))
      return fail("invalid --cache '" + cache + "': " + error + " (use memory or redis://host:port[/db])");
  }
  if (port < 0 || port > 65535) return fail("--port must be from 0 to 65535");
  if (capacity < 0) return fail("--cache-capacity must be 0 (unbounded) or a positive number of entries");
  if (ttl < 1) return fail("--ttl must be at least 1 second");
  if (workers < 1 || workers > 64) return fail("--workers must be from 1 to 64");
  if (worker_threads < 1 || worker_threads > 64) return fail("--worker-threads must be from 1 to 64");
  auto vis = parse_visibility(visibility);
  if (!vis) return fail("invalid --visibility '" + visibility + "' (use global or assigned)");
  std::string error;
  auto policy = parse_http_cache(http_cache, error);
  if (!policy) return fail(error);
  if (clock_kind != "real" && clock_kind != "manual")
    return fail("invalid --clock '" + clock_kind + "' (use real or manual)");
  if (cli.count("--now") && clock_kind != "manual") return fail("--now needs --clock manual");
  auto start = parse_instant(now_text);
  if (!start) return fail("invalid --now '" + now_text + "' (use an ISO 8601 instant such as 2025-10-05T09:00:00Z)");

  // SIGINT/SIGTERM are taken by one thread (sigwait) that stops the server. Reset
  // their dispositions first: a shell starting us in the background ignores SIGINT,
  // and an ignored signal never reaches sigwait.
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  try {
    RealClock real_clock;
    std::unique_ptr<ManualClock> manual_clock;
    if (clock_kind == "manual") manual_clock = std::make_unique<ManualClock>(*start);
    const Clock& clock = manual_clock ? static_cast<const Clock&>(*manual_clock) : real_clock;

    ClusterConfig config;
    config.strategy = strategy;
    config.cache = cache;
    config.cache_capacity = static_cast<std::size_t>(capacity);
    config.ttl_s = ttl;
    config.visibility = *vis;
    config.workers = workers;
    config.worker_threads = worker_threads;
    config.pipeline = pipeline;
    config.leases = leases;

    // --- issue 14: outside the deterministic mode (the manual clock), ids and
    // store generations start from random values (see store.h) ---
    const bool deterministic = manual_clock != nullptr;
    Store store(clock, deterministic ? 0x5eed : random_seed(), deterministic ? 0 : random_seed() >> 16);
    raise_open_file_limit();
    // --- end issue 14 ---
    std::unique_ptr<Cluster> cluster;
    try {
      cluster = std::make_unique<Cluster>(config, store, clock);
    } catch (const ConfigError& e) {
      return fail(e.what());
    }
    if (seed_demo) cluster->reset(demo_users(), demo_items(), std::nullopt);

    HttpServerOptions options;
    options.admin = admin;
    options.http_cache = *policy;
    HttpServer server(*cluster, manual_clock.get(), options);
    if (!server.bind(port))
      return fail("cannot listen on 127.0.0.1:" + std::to_string(port) + ": the port is in use or not permitted", 1);

    std::atomic<bool> signalled{false};
    std::thread signal_thread([&] {
      int sig = 0;
      sigwait(&signals, &sig);
      signalled = true;
      server.stop();
    });

    std::cout << "calendar-server listening on " << server.base_url() << " (strategy=" << strategy
              << ", cache=" << cache << ", workers=" << workers << ")" << std::endl;
    bool ok = server.run();
    const bool by_signal = signalled.load();
    if (!by_signal) pthread_kill(signal_thread.native_handle(), SIGTERM);  // wake the signal thread
    signal_thread.join();
    if (!ok && !by_signal) return fail("the server stopped unexpectedly", 1);
    std::cerr << "calendar-server: stopped\n";
    return 0;
  } catch (const std::exception& e) {
    return fail(e.what(), 1);
  }
}
