// Smoke test of cachecheck-bench and `cachecheck bench`'s summary: every
// family runs once, briefly, through run_bench; the JSON names every family for
// every strategy and both backends, and the counters say what each strategy
// does per write. Timings are never asserted. Plus bench_table on a small
// hand-written JSON.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "run/bench_summary.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The contract's strategies (not calendar::strategy_names(): other tests in this
// binary register mutants, which cachecheck-bench does not have).
const std::vector<std::string> kStrategies = {"none", "ttl-only", "sweep", "versioned", "audience", "robust"};

fs::path bench_binary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return (ec ? fs::current_path() : self.parent_path()) / "cachecheck-bench";
}

fs::path temp_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("cachecheck-bench-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// The runs of a bench.json by name (plain iterations: repetitions = 1).
std::map<std::string, json> by_name(const json& j) {
  std::map<std::string, json> out;
  for (const auto& b : j.at("benchmarks")) out[b.value("run_name", b.value("name", std::string()))] = b;
  return out;
}

class BenchSmoke : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(temp_dir("smoke"));
    cachecheck::BenchOptions o;
    o.bench_binary = bench_binary().string();
    o.repetitions = 1;
    o.min_time_s = 0.001;  // v1.7 takes seconds (no "x" iteration suffix before 1.8)
    o.out_dir = dir_->string();
    o.extra_args = {"--mixed_steps=60"};
    std::ostringstream out, progress;
    status_ = cachecheck::run_bench(o, out, progress);
    table_ = new std::string(out.str());
    progress_ = new std::string(progress.str());
    std::ifstream in(*dir_ / "bench.json");
    std::stringstream text;
    text << in.rdbuf();
    json_ = new json(cachecheck::parse_bench_json(text.str()));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete table_;
    delete progress_;
    delete json_;
  }

  static fs::path* dir_;
  static int status_;
  static std::string* table_;
  static std::string* progress_;
  static json* json_;
};

fs::path* BenchSmoke::dir_ = nullptr;
int BenchSmoke::status_ = -1;
std::string* BenchSmoke::table_ = nullptr;
std::string* BenchSmoke::progress_ = nullptr;
json* BenchSmoke::json_ = nullptr;

TEST_F(BenchSmoke, RunsAndWritesJsonAndTable) {
  ASSERT_TRUE(fs::exists(bench_binary())) << "build the cachecheck-bench target first: " << bench_binary();
  ASSERT_EQ(status_, 0) << *progress_;
  ASSERT_FALSE(json_->is_discarded());
  ASSERT_TRUE(json_->contains("benchmarks"));
  EXPECT_NE(progress_->find("invalidate/sweep/redis"), std::string::npos) << "progress is streamed";
  std::ifstream md(*dir_ / "bench.md");
  std::stringstream ss;
  ss << md.rdbuf();
  EXPECT_EQ(ss.str(), *table_);
  EXPECT_NE(table_->find("## Cost per write"), std::string::npos);
  EXPECT_NE(table_->find("## Goals"), std::string::npos);
}

TEST_F(BenchSmoke, EveryFamilyForEveryStrategyAndBackend) {
  ASSERT_EQ(status_, 0) << *progress_;
  auto runs = by_name(*json_);
  std::vector<std::string> expected = {"floor/ping/redis", "floor/map-lookup/memory", "floor/raw-get/memory",
                                       "floor/raw-get/redis", "floor/hiredis-get/redis", "http/calendar-server/memory",
                                       "http/trivial/memory", "http/trivial-same-headers/memory"};
  for (const char* backend : {"memory", "redis"}) {
    const std::string b = backend;
    expected.push_back("invalidate/sweep-pipelined/" + b);
    for (const auto& s : kStrategies) {
      expected.push_back("invalidate/" + s + "/" + b);
      expected.push_back("read-hit/" + s + "/" + b);
      expected.push_back("read-miss/" + s + "/" + b);
      for (const char* pct : {"1pct", "5pct", "20pct"}) expected.push_back("mixed/" + s + "/" + b + "/" + pct);
    }
  }
  for (const auto& name : expected) {
    auto it = runs.find(name);
    ASSERT_NE(it, runs.end()) << name << " missing from bench.json";
    EXPECT_FALSE(it->second.value("error_occurred", false)) << name << ": " << it->second.value("error_message", "");
    EXPECT_TRUE(it->second.contains("real_time")) << name;
  }
}

TEST_F(BenchSmoke, WriteCountersSayWhatEachStrategyDoes) {
  ASSERT_EQ(status_, 0) << *progress_;
  auto runs = by_name(*json_);
  for (const char* backend : {"memory", "redis"}) {
    const std::string b = backend;
    for (const auto& s : kStrategies) {
      const auto& r = runs.at("invalidate/" + s + "/" + b);
      for (const char* c : {"cache_ops", "round_trips", "deletes", "incrs"})
        EXPECT_TRUE(r.contains(c)) << "invalidate/" << s << "/" << b << " lacks " << c;
    }
    const auto& sweep = runs.at("invalidate/sweep/" + b);
    EXPECT_DOUBLE_EQ(sweep.at("cache_ops").get<double>(), 100) << b;
    EXPECT_DOUBLE_EQ(sweep.at("deletes").get<double>(), 100) << b;
    EXPECT_DOUBLE_EQ(sweep.at("round_trips").get<double>(), 100) << b;
    const auto& piped = runs.at("invalidate/sweep-pipelined/" + b);
    EXPECT_DOUBLE_EQ(piped.at("deletes").get<double>(), 100) << b;
    EXPECT_DOUBLE_EQ(piped.at("round_trips").get<double>(), 1) << b;
    const auto& versioned = runs.at("invalidate/versioned/" + b);
    EXPECT_DOUBLE_EQ(versioned.at("incrs").get<double>(), 1) << b;
    EXPECT_DOUBLE_EQ(versioned.at("cache_ops").get<double>(), 1) << b;
    EXPECT_DOUBLE_EQ(versioned.at("round_trips").get<double>(), 1) << b;
    EXPECT_DOUBLE_EQ(runs.at("invalidate/none/" + b).at("cache_ops").get<double>(), 0) << b;
    EXPECT_DOUBLE_EQ(runs.at("invalidate/ttl-only/" + b).at("cache_ops").get<double>(), 0) << b;
  }
}

TEST_F(BenchSmoke, ReadMixedAndHttpCountersPresent) {
  ASSERT_EQ(status_, 0) << *progress_;
  auto runs = by_name(*json_);
  for (const char* backend : {"memory", "redis"}) {
    const std::string b = backend;
    for (const auto& s : kStrategies) {
      for (const char* family : {"read-hit/", "read-miss/"})
        for (const char* c : {"cache_ops", "round_trips", "store_queries", "bytes"})
          EXPECT_TRUE(runs.at(family + s + "/" + b).contains(c)) << family << s << "/" << b << " lacks " << c;
      for (const char* pct : {"1pct", "5pct", "20pct"}) {
        const std::string n = "mixed/" + s + "/" + b + "/" + pct;
        const auto& r = runs.at(n);
        for (const char* c : {"items_per_second", "hit_rate", "store_queries_per_read", "round_trips_per_read",
                              "reads", "stale_reads", "stale_read_rate", "nines", "nines_lower_bound"})
          ASSERT_TRUE(r.contains(c)) << n << " lacks " << c;
        EXPECT_GE(r.at("hit_rate").get<double>(), 0) << n;
        EXPECT_LE(r.at("hit_rate").get<double>(), 1) << n;
        EXPECT_GE(r.at("stale_read_rate").get<double>(), 0) << n;
        EXPECT_LE(r.at("stale_read_rate").get<double>(), 1) << n;
        EXPECT_GT(r.at("reads").get<double>(), 0) << n;
      }
    }
    // No cache: never a hit, never a stale read, one store query per read.
    const auto& none = runs.at("mixed/none/" + b + "/20pct");
    EXPECT_DOUBLE_EQ(none.at("hit_rate").get<double>(), 0);
    EXPECT_DOUBLE_EQ(none.at("stale_reads").get<double>(), 0);
    EXPECT_DOUBLE_EQ(none.at("store_queries_per_read").get<double>(), 1);
    // A hit of `versioned` reads the version key, then the entry.
    EXPECT_DOUBLE_EQ(runs.at("read-hit/versioned/" + b).at("round_trips").get<double>(), 2);
    EXPECT_DOUBLE_EQ(runs.at("read-hit/ttl-only/" + b).at("store_queries").get<double>(), 0);
  }
  for (const char* n : {"http/calendar-server/memory", "http/trivial/memory", "http/trivial-same-headers/memory"})
    EXPECT_GT(runs.at(n).at("items_per_second").get<double>(), 0) << n;
}

// --- bench_table on a hand-written bench.json --------------------------------

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
  const std::string t = cachecheck::bench_table(sample_bench());
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
  // Mixed: rates, hit rate, nines with "≥" when no stale read was seen.
  EXPECT_TRUE(has(t, "| robust | redis | 5 % | 2.5 k/s | 50.0 % | 1.50 | 1.50 | 0 / 1000 | 0 % | ≥ 3.0 |")) << t;
  EXPECT_TRUE(has(t, "| versioned | redis | 5 % | 2.5 k/s | 60.0 % | 0.40 | 2.40 | 10 / 1000 | 1.0 % | 2.0 |")) << t;
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
  EXPECT_TRUE(has(cachecheck::bench_table(j), "| `floor/ping/redis` | one Redis round trip (PING) | 20.0 µs |"));
  EXPECT_NO_THROW(cachecheck::bench_table(json::object()));
  EXPECT_NO_THROW(cachecheck::bench_table(json::array()));
}

TEST(BenchTable, ParsesGoogleBenchmarksNaN) {
  // The cv aggregate of a counter that is always 0 is written as a bare NaN.
  const std::string text = R"({"benchmarks": [{"name": "floor/ping/redis_cv", "run_name": "floor/ping/redis",
    "run_type": "aggregate", "aggregate_name": "cv", "real_time": 0.1, "time_unit": "us", "round_trips": NaN,
    "x": -nan, "y": Infinity, "label": "NaN stays in strings \" NaN"}]})";
  json j = cachecheck::parse_bench_json(text);
  ASSERT_FALSE(j.is_discarded());
  const auto& b = j["benchmarks"][0];
  EXPECT_TRUE(b["round_trips"].is_null());
  EXPECT_TRUE(b["x"].is_null());
  EXPECT_TRUE(b["y"].is_null());
  EXPECT_EQ(b["label"], "NaN stays in strings \" NaN");
  EXPECT_NO_THROW(cachecheck::bench_table(j));
  EXPECT_TRUE(cachecheck::parse_bench_json("{not json").is_discarded());
}

TEST(RunBench, MissingBinaryIsAOneLineError) {
  cachecheck::BenchOptions o;
  o.bench_binary = "/nonexistent/cachecheck-bench";
  o.out_dir = temp_dir("missing").string();
  std::ostringstream out, progress;
  EXPECT_EQ(cachecheck::run_bench(o, out, progress), 2);
  EXPECT_TRUE(out.str().empty());
  const std::string p = progress.str();
  EXPECT_TRUE(has(p, "not found")) << p;
  EXPECT_EQ(std::count(p.begin(), p.end(), '\n'), 1) << p;
  fs::remove_all(o.out_dir);
}

TEST(RunBench, FailingBinaryIsAnError) {
  cachecheck::BenchOptions o;
  o.bench_binary = "/bin/false";
  o.out_dir = temp_dir("failing").string();
  std::ostringstream out, progress;
  EXPECT_EQ(cachecheck::run_bench(o, out, progress), 2);
  EXPECT_TRUE(has(progress.str(), "exited with status 1")) << progress.str();
  fs::remove_all(o.out_dir);
}

TEST(RunBench, CommandLine) {
  cachecheck::BenchOptions o;
  o.bench_binary = "/x/cachecheck-bench";
  o.backends = {"redis"};
  o.repetitions = 5;
  o.min_time_s = 0.25;
  o.out_dir = "out dir";
  o.filter = "invalidate/";
  auto argv = cachecheck::bench_command(o);
  std::vector<std::string> expected = {"/x/cachecheck-bench",
                                       "--benchmark_out=out dir/bench.json",
                                       "--benchmark_out_format=json",
                                       "--benchmark_repetitions=5",
                                       "--benchmark_min_time=0.25",
                                       "--benchmark_report_aggregates_only=true",
                                       "--benchmark_enable_random_interleaving=true",
                                       "--benchmark_color=false",
                                       "--backends=redis",
                                       "--benchmark_filter=invalidate/"};
  EXPECT_EQ(argv, expected);
  o.backends.clear();
  o.filter.clear();
  argv = cachecheck::bench_command(o);
  EXPECT_EQ(argv.back(), "--backends=memory,redis");
}

TEST(RunBench, RejectsAnUnknownBackend) {
  cachecheck::BenchOptions o;
  o.bench_binary = bench_binary().string();
  o.backends = {"memcached"};
  std::ostringstream out, progress;
  EXPECT_EQ(cachecheck::run_bench(o, out, progress), 2);
  EXPECT_TRUE(has(progress.str(), "unknown backend 'memcached'")) << progress.str();
}

}  // namespace
