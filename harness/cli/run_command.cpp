// `cachecheck run`: the matrix, every strategy × every scenario.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <atomic>
#include <csignal>
#include <thread>

#include "cachecheck_reports/render.h"
#include "commands.h"
#include "generate/scenario.h"
#include "run/matrix.h"

namespace cachecheck::cli {
namespace {

namespace fs = std::filesystem;

std::string find_expectations(const std::string& given) {
  if (!given.empty()) return given;
  for (fs::path p : {fs::path("scenarios/expectations.json"), fs::path(CACHECHECK_SOURCE_DIR) / "scenarios/expectations.json"})
    if (fs::exists(p)) return p.string();
  throw std::runtime_error("cannot find scenarios/expectations.json (run from the project root or pass --expectations)");
}

std::atomic<bool> g_stop{false};

// The first SIGINT/SIGTERM asks the run to stop after the case under way (the
// results written say so); a second one ends the process at once.
extern "C" void on_stop_signal(int sig) {
  g_stop.store(true);
  std::signal(sig, SIG_DFL);
}

TargetConfig config_of(const RunArgs& a) {
  TargetConfig c;
  c.backend = a.backend;
  c.workers = a.workers;
  c.http_cache = a.http_cache;
  c.max_wait_s = a.max_wait;
  c.leases = a.leases;
  return c;
}

void progress_bar(const std::string& cell, int done, int total) {
  int width = 30, filled = total ? done * width / total : width;
  std::cerr << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
            << std::string(static_cast<std::size_t>(width - filled), '.') << "] " << done << "/" << total << " "
            << cell << "\033[K" << std::flush;
  if (done == total) std::cerr << "\n";
}

// The matrix options for one target (its rows: the strategies it can run, or the one it runs).
MatrixOptions options_for(const RunArgs& a, const std::string& target) {
  const TargetKind* kind = find_target_kind(target);
  if (!kind)
    throw std::runtime_error("unknown target '" + target + "' (in-process, http://HOST:PORT or a spec FILE.yaml)");
  MatrixOptions o;
  o.config = config_of(a);
  if (kind->check) kind->check(o.config);  // a valid --http-cache, a reachable backend: before any case
  std::vector<std::string> strategies = kind->strategies ? kind->strategies() : std::vector<std::string>{};
  if (strategies.empty()) {
    // A running server has its own strategy: the one it reports.
    std::string served = make_target(target, o.config)->capabilities().strategy;
    strategies = {served.empty() ? std::string("unknown") : served};
  }
  o.strategies = name_list(a.strategies, strategies, "strategy");
  o.scenarios = name_list(a.scenarios, scenario_names(), "scenario");
  o.cases = a.cases;
  o.seed = a.seed;
  o.target = target;
  o.all_layers = a.layers == "all";
  o.stop = &g_stop;
  o.jobs = a.jobs > 0 ? a.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (!a.shard.empty()) o.shard = parse_shard(a.shard);
  return o;
}

int run(const RunArgs& a) {
  if (a.layers != "server" && a.layers != "all") throw std::runtime_error("--layers must be server or all");
  const std::vector<std::string> targets = a.targets.empty() ? std::vector<std::string>{"in-process"} : a.targets;
  std::vector<MatrixOptions> per_target;  // every target checked before any case runs
  std::size_t position = 0;  // a shard slices all targets' cells as one matrix
  for (const auto& t : targets) {
    per_target.push_back(options_for(a, t));
    per_target.back().first_position = position;
    position += per_target.back().strategies.size() * per_target.back().scenarios.size();
    if (a.jobs > 1 && !cells_independent(per_target.back()) && !a.quiet)
      std::cerr << "cachecheck run: " << t << " on " << a.backend
                << ": cells share one server or Redis database, so they run one at a time (--jobs applies to "
                   "in-process on memory)\n";
  }
  auto expectations = load_expectations(find_expectations(a.expectations));
  for (auto& o : per_target) {
    if (!a.quiet && isatty(STDERR_FILENO)) o.progress = progress_bar;
    else if (!a.quiet)
      o.progress = [](const std::string& cell, int done, int total) {
        std::cerr << "[" << done << "/" << total << "] " << cell << "\n";
      };
  }

  // Counterexamples go to a staging folder first; they replace the old ones only
  // together with the results.json that lists them.
  fs::create_directories(a.out);
  fs::path staging = fs::path(a.out) / (".run-" + std::to_string(::getpid()));
  fs::remove_all(staging);
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  RunResults results;
  try {
    // One row per target and strategy: --target may repeat (one spec per branch or configuration).
    for (std::size_t i = 0; i < per_target.size(); ++i) {
      MatrixOptions& o = per_target[i];
      o.out_dir = staging.string();
      RunResults part = run_matrix(o, expectations);
      if (i == 0) {
        results = std::move(part);
        if (results.interrupted) break;
        continue;
      }
      results.target += ", " + part.target;
      results.ops_checked += part.ops_checked;
      results.elapsed_s += part.elapsed_s;
      results.interrupted = results.interrupted || part.interrupted;
      results.shard = part.shard;
      for (auto& s : part.settings_differ)
        if (std::find(results.settings_differ.begin(), results.settings_differ.end(), s) == results.settings_differ.end())
          results.settings_differ.push_back(s);
      for (auto& cell : part.runs) results.runs.push_back(std::move(cell));
      if (results.interrupted) break;
    }
  } catch (...) {
    fs::remove_all(staging);
    throw;
  }
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  results.version = CACHECHECK_VERSION;
  fs::remove_all(fs::path(a.out) / "counterexamples");
  if (fs::exists(staging / "counterexamples")) fs::rename(staging / "counterexamples", fs::path(a.out) / "counterexamples");
  fs::remove_all(staging);
  const int differ = publish_results(results, a.out);
  if (results.interrupted) {
    std::cerr << "cachecheck run: interrupted; " << results.runs.size() << " finished cell(s) written to " << a.out
              << "/results.json\n";
    return 130;
  }
  return differ ? 1 : 0;
}

}  // namespace

int publish_results(const RunResults& results, const std::string& out) {
  const std::string results_path = (fs::path(out) / "results.json").string();
  write_atomically(results_path, to_json(results).dump(2) + "\n");
  reports::write_reports({results_path, reports::inputs_in(out).bench, ""}, out);
  std::cout << reports::terminal_table(reports::load_results(results_path), isatty(STDOUT_FILENO) != 0);
  int differ = 0;
  for (auto& cell : results.runs) differ += cell.matches() ? 0 : 1;
  std::cout << "seed " << results.seed << " · " << results.ops_checked << " operations checked in "
            << results.elapsed_s << " s · results in " << out << "/ (results.json, report.md, report.html, junit.xml)\n";
  for (auto& cell : results.runs)
    if (cell.counterexample && !cell.matches())
      std::cout << "  reproduce " << cell.strategy << " × " << cell.scenario << ": cachecheck replay " << out << "/"
                << *cell.counterexample << "   (seed " << results.seed << ")\n";
  return differ;
}

void add_run_command(CLI::App& app, RunArgs& a) {
  auto* cmd = app.add_subcommand("run", "Run the matrix: every strategy × every scenario (exit 0 when every verdict "
                                        "equals its expectation, 1 when one differs, 2 for a usage or environment error)");
  cmd->add_option("--strategies", a.strategies, "Comma-separated strategies (default: all)");
  cmd->add_option("--scenarios", a.scenarios, "Comma-separated scenarios (default: all)");
  cmd->add_option("--cases", a.cases, "Generated cases per cell (default 100)")
      ->check(decimal_number)
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--seed", a.seed, "Seed of every random choice; the same seed gives the same results (default 0)")
      ->check(decimal_number);
  cmd->add_option("--backend", a.backend, "Cache backend: memory or redis://HOST:PORT[/DB] (default memory)");
  cmd->add_option("--workers", a.workers, "Server workers, at least (scenarios may use more; default 1)")
      ->check(decimal_number)
      ->check(CLI::Range(1, 64));
  cmd->add_option("--http-cache", a.http_cache, "The feed's Cache-Control: never | max-age=N | unset (default never)");
  cmd->add_flag("--leases", a.leases,
                "In-process: serve with leases against the thundering herd where the strategy supports them "
                "(precise; calendar-server --leases)");
  cmd->add_option("--target", a.targets,
                  "in-process (default), http://HOST:PORT of a calendar-server --admin --clock manual, or a target "
                  "spec FILE.yaml (any application: targets/README.md); repeat it for one row per target");
  cmd->add_option("--max-wait", a.max_wait,
                  "Real-clock targets: the longest a step waits, in seconds (default 30); a scenario that would "
                  "wait longer for a freshness bound is unsupported")
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--layers", a.layers, "Layers that count toward verdicts: server (default) or all (client-store too)")
      ->check(CLI::IsMember({"server", "all"}));
  cmd->add_option("--out", a.out, "Output directory (default reports/out)");
  cmd->add_option("--expectations", a.expectations, "Expected verdicts (default scenarios/expectations.json)");
  cmd->add_option("--jobs", a.jobs,
                  "Cells at once, each in its own process (default: the machine's cores); results are the same "
                  "byte for byte as with --jobs 1. Only in-process on memory: other targets share one state")
      ->check(decimal_number)
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--shard", a.shard,
                  "Run the K-th of N slices of the matrix (cells dealt round robin), e.g. one per CI machine; "
                  "`cachecheck merge` puts the slices' folders back together as one run");
  cmd->add_flag("--quiet", a.quiet, "No progress on stderr");
  cmd->callback([&a] { run_verb("run", [&a] { return run(a); }); });
}

}  // namespace cachecheck::cli
