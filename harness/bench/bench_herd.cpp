// herd/<strategy>/<backend>/<N>readers: the thundering herd. After an
// invalidation, N concurrent readers of one key all miss, and (without leases)
// each queries the store. `precise-leases` is `precise` served with leases
// (calendar-server --leases): one request per key fills it, the others wait.
//
// One InProcessTarget per run (one worker with N request threads, so all N are
// in flight at once). Each iteration plays kRounds rounds, scheduled with the
// seeds 1..kRounds: a read warms the key (alice's FullCalendar October request),
// alice renames an October item (an invalidation for every strategy that
// invalidates), then N reads of that same key run concurrently, interleaved at
// their cache and store accesses by the deterministic scheduler. Every iteration
// plays the same interleavings, so the counter does not depend on how many
// iterations Google Benchmark picks (the gate compares it exactly).
// Counter:
//   store_queries_per_invalidation  the store's feed queries made by the N reads, per
//                                   round (generation and counter lookups are
//                                   not feed queries and are not counted). 0 for a
//                                   strategy whose write invalidates nothing (it serves
//                                   stale data instead: see mixed/), N for `none`.
#include <memory>

#include "bench_env.h"
#include "calendar/cluster.h"
#include "targets/in_process/in_process_target.h"

namespace bench {
namespace {

namespace cc = cachecheck;

constexpr int kReaders[] = {1, 8, 64};
constexpr int kRounds = 4;

cc::FeedRequest october_request() {
  cc::FeedRequest r;
  r.query_string = "start=2025-09-29&end=2025-11-10";
  r.query.start = cc::Date::parse("2025-09-29");
  r.query.end = cc::Date::parse("2025-11-10");
  return r;
}

cc::Fixture herd_fixture() {
  cc::Fixture f;
  for (const auto& u : bench_users(3)) f.users.push_back({u.id, u.username, u.password});
  for (int n = 1; n <= 20; ++n) {
    cc::Item item;
    item.id = bench_uuid(0x4e7d0000u, static_cast<std::uint64_t>(n));
    item.title = "Item " + std::to_string(n);
    item.work_type = "task";
    item.status = "in_progress";
    item.start_date = *cc::Date::parse("2025-10-01");
    item.start_date = item.start_date.plus_days(n);
    item.due_date = item.start_date.plus_days(2);
    item.owner_id = 1;
    f.items.push_back(std::move(item));
  }
  f.start_time = bench_now();
  return f;
}

void herd(benchmark::State& state, const std::string& strategy, bool leases, const std::string& backend,
          int readers) {
  auto spec = backend_spec(state, backend);
  if (!spec) return;
  cc::TargetConfig config;
  config.strategy = strategy;
  config.backend = *spec;
  config.worker_threads = readers;
  config.leases = leases;
  config.start_time = bench_now();
  std::unique_ptr<cc::InProcessTarget> target;
  try {
    target = std::make_unique<cc::InProcessTarget>(config);
    target->reset(herd_fixture());
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  const cc::FeedRequest request = october_request();
  const std::string edited = bench_uuid(0x4e7d0000u, 3);
  calendar::Store& store = target->cluster().store();
  std::uint64_t herd_queries = 0, rounds = 0;
  for (auto _ : state) {
    for (std::uint64_t seed = 1; seed <= kRounds; ++seed, ++rounds) {
      target->feed(1, request);
      target->edit(1, edited, {{"title", "Renamed " + std::to_string(rounds)}});
      const std::uint64_t before = store.feed_queries();
      std::vector<std::function<void()>> tasks(static_cast<std::size_t>(readers),
                                               [&] { target->feed(1, request); });
      target->run_concurrently(std::move(tasks), seed);
      herd_queries += store.feed_queries() - before;
    }
  }
  state.counters["store_queries_per_invalidation"] =
      rounds ? static_cast<double>(herd_queries) / static_cast<double>(rounds) : 0.0;
  state.SetLabel(std::to_string(readers) + " concurrent readers of one key after an invalidation" +
                 (leases ? ", with leases" : ""));
}

}  // namespace

void register_herd_benchmarks(const Selection& sel) {
  std::vector<std::pair<std::string, bool>> variants;  // (strategy, leases)
  for (const auto& s : cc::reference_strategies()) variants.emplace_back(s, false);
  variants.emplace_back("precise", true);
  for (const auto& backend : sel.backends())
    for (const auto& [s, leases] : variants)
      for (int n : kReaders) {
        const std::string name = s + (leases ? "-leases" : "");
        benchmark::RegisterBenchmark(("herd/" + name + "/" + backend + "/" + std::to_string(n) + "readers").c_str(),
                                     [s, leases, backend, n](benchmark::State& st) { herd(st, s, leases, backend, n); })
            ->Unit(benchmark::kMicrosecond);
      }
}

}  // namespace bench
