// `cachecheck bench`: runs cachecheck-bench and writes the comparison table.
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cachecheck_reports/render.h"
#include "run/bench_summary.h"
#include "commands.h"

namespace cachecheck::cli {
namespace {

namespace fs = std::filesystem;

int bench(const BenchArgs& a) {
  BenchOptions o;
  o.bench_binary = (fs::absolute(fs::path(a.self)).parent_path() / "cachecheck-bench").string();
  std::stringstream ss(a.backend);
  for (std::string b; std::getline(ss, b, ',');) {
    if (b.empty()) continue;
    if (b != "memory" && b != "redis") throw std::runtime_error("--backend takes memory and/or redis: got '" + b + "'");
    o.backends.push_back(b);
  }
  if (a.repetitions < 1) throw std::runtime_error("--repetitions must be at least 1");
  if (!(a.min_time > 0)) throw std::runtime_error("--min-time must be positive");
  o.repetitions = a.repetitions;
  o.min_time_s = a.min_time;
  o.out_dir = a.out;
  o.filter = a.filter;
  fs::create_directories(a.out);
  if (int rc = run_bench(o, std::cerr); rc != 0) return rc;
  const std::string bench_json = (fs::path(a.out) / "bench.json").string();
  auto written = reports::write_reports({reports::inputs_in(a.out).results, bench_json, ""}, a.out);
  std::cout << reports::bench_markdown(reports::load_bench(bench_json));
  for (auto& f : written) std::cerr << "cachecheck bench: wrote " << f << "\n";
  return 0;
}

}  // namespace

void add_bench_command(CLI::App& app, BenchArgs& a, const char* argv0) {
  a.self = argv0;
  auto* cmd = app.add_subcommand(
      "bench", "Benchmark what each strategy costs per write and per read, beside the physical floor (Redis PING, "
               "map lookup); writes bench.json (Google Benchmark's format) and bench.md (see harness/bench/README.md)");
  cmd->add_option("--backend", a.backend, "Comma-separated backends: memory,redis (default both)");
  cmd->add_option("--repetitions", a.repetitions, "Repetitions of each benchmark; medians are reported (default 3)")
      ->check(decimal_number)
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--min-time", a.min_time, "Minimum seconds per benchmark repetition (default 0.05)");
  cmd->add_option("--filter", a.filter, "Only benchmarks whose name matches this regex, e.g. 'invalidate/'");
  cmd->add_option("--out", a.out, "Output directory for bench.json and bench.md (default reports/out)");
  cmd->callback([&a] { run_verb("bench", [&a] { return bench(a); }); });
}

}  // namespace cachecheck::cli
