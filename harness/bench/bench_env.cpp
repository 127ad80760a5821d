#include "bench_env.h"

#include <sched.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <stdexcept>

#include "browser/fullcalendar.h"
#include "redis_server.h"

namespace bench {
namespace {

struct Placement {
  Pin pin = Pin::off;
  int bench_cpu = -1, redis_cpu = -1;
};

Placement& placement() {
  static Placement p;
  return p;
}

bool pin_this_thread(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof set, &set) == 0;
}

struct RedisState {
  bool tried = false;
  std::unique_ptr<testsupport::RedisServerProcess> process;
  std::string error;
};

RedisState& redis_state() {
  static RedisState state;
  return state;
}

}  // namespace

std::vector<std::string> Selection::backends() const {
  std::vector<std::string> out;
  if (memory) out.emplace_back("memory");
  if (redis) out.emplace_back("redis");
  return out;
}

std::string apply_pinning(Pin pin) {
  Placement& p = placement();
  p = Placement{};
  p.pin = pin;
  if (pin == Pin::off) return "CPU placement left to the scheduler";
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return "CPU placement left to the scheduler (no affinity)";
  std::vector<int> cpus;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &allowed)) cpus.push_back(c);
  if (cpus.empty()) return "CPU placement left to the scheduler";
  p.bench_cpu = cpus[0];
  p.redis_cpu = pin == Pin::cross && cpus.size() > 1 ? cpus[1] : cpus[0];
  if (!pin_this_thread(p.bench_cpu)) {
    p = Placement{};
    return "CPU placement left to the scheduler (sched_setaffinity failed)";
  }
  return "benchmark and in-process servers on CPU " + std::to_string(p.bench_cpu) + ", redis-server on CPU " +
         std::to_string(p.redis_cpu);
}

std::optional<std::string> redis_url(std::string& error) {
  RedisState& s = redis_state();
  if (!s.tried) {
    s.tried = true;
    if (const char* off = std::getenv("CACHECHECK_BENCH_NO_REDIS"); off != nullptr && *off != '\0') {
      s.error = "redis-server not started: CACHECHECK_BENCH_NO_REDIS is set";
    } else {
      // The child inherits the affinity of the thread that forks it.
      const Placement& p = placement();
      if (p.redis_cpu >= 0) pin_this_thread(p.redis_cpu);
      try {
        s.process = std::make_unique<testsupport::RedisServerProcess>();
      } catch (const std::exception& e) {
        s.error = std::string("redis-server could not start: ") + e.what();
      }
      if (p.bench_cpu >= 0) pin_this_thread(p.bench_cpu);
    }
  }
  if (!s.process) {
    error = s.error;
    return std::nullopt;
  }
  return s.process->url();
}

void stop_redis() { redis_state().process.reset(); }

std::optional<std::string> backend_spec(benchmark::State& state, const std::string& backend) {
  if (backend == "memory") return std::string("memory");
  std::string error;
  auto url = redis_url(error);
  if (!url) state.SkipWithError(error.c_str());
  return url;
}

calendar::TimeMs bench_now() { return *calendar::parse_instant("2025-10-05T09:00:00Z"); }
calendar::Date bench_today() { return calendar::Date::from_ymd(2025, 10, 5); }

std::vector<calendar::User> bench_users(int n) {
  static const char* kNames[] = {"alice", "bob", "carol"};
  std::vector<calendar::User> out;
  for (int i = 1; i <= n; ++i) {
    std::string name = i <= 3 ? kNames[i - 1] : "user" + std::to_string(i);
    out.push_back({i, name, name});
  }
  return out;
}

std::string bench_uuid(std::uint32_t tag, std::uint64_t n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-0000-4000-8000-%012llx", tag, static_cast<unsigned long long>(n));
  return buf;
}

std::vector<calendar::WorkItem> calendar_items() {
  std::mt19937_64 rng(20251005);
  const calendar::Date first = calendar::Date::from_ymd(2025, 9, 1);
  const calendar::Date last = calendar::Date::from_ymd(2026, 1, 31);
  std::vector<calendar::WorkItem> out;
  for (int n = 1; n <= 60; ++n) {
    calendar::WorkItem item;
    item.id = bench_uuid(0xca1e0000u, static_cast<std::uint64_t>(n));
    item.title = "Work item " + std::to_string(n) + " of the calendar benchmark";
    item.work_type = std::string(calendar::kWorkTypes[rng() % std::size(calendar::kWorkTypes)]);
    item.status = std::string(calendar::kStatuses[rng() % std::size(calendar::kStatuses)]);
    // Spread over Sep–Jan, with October (the read benchmarks' month) denser.
    std::int64_t span = last.days() - first.days();
    std::int64_t offset = n % 3 == 0 ? static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span))
                                     : 28 + static_cast<std::int64_t>(rng() % 42);  // 2025-09-29 … 2025-11-09
    item.start_date = first.plus_days(offset);
    item.due_date = item.start_date.plus_days(static_cast<std::int64_t>(rng() % 6));
    item.owner_id = 1 + static_cast<int>(rng() % 3);
    if (rng() % 2 == 0) item.assignee_ids = {1 + static_cast<int>(rng() % 3)};
    out.push_back(std::move(item));
  }
  return out;
}

calendar::WorkItem pool_item(std::uint64_t n, calendar::UserId owner) {
  calendar::WorkItem item;
  item.id = bench_uuid(0xde1e0000u, n);
  item.title = "Disposable item " + std::to_string(n);
  item.work_type = "task";
  item.status = "in_progress";
  item.start_date = calendar::Date::from_ymd(2025, 10, 10);
  item.due_date = calendar::Date::from_ymd(2025, 10, 12);
  item.owner_id = owner;
  return item;
}

calendar::FeedParams october_params() {
  using cachecheck::ClientModel;
  auto r = cachecheck::view_range(ClientModel::fullcalendar_month, cachecheck::Date::from_days(bench_today().days()), 1);
  calendar::FeedParams p;
  p.start = cachecheck::wire_bound(r.start, ClientModel::fullcalendar_month, 480);
  p.end = cachecheck::wire_bound(r.end, ClientModel::fullcalendar_month, 480);
  return p;
}

calendar::FeedQuery october_query() {
  auto parsed = calendar::parse_feed_query(october_params());
  if (!parsed.query) throw std::logic_error("october_params: " + parsed.error);
  return *parsed.query;
}

void set_cache_counters(benchmark::State& state, const calendar::CacheStats& before,
                        const calendar::CacheStats& after) {
  auto d = [](std::uint64_t a, std::uint64_t b) { return static_cast<double>(a - b); };
  state.counters["cache_ops"] = per_iteration(d(after.operations(), before.operations()));
  state.counters["round_trips"] = per_iteration(d(after.round_trips, before.round_trips));
  state.counters["deletes"] = per_iteration(d(after.deletes, before.deletes));
  state.counters["incrs"] = per_iteration(d(after.incrs, before.incrs));
}

}  // namespace bench
