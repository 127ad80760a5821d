// `cachecheck run`: the matrix, every strategy × every scenario.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "run/matrix.h"
#include "generate/scenario.h"
#include "cachecheck_reports/render.h"
#include "calendar/http_server.h"
#include "calendar/redis_cache.h"
#include "calendar/strategy.h"
#include "commands.h"

namespace cachecheck::cli {
namespace {

namespace fs = std::filesystem;

std::string find_expectations(const std::string& given) {
  if (!given.empty()) return given;
  for (fs::path p : {fs::path("scenarios/expectations.json"), fs::path(CACHECHECK_SOURCE_DIR) / "scenarios/expectations.json"})
    if (fs::exists(p)) return p.string();
  throw std::runtime_error("cannot find scenarios/expectations.json (run from the project root or pass --expectations)");
}

void check_environment(const RunArgs& a) {
  if (a.cases < 1) throw std::runtime_error("--cases must be at least 1");
  if (a.workers < 1 || a.workers > 64) throw std::runtime_error("--workers must be between 1 and 64");
  if (a.layers != "server" && a.layers != "all") throw std::runtime_error("--layers must be server or all");
  std::string error;
  if (!calendar::parse_http_cache(a.http_cache, error)) throw std::runtime_error("--http-cache: " + error);
  if (a.backend != "memory") {
    if (a.backend.rfind("redis://", 0) != 0) throw std::runtime_error("--backend must be memory or redis://HOST:PORT");
    auto address = calendar::parse_redis_url(a.backend, error);
    if (!address) throw std::runtime_error("--backend: " + error);
    calendar::RealClock clock;
    calendar::RedisCache probe(*address, clock);
    if (!probe.ping()) throw std::runtime_error("cannot reach Redis at " + a.backend);
  }
}

void progress_bar(const std::string& cell, int done, int total) {
  int width = 30, filled = total ? done * width / total : width;
  std::cerr << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
            << std::string(static_cast<std::size_t>(width - filled), '.') << "] " << done << "/" << total << " "
            << cell << "\033[K" << std::flush;
  if (done == total) std::cerr << "\n";
}

int run(const RunArgs& a) {
  check_environment(a);
  MatrixOptions o;
  o.strategies = name_list(a.strategies, calendar::strategy_names(), "strategy");
  o.scenarios = name_list(a.scenarios, scenario_names(), "scenario");
  o.cases = a.cases;
  o.seed = a.seed;
  o.target = a.target;
  o.config.backend = a.backend;
  o.config.workers = a.workers;
  o.config.http_cache = a.http_cache;
  o.all_layers = a.layers == "all";
  o.out_dir = a.out;
  if (a.target != "in-process") make_target(a.target, o.config);  // fails early with a clear reason
  auto expectations = load_expectations(find_expectations(a.expectations));
  if (!a.quiet && isatty(STDERR_FILENO)) o.progress = progress_bar;
  else if (!a.quiet)
    o.progress = [](const std::string& cell, int done, int total) {
      std::cerr << "[" << done << "/" << total << "] " << cell << "\n";
    };

  fs::create_directories(a.out);
  fs::remove_all(fs::path(a.out) / "counterexamples");
  RunResults results = run_matrix(o, expectations);
  results.version = CACHECHECK_VERSION;
  {
    std::ofstream out(fs::path(a.out) / "results.json");
    if (!(out << to_json(results).dump(2) << "\n")) throw std::runtime_error("cannot write " + a.out + "/results.json");
  }
  const std::string results_path = (fs::path(a.out) / "results.json").string();
  reports::write_reports({results_path, reports::inputs_in(a.out).bench, ""}, a.out);
  std::cout << reports::terminal_table(reports::load_results(results_path), isatty(STDOUT_FILENO) != 0);
  int differ = 0;
  for (auto& cell : results.runs) differ += cell.matches() ? 0 : 1;
  std::cout << "seed " << results.seed << " · " << results.ops_checked << " operations checked in "
            << results.elapsed_s << " s · results in " << a.out << "/ (results.json, report.md, report.html, junit.xml)\n";
  for (auto& cell : results.runs)
    if (cell.counterexample && !cell.matches())
      std::cout << "  reproduce " << cell.strategy << " × " << cell.scenario << ": cachecheck replay " << a.out << "/"
                << *cell.counterexample << "   (seed " << results.seed << ")\n";
  return differ ? 1 : 0;
}

}  // namespace

void add_run_command(CLI::App& app, RunArgs& a) {
  auto* cmd = app.add_subcommand("run", "Run the matrix: every strategy × every scenario (exit 0 when every verdict "
                                        "equals its expectation, 1 when one differs, 2 for a usage or environment error)");
  cmd->add_option("--strategies", a.strategies, "Comma-separated strategies (default: all)");
  cmd->add_option("--scenarios", a.scenarios, "Comma-separated scenarios (default: all)");
  cmd->add_option("--cases", a.cases, "Generated cases per cell (default 100)");
  cmd->add_option("--seed", a.seed, "Seed of every random choice; the same seed gives the same results (default 0)");
  cmd->add_option("--backend", a.backend, "Cache backend: memory or redis://HOST:PORT[/DB] (default memory)");
  cmd->add_option("--workers", a.workers, "Server workers, at least (scenarios may use more; default 1)");
  cmd->add_option("--http-cache", a.http_cache, "The feed's Cache-Control: never | max-age=N | unset (default never)");
  cmd->add_option("--target", a.target, "in-process (default) or http://HOST:PORT of a calendar-server --admin --clock manual");
  cmd->add_option("--layers", a.layers, "Layers that count toward verdicts: server (default) or all (client-store too)");
  cmd->add_option("--out", a.out, "Output directory (default reports/out)");
  cmd->add_option("--expectations", a.expectations, "Expected verdicts (default scenarios/expectations.json)");
  cmd->add_flag("--quiet", a.quiet, "No progress on stderr");
  cmd->callback([&a] { run_verb("run", [&a] { return run(a); }); });
}

}  // namespace cachecheck::cli
