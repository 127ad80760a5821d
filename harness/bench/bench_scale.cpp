// Issue 15's scale families (registered with --scale: they take minutes and
// gigabytes, so the default run, the gate and CI leave them out):
//
//   oracle/judge/{10k,100k,1M}     judging a synthetic history of that many operations
//                                  (synthetic_history.h) with cachecheck::judge. Counters:
//                                  ops_per_second (operations judged per wall-clock second),
//                                  violations (found; the history plants some), history_mb
//                                  (resident memory the history takes), peak_rss_mb (the
//                                  process's peak while generating and judging it).
//   store/feed-query/{150,10000}   one feed query (October 2025, dayGridMonth's range) on
//                                  the reference server's store holding that many items
//                                  (spread over 2025-09..2026-01 for 150; over ten years for
//                                  10,000, so a range holds about as many). Counter rows.
//   matrix/ops-per-second/{1,2}-jobs  the default matrix in-process on memory at 20 cases
//                                  per cell with run --jobs 1 / 2. Counter
//                                  ops_checked_per_second (operations judged per wall second).
#include <sched.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <string>

#include "bench_env.h"
#include "calendar/clock.h"
#include "calendar/store.h"
#include "generate/scenario.h"
#include "model/oracle.h"
#include "run/matrix.h"
#include "synthetic_history.h"

namespace bench {
namespace {

namespace cc = cachecheck;

// The process's resident memory now, and its peak since the last reset_peak_rss(), in MiB.
double status_mb(const char* field) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(field, 0) == 0) return std::stod(line.substr(std::string(field).size())) / 1024.0;
  return 0;
}
void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }

void judge_history(benchmark::State& state, std::size_t ops) {
  reset_peak_rss();
  const double before = status_mb("VmRSS:");
  const cc::History h = synthetic_history(ops, 15);
  const double history_mb = status_mb("VmRSS:") - before;
  std::size_t violations = 0;
  for (auto _ : state) {
    const cc::Verdict v = judge(h);
    violations = v.violations.size();
    benchmark::DoNotOptimize(violations);
  }
  state.counters["ops_per_second"] =
      benchmark::Counter(static_cast<double>(ops) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["violations"] = static_cast<double>(violations);
  state.counters["history_mb"] = history_mb;
  state.counters["peak_rss_mb"] = status_mb("VmHWM:");
}

std::vector<calendar::WorkItem> store_items(int n) {
  std::mt19937_64 rng(20251005);
  const calendar::Date first = n <= 150 ? calendar::Date::from_ymd(2025, 9, 1) : calendar::Date::from_ymd(2021, 1, 1);
  const std::int64_t days = n <= 150 ? 152 : 3650;
  std::vector<calendar::WorkItem> out;
  for (int i = 0; i < n; ++i) {
    calendar::WorkItem item = pool_item(static_cast<std::uint64_t>(i), static_cast<calendar::UserId>(1 + i % 3));
    item.work_type = std::string(calendar::kWorkTypes[rng() % std::size(calendar::kWorkTypes)]);
    item.status = std::string(calendar::kStatuses[rng() % std::size(calendar::kStatuses)]);
    item.start_date = first.plus_days(static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(days)));
    item.due_date = item.start_date.plus_days(static_cast<std::int64_t>(rng() % 4));
    out.push_back(item);
  }
  return out;
}

void feed_query(benchmark::State& state, int items) {
  calendar::ManualClock clock(bench_now());
  calendar::Store store(clock);
  store.reset(bench_users(3), store_items(items));
  const calendar::FeedQuery q = october_query();
  std::size_t rows = 0;
  for (auto _ : state) {
    auto r = store.feed(1, calendar::Visibility::global, q);
    rows = r.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["rows"] = static_cast<double>(rows);
}

// The matrix's jobs need every CPU: --pin=same keeps the benchmark on one, and
// forked children inherit that. Lifted while one of these runs.
class AllCpus {
 public:
  AllCpus() {
    CPU_ZERO(&saved_);
    had_ = sched_getaffinity(0, sizeof saved_, &saved_) == 0;
    cpu_set_t all;
    CPU_ZERO(&all);
    for (long c = 0, n = sysconf(_SC_NPROCESSORS_ONLN); c < n && c < CPU_SETSIZE; ++c) CPU_SET(static_cast<int>(c), &all);
    sched_setaffinity(0, sizeof all, &all);
  }
  ~AllCpus() {
    if (had_) sched_setaffinity(0, sizeof saved_, &saved_);
  }
  AllCpus(const AllCpus&) = delete;
  AllCpus& operator=(const AllCpus&) = delete;

 private:
  cpu_set_t saved_;
  bool had_ = false;
};

void matrix_ops(benchmark::State& state, int jobs) {
  AllCpus every_cpu;
  cc::MatrixOptions o;
  o.strategies = {"none", "ttl-only", "sweep", "versioned", "audience", "robust", "precise"};
  o.scenarios = cc::scenario_names();
  o.cases = 20;
  o.seed = 0;
  o.out_dir = "";
  o.jobs = jobs;
  std::uint64_t ops = 0;
  for (auto _ : state) {
    auto r = cc::run_matrix(o, {});
    ops += r.ops_checked;
  }
  state.counters["ops_checked_per_second"] = benchmark::Counter(static_cast<double>(ops), benchmark::Counter::kIsRate);
}

}  // namespace

void register_scale_benchmarks(const Selection& sel) {
  if (!sel.scale) return;
  const std::pair<const char*, std::size_t> sizes[] = {{"10k", 10'000}, {"100k", 100'000}, {"1M", 1'000'000}};
  for (auto [name, ops] : sizes)
    benchmark::RegisterBenchmark((std::string("oracle/judge/") + name).c_str(),
                                 [ops = ops](benchmark::State& st) { judge_history(st, ops); })
        ->Unit(benchmark::kMillisecond);
  for (int items : {150, 10000})
    benchmark::RegisterBenchmark(("store/feed-query/" + std::to_string(items)).c_str(),
                                 [items](benchmark::State& st) { feed_query(st, items); })
        ->Unit(benchmark::kMicrosecond);
  for (int jobs : {1, 2})
    benchmark::RegisterBenchmark(("matrix/ops-per-second/" + std::to_string(jobs) + "-jobs").c_str(),
                                 [jobs](benchmark::State& st) { matrix_ops(st, jobs); })
        ->Unit(benchmark::kMillisecond);
}

}  // namespace bench
