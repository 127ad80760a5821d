// Shared pieces of the cachecheck-bench families: the private Redis, the data
// sets, FullCalendar's October 2025 request, and counter helpers.
//
// Naming: every benchmark is `<family>/<strategy>/<backend>[/<more>]`.
// Times: Google Benchmark picks iteration counts on CPU time (its default; we
// do not call UseRealTime() because it would append "/real_time" to every
// name), and reports wall-clock `real_time` beside `cpu_time`: the tables use
// `real_time`. Rates (`items_per_second`) are computed here from wall time.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calendar/cache.h"
#include "calendar/domain.h"

namespace bench {

// Which backends the run registers (`--backends=memory,redis`), and the mixed
// workload's length (`--mixed_steps=N`).
// CPU placement (`--pin=same|cross|off`). `same` (default) runs the benchmark
// thread, the in-process servers it starts and redis-server on one CPU: a
// loopback round trip is then two context switches, stable from run to run
// (on the 2-vCPU VM: PING 10.3-10.5 µs over three runs). `cross` puts
// redis-server on a second CPU: every round trip pays two cross-CPU wake-ups,
// which in a VM are exits to the hypervisor (PING 34-43 µs, moving with the
// other CPU's load). `off` leaves it to the scheduler, which flips between the
// two regimes at random, so a floor and the costs compared with it could be
// measured in different regimes.
enum class Pin { cross, same, off };

struct Selection {
  bool memory = true;
  bool redis = true;
  int mixed_steps = 2000;
  bool scale = false;  // --scale: issue 15's families (minutes, gigabytes)
  Pin pin = Pin::same;
  std::vector<std::string> backends() const;
};

// Applies `pin` to the calling (main) thread; remembers where redis-server goes.
// Returns a one-line account ("benchmark on CPU 0, redis-server on CPU 1").
std::string apply_pinning(Pin pin);

// The private redis-server, started on the first call (on the calling thread,
// which must outlive it: benchmarks run on the main thread). The URL, or
// nullopt with `error` set when it cannot start.
std::optional<std::string> redis_url(std::string& error);
void stop_redis();

// "memory", or the private Redis' URL. On failure calls state.SkipWithError
// with the reason and returns nullopt.
std::optional<std::string> backend_spec(benchmark::State& state, const std::string& backend);

// 2025-10-05T09:00:00Z, the seed's date.
calendar::TimeMs bench_now();
calendar::Date bench_today();

// Users 1..n: 1 = alice, 2 = bob, 3 = carol, then user4…; password = username.
std::vector<calendar::User> bench_users(int n);
// A deterministic version-4 UUID for (`tag`, `n`).
std::string bench_uuid(std::uint32_t tag, std::uint64_t n);
// The read benchmarks' calendar: 60 flat items between September 2025 and
// January 2026, of several owners, types and statuses (about 25 in October's view).
std::vector<calendar::WorkItem> calendar_items();
// A flat, calendar-visible item owned by `owner` (the invalidation pool).
calendar::WorkItem pool_item(std::uint64_t n, calendar::UserId owner);

// FullCalendar's dayGridMonth request for October 2025 (firstDay 1, +08:00):
// start=2025-09-29T00:00:00+08:00, end=2025-11-10T00:00:00+08:00.
calendar::FeedParams october_params();
calendar::FeedQuery october_query();

// Per-iteration counters from a stats delta: cache_ops, round_trips, deletes, incrs.
void set_cache_counters(benchmark::State& state, const calendar::CacheStats& before,
                        const calendar::CacheStats& after);
// A plain counter averaged over iterations.
inline benchmark::Counter per_iteration(double total) {
  return benchmark::Counter(total, benchmark::Counter::kAvgIterations);
}

using WallClock = std::chrono::steady_clock;
inline double seconds_since(WallClock::time_point t0) {
  return std::chrono::duration<double>(WallClock::now() - t0).count();
}

// Registration, one per source file.
void register_cache_benchmarks(const Selection& sel);  // invalidate, read-hit, read-miss, floor
void register_mixed_benchmarks(const Selection& sel);  // mixed
void register_herd_benchmarks(const Selection& sel);   // herd: concurrent readers after an invalidation
void register_http_benchmarks(const Selection& sel);   // http
void register_blackbox_benchmarks(const Selection& sel);  // blackbox: the harness driving calendar-server over HTTP
void register_scale_benchmarks(const Selection& sel);     // --scale: oracle/judge, store/feed-query, matrix/ops-per-second

}  // namespace bench
