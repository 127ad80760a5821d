// Smoke test of cachecheck-bench and `cachecheck bench`'s summary: every
// family runs once, briefly, through run_bench; the JSON names every family for
// every strategy and both backends, and the counters say what each strategy
// does per write. Timings are never asserted. (bench.md itself: tests/reports/.)
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "cachecheck_reports/documents.h"
#include "run/bench_summary.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The contract's strategies (not calendar::strategy_names(): other tests in this
// binary register mutants, which cachecheck-bench does not have).
const std::vector<std::string> kStrategies = {"none", "ttl-only", "sweep", "versioned", "audience", "robust", "precise"};
// The herd family adds precise with leases.
const std::vector<std::string> kHerdStrategies = {"none",   "ttl-only", "sweep",  "versioned",
                                                  "audience", "robust", "precise", "precise-leases"};

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
    std::ostringstream progress;
    status_ = cachecheck::run_bench(o, progress);
    progress_ = new std::string(progress.str());
    std::ifstream in(*dir_ / "bench.json");
    std::stringstream text;
    text << in.rdbuf();
    json_ = new json(cachecheck::reports::parse_bench_json(text.str()));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete progress_;
    delete json_;
  }

  static fs::path* dir_;
  static int status_;
  static std::string* progress_;
  static json* json_;
};

fs::path* BenchSmoke::dir_ = nullptr;
int BenchSmoke::status_ = -1;
std::string* BenchSmoke::progress_ = nullptr;
json* BenchSmoke::json_ = nullptr;

TEST_F(BenchSmoke, RunsAndWritesJson) {
  ASSERT_TRUE(fs::exists(bench_binary())) << "build the cachecheck-bench target first: " << bench_binary();
  ASSERT_EQ(status_, 0) << *progress_;
  ASSERT_FALSE(json_->is_discarded());
  ASSERT_TRUE(json_->contains("benchmarks"));
  EXPECT_NE(progress_->find("invalidate/sweep/redis"), std::string::npos) << "progress is streamed";
  // Every repetition's sample is kept in the file (the gate compares them).
  auto bench = cachecheck::reports::bench_from_json(*json_);
  const auto* sweep = bench.get("invalidate/sweep/redis");
  ASSERT_NE(sweep, nullptr);
  EXPECT_EQ(sweep->samples_ns.size(), 1u);
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
    for (const auto& s : kHerdStrategies)
      for (const char* n : {"1readers", "8readers", "64readers"}) expected.push_back("herd/" + s + "/" + b + "/" + n);
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
    EXPECT_DOUBLE_EQ(runs.at("invalidate/precise/" + b).at("cache_ops").get<double>(), 0) << b;
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
        for (const char* c : {"items_per_second", "hit_rate", "ideal_hit_rate", "hit_rate_vs_ideal",
                              "store_queries_per_read", "round_trips_per_read", "reads", "stale_reads",
                              "stale_read_rate", "nines", "nines_lower_bound"})
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
    // The strategies that never serve stale data stay at or under the ceiling.
    for (const char* s : {"robust", "precise"}) {
      const auto& r = runs.at("mixed/" + std::string(s) + "/" + b + "/20pct");
      EXPECT_DOUBLE_EQ(r.at("stale_reads").get<double>(), 0) << s;
      EXPECT_LE(r.at("hit_rate").get<double>(), r.at("ideal_hit_rate").get<double>() + 1e-9) << s;
    }
    // A hit of `versioned` reads the version key, then the entry.
    EXPECT_DOUBLE_EQ(runs.at("read-hit/versioned/" + b).at("round_trips").get<double>(), 2);
    EXPECT_DOUBLE_EQ(runs.at("read-hit/ttl-only/" + b).at("store_queries").get<double>(), 0);
  }
  // The herd: `none` queries the store once per reader, leases bound it to one.
  for (const char* backend : {"memory", "redis"}) {
    const std::string b = backend;
    EXPECT_DOUBLE_EQ(runs.at("herd/none/" + b + "/8readers").at("store_queries_per_invalidation").get<double>(), 8);
    EXPECT_DOUBLE_EQ(
        runs.at("herd/precise-leases/" + b + "/64readers").at("store_queries_per_invalidation").get<double>(), 1);
  }
  for (const char* n : {"http/calendar-server/memory", "http/trivial/memory", "http/trivial-same-headers/memory"})
    EXPECT_GT(runs.at(n).at("items_per_second").get<double>(), 0) << n;
}

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

TEST(RunBench, MissingBinaryIsAOneLineError) {
  cachecheck::BenchOptions o;
  o.bench_binary = "/nonexistent/cachecheck-bench";
  o.out_dir = temp_dir("missing").string();
  std::ostringstream progress;
  EXPECT_EQ(cachecheck::run_bench(o, progress), 2);
  const std::string p = progress.str();
  EXPECT_TRUE(has(p, "not found")) << p;
  EXPECT_EQ(std::count(p.begin(), p.end(), '\n'), 1) << p;
  fs::remove_all(o.out_dir);
}

TEST(RunBench, FailingBinaryIsAnError) {
  cachecheck::BenchOptions o;
  o.bench_binary = "/bin/false";
  o.out_dir = temp_dir("failing").string();
  std::ostringstream progress;
  EXPECT_EQ(cachecheck::run_bench(o, progress), 2);
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
                                       "--benchmark_display_aggregates_only=true",
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
  std::ostringstream progress;
  EXPECT_EQ(cachecheck::run_bench(o, progress), 2);
  EXPECT_TRUE(has(progress.str(), "unknown backend 'memcached'")) << progress.str();
}

}  // namespace

namespace {

// Issue 15's scale families, at their smallest sizes: they run, judge what the
// synthetic history plants, and report their counters (never their times).
TEST(BenchScale, TheSmallScaleFamiliesRunWithTheirCounters) {
  const fs::path dir = temp_dir("scale");
  const std::string cmd = bench_binary().string() +
                          " --scale --benchmark_filter='^(oracle/judge/10k|store/feed-query/.*|matrix/ops-per-second/2-jobs)$'"
                          " --benchmark_min_time=0.001 --benchmark_format=json --benchmark_out=" +
                          (dir / "scale.json").string() + " --benchmark_out_format=json > /dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream in(dir / "scale.json");
  auto runs = by_name(json::parse(in));
  for (const char* name : {"oracle/judge/10k", "store/feed-query/150", "store/feed-query/10000", "matrix/ops-per-second/2-jobs"})
    ASSERT_TRUE(runs.count(name)) << name;
  for (const char* c : {"ops_per_second", "violations", "history_mb", "peak_rss_mb"})
    EXPECT_TRUE(runs["oracle/judge/10k"].contains(c)) << c;
  EXPECT_GT(runs["store/feed-query/150"]["rows"].get<double>(), 0);
  EXPECT_GT(runs["store/feed-query/10000"]["rows"].get<double>(), 0);
  EXPECT_GT(runs["matrix/ops-per-second/2-jobs"]["ops_checked_per_second"].get<double>(), 0);
  fs::remove_all(dir);
}

// Without --scale none of them is registered (the gate's and CI's benchmark stay short).
TEST(BenchScale, TheyAreLeftOutWithoutTheFlag) {
  const std::string cmd = bench_binary().string() + " --benchmark_list_tests=true 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  while (fgets(buf, sizeof buf, p)) out += buf;
  ASSERT_EQ(pclose(p), 0);
  EXPECT_NE(out.find("invalidate/robust/memory"), std::string::npos);
  EXPECT_EQ(out.find("oracle/judge/"), std::string::npos);
}

}  // namespace
