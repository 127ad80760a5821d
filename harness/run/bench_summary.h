// `cachecheck bench`: runs the cachecheck-bench binary (Google Benchmark) and
// turns its JSON into a comparison table of the strategies' costs beside the
// physical floor and beside the seed's claims.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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
//   --benchmark_repetitions=N --benchmark_min_time=S --benchmark_report_aggregates_only=true
//   --benchmark_enable_random_interleaving=true --benchmark_color=false
//   --backends=<list> [--benchmark_filter=<filter>] [extra_args…]
// `--backends` is cachecheck-bench's own flag: only the selected backends'
// benchmarks are registered (a regex cannot AND a backend with o.filter).
// Random interleaving spreads each benchmark's repetitions over the run, so that
// a floor and the costs compared with it see the same machine state (loopback
// round trips on a 2-vCPU VM drift between ~12 and ~30 µs with the load).
std::vector<std::string> bench_command(const BenchOptions& o);

// Runs the benchmark (fork/exec, no shell), streams its console output to
// `progress`, then reads <out_dir>/bench.json and writes the table to `out` and
// to <out_dir>/bench.md. Returns 0 on success; 2 after a one-line error on
// `progress` when the options are invalid, the binary is missing or fails, or
// the JSON is unreadable.
int run_bench(const BenchOptions& o, std::ostream& out, std::ostream& progress);

// Parses a bench.json text. Google Benchmark writes bare NaN / Infinity for
// some aggregates (the cv of a counter that is always 0), which JSON does not
// allow: outside strings they are read as null. A discarded value on a syntax error.
nlohmann::json parse_bench_json(const std::string& text);

// The Markdown comparison table of a parsed bench.json (Google Benchmark's JSON
// format; aggregates or plain iterations). Pure: no I/O. Missing benchmarks show "—".
std::string bench_table(const nlohmann::json& bench_json);

}  // namespace cachecheck
