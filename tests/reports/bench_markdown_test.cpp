// bench.md from a hand-written bench.json: medians (not means), ratios to the
// floor and to versioned, the seed's claims, skipped benchmarks, the mixed
// workload, HTTP and the goals; Google Benchmark's bare NaN.
#include <gtest/gtest.h>

#include <stdexcept>

#include "cachecheck_reports/render.h"

namespace {

namespace rp = cachecheck::reports;
using nlohmann::json;

std::string table(const json& j) { return rp::bench_markdown(rp::bench_from_json(j)); }


json aggregate(const std::string& name, double real, const std::string& unit, json counters = json::object()) {
  json b = {{"name", name + "_median"}, {"run_name", name},       {"run_type", "aggregate"},
            {"repetitions", 3},         {"aggregate_name", "median"}, {"aggregate_unit", "time"},
            {"iterations", 3},          {"real_time", real},       {"cpu_time", real},
            {"time_unit", unit}};
  for (auto it = counters.begin(); it != counters.end(); ++it) b[it.key()] = it.value();
  json mean = b;
  mean["name"] = name + "_mean";
  mean["aggregate_name"] = "mean";
  mean["real_time"] = real * 10;  // must be ignored: the table uses medians
  return json::array({mean, b});
}

json sample_bench() {
  json benchmarks = json::array();
  auto add = [&](const json& runs) {
    for (const auto& r : runs) benchmarks.push_back(r);
  };
  add(aggregate("floor/ping/redis", 20, "us"));
  add(aggregate("floor/map-lookup/memory", 100, "ns"));
  add(aggregate("floor/raw-get/redis", 25, "us", {{"bytes", 13000}}));
  add(aggregate("invalidate/none/redis", 0, "us", {{"cache_ops", 0}, {"round_trips", 0}, {"deletes", 0}, {"incrs", 0}}));
  add(aggregate("invalidate/sweep/redis", 2, "ms",
                {{"cache_ops", 100}, {"round_trips", 100}, {"deletes", 100}, {"incrs", 0}}));
  add(aggregate("invalidate/sweep-pipelined/redis", 100, "us",
                {{"cache_ops", 100}, {"round_trips", 1}, {"deletes", 100}, {"incrs", 0}}));
  add(aggregate("invalidate/versioned/redis", 25, "us",
                {{"cache_ops", 1}, {"round_trips", 1}, {"deletes", 0}, {"incrs", 1}}));
  add(aggregate("read-hit/versioned/redis", 50, "us", {{"round_trips", 2}}));
  add(aggregate("read-miss/versioned/redis", 300, "us", {{"round_trips", 3}, {"store_queries", 1}}));
  add(aggregate("mixed/robust/redis/5pct", 40, "ms",
                {{"items_per_second", 2500},
                 {"hit_rate", 0.5},
                 {"ideal_hit_rate", 0.625},
                 {"hit_rate_vs_ideal", 0.8},
                 {"store_queries_per_read", 1.5},
                 {"round_trips_per_read", 1.5},
                 {"reads", 1000},
                 {"stale_reads", 0},
                 {"stale_read_rate", 0},
                 {"nines", 3},
                 {"nines_lower_bound", 1}}));
  add(aggregate("mixed/versioned/redis/5pct", 40, "ms",
                {{"items_per_second", 2500},
                 {"hit_rate", 0.6},
                 {"store_queries_per_read", 0.4},
                 {"round_trips_per_read", 2.4},
                 {"reads", 1000},
                 {"stale_reads", 10},
                 {"stale_read_rate", 0.01},
                 {"nines", 2},
                 {"nines_lower_bound", 0}}));
  add(aggregate("herd/precise-leases/redis/64readers", 900, "us", {{"store_queries_per_invalidation", 1}}));
  add(aggregate("herd/precise/redis/64readers", 800, "us", {{"store_queries_per_invalidation", 9.25}}));
  add(aggregate("http/calendar-server/memory", 50, "us", {{"items_per_second", 18000}}));
  add(aggregate("http/trivial/memory", 40, "us", {{"items_per_second", 20000}}));
  benchmarks.push_back({{"name", "invalidate/audience/redis"},
                        {"run_name", "invalidate/audience/redis"},
                        {"run_type", "iteration"},
                        {"error_occurred", true},
                        {"error_message", "redis-server could not start"}});
  return {{"context", {{"date", "2025-10-05T09:00:00+00:00"}, {"host_name", "box"}, {"num_cpus", 2}}},
          {"benchmarks", benchmarks}};
}

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

TEST(BenchTable, ComparesWithTheFloorVersionedAndTheSeed) {
  const std::string t = table(sample_bench());
  // Medians, not means; the ratio to PING and to versioned.
  EXPECT_TRUE(has(t, "| sweep | 2.00 ms | 100× | 80.0× |")) << t;
  EXPECT_TRUE(has(t, "| versioned | 25.0 µs | 1.25× | 1.00× |")) << t;
  EXPECT_TRUE(has(t, "| sweep-pipelined | 100.0 µs | 5.00× | 4.00× |")) << t;
  // Round trips and cache ops per write.
  EXPECT_TRUE(has(t, "| 100 | 100 |")) << t;
  // The seed's claims beside the measurements.
  EXPECT_TRUE(has(t, "\"100 cache.delete() calls\"")) << t;
  EXPECT_TRUE(has(t, "~1 ms Redis")) << t;
  EXPECT_TRUE(has(t, "~10-100 ms per deletion")) << t;
  EXPECT_TRUE(has(t, "O(1)")) << t;
  EXPECT_TRUE(has(t, "redis: 100 deletes in 100 round trips (pipelined: 100 in 1)")) << t;
  // (2 ms − 0) / 100 = 20 µs per delete against the claimed ~1 ms.
  EXPECT_TRUE(has(t, "20.0 µs per delete on redis")) << t;
  // A skipped benchmark says why.
  EXPECT_TRUE(has(t, "skipped: redis-server could not start")) << t;
  // Reads: hit over raw GET and over the floor.
  EXPECT_TRUE(has(t, "| versioned | 50.0 µs | 2.50× | 2.00× | 1.00× | 2 |")) << t;
  // Mixed: rates, hit rate beside the ideal ("—" without one), nines with "≥" when no stale read was seen.
  EXPECT_TRUE(has(t, "| robust | redis | 5 % | 2.5 k/s | 50.0 % | 62.5 % | 0.80 | 1.50 | 1.50 | 0 / 1000 | 0 % | ≥ 3.0 |"))
      << t;
  EXPECT_TRUE(has(t, "| versioned | redis | 5 % | 2.5 k/s | 60.0 % | — | — | 0.40 | 2.40 | 10 / 1000 | 1.0 % | 2.0 |"))
      << t;
  // The herd: store queries per invalidation, precise before precise-leases, "—" where not run.
  EXPECT_TRUE(has(t, "| precise | — | — | 9.25 |\n| precise-leases | — | — | 1 |")) << t;
  // HTTP ratio and the goals.
  EXPECT_TRUE(has(t, "| `http/calendar-server/memory` | 18.0 k/s | 50.0 µs | 0.90× | — |")) << t;
  EXPECT_TRUE(has(t, "`versioned` per write within 1.5× of one Redis round trip: 25.0 µs = 1.25× PING — **met**")) << t;
  EXPECT_TRUE(has(t, "≥ 0.8× the trivial handler: 0.90× — **met**")) << t;
  EXPECT_TRUE(has(t, "versioned 2.00×")) << t;
}

TEST(BenchTable, PlainIterationsAndEmptyInput) {
  json j = {{"benchmarks",
             {{{"name", "floor/ping/redis"}, {"run_name", "floor/ping/redis"}, {"run_type", "iteration"},
               {"real_time", 10}, {"time_unit", "us"}},
              {{"name", "floor/ping/redis"}, {"run_name", "floor/ping/redis"}, {"run_type", "iteration"},
               {"real_time", 30}, {"time_unit", "us"}},
              {{"name", "floor/ping/redis"}, {"run_name", "floor/ping/redis"}, {"run_type", "iteration"},
               {"real_time", 20}, {"time_unit", "us"}}}}};
  EXPECT_TRUE(has(table(j), "| `floor/ping/redis` | one Redis round trip (PING) | 20.0 µs |"));
  EXPECT_THROW(rp::bench_from_json(json::object()), std::runtime_error);
  EXPECT_THROW(rp::bench_from_json(json::array()), std::runtime_error);
  EXPECT_NO_THROW(rp::bench_markdown(rp::Bench{}));
}

TEST(BenchTable, ParsesGoogleBenchmarksNaN) {
  // The cv aggregate of a counter that is always 0 is written as a bare NaN.
  const std::string text = R"({"benchmarks": [{"name": "floor/ping/redis_cv", "run_name": "floor/ping/redis",
    "run_type": "aggregate", "aggregate_name": "cv", "real_time": 0.1, "time_unit": "us", "round_trips": NaN,
    "x": -nan, "y": Infinity, "label": "NaN stays in strings \" NaN"}]})";
  json j = rp::parse_bench_json(text);
  ASSERT_FALSE(j.is_discarded());
  const auto& b = j["benchmarks"][0];
  EXPECT_TRUE(b["round_trips"].is_null());
  EXPECT_TRUE(b["x"].is_null());
  EXPECT_TRUE(b["y"].is_null());
  EXPECT_EQ(b["label"], "NaN stays in strings \" NaN");
  EXPECT_NO_THROW(table(j));
  EXPECT_TRUE(rp::parse_bench_json("{not json").is_discarded());
}

}  // namespace
