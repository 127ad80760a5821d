// `cachecheck bench`: runs the cachecheck-bench binary (Google Benchmark), which
// writes bench.json with every repetition's sample and the aggregates. The
// tables (bench.md) are rendered from that file by reports/.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace cachecheck {

struct BenchOptions {
  std::string bench_binary;           // path of build/bin/cachecheck-bench
  std::vector<std::string> backends;  // "memory", "redis"; empty = both
  int repetitions = 3;
  double min_time_s = 0.05;
  std::string out_dir = "reports/out";
  std::string filter;  // a Google Benchmark regex (--benchmark_filter); "" = every family
  std::vector<std::string> extra_args;  // appended as is (e.g. "--mixed_steps=200")
};

// The argument vector run_bench executes (argv[0] = o.bench_binary):
//   --benchmark_out=<out_dir>/bench.json --benchmark_out_format=json
//   --benchmark_repetitions=N --benchmark_min_time=S --benchmark_display_aggregates_only=true
//   --benchmark_enable_random_interleaving=true --benchmark_color=false
//   --backends=<list> [--benchmark_filter=<filter>] [extra_args…]
// The file keeps every repetition (the gate compares their samples); the
// console shows only the aggregates. `--backends` is cachecheck-bench's own
// flag: only the selected backends' benchmarks are registered (a regex cannot
// AND a backend with o.filter). Random interleaving spreads each benchmark's
// repetitions over the run, so that a floor and the costs compared with it see
// the same machine state (loopback round trips on a 2-vCPU VM drift between
// ~12 and ~30 µs with the load).
std::vector<std::string> bench_command(const BenchOptions& o);

// Runs the benchmark (fork/exec, no shell), streams its console output to
// `progress`, and checks that <out_dir>/bench.json was written. Returns 0 on
// success; 2 after a one-line error on `progress` when the options are invalid,
// the binary is missing or fails, or wrote no JSON.
int run_bench(const BenchOptions& o, std::ostream& progress);

// Runs argv (argv[0] a path; fork/exec, no shell), copying its stdout and
// stderr to `progress`. Returns the wait status, or -1 with `error` set.
int run_process(const std::vector<std::string>& argv, std::ostream& progress, std::string& error);

}  // namespace cachecheck
