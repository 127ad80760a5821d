// `cachecheck bench`: runs cachecheck-bench and writes the comparison table.
#include <filesystem>
#include <iostream>

#include "commands.h"

namespace cachecheck::cli {

void add_bench_command(CLI::App& app, BenchArgs& a, const char* argv0) {
  a.self = argv0;
  auto* cmd = app.add_subcommand("bench", "Benchmark what each strategy costs (see harness/bench/README.md)");
  cmd->add_option("--backend", a.backend, "Comma-separated backends: memory,redis (default both)");
  cmd->add_option("--repetitions", a.repetitions, "Repetitions of each benchmark (default 3)");
  cmd->add_option("--min-time", a.min_time, "Minimum seconds per benchmark (default 0.05)");
  cmd->add_option("--out", a.out, "Output directory for bench.json and bench.md (default reports/out)");
  cmd->callback([] {
    std::cerr << "cachecheck bench: not wired yet\n";
    set_exit_code(kUsageError);
  });
}

}  // namespace cachecheck::cli
