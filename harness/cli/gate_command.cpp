// `cachecheck gate`: runs the matrix and a short benchmark with the baseline's
// settings (or reads the given files), compares them with the baseline, and
// writes gate.json, gate.md, junit.xml and the reports. Exit 0 pass, 1
// regression, 2 error. --update-baseline writes the baseline instead.
#include <sys/wait.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cachecheck_reports/render.h"
#include "commands.h"
#include "gate/gate.h"
#include "run/bench_summary.h"

namespace cachecheck::cli {
namespace {

namespace fs = std::filesystem;

std::string self_path(const std::string& argv0) {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::absolute(argv0).string() : exe.string();
}

// Runs `cachecheck VERB ARGS…`; exit codes in `ok` are fine, anything else an error.
void run_self(const GateArgs& a, std::vector<std::string> args, std::initializer_list<int> ok) {
  args.insert(args.begin(), self_path(a.self));
  std::cerr << "cachecheck gate: running";
  for (auto& s : args) std::cerr << " " << s;
  std::cerr << "\n";
  std::string error;
  const int status = run_process(args, std::cerr, error);
  if (status < 0) throw std::runtime_error(error);
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  for (int c : ok)
    if (code == c) return;
  throw std::runtime_error("`cachecheck " + args[1] + "` exited with status " + std::to_string(code));
}

std::string now_iso() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

bool listed(const std::string& csv, const std::string& name) {
  if (csv.empty()) return true;
  std::stringstream in(csv);
  for (std::string item; std::getline(in, item, ',');)
    if (item == name) return true;
  return false;
}

// Keeps the baseline cells the selection names; returns how many it dropped.
std::size_t narrow_cells(gate::Baseline& b, const std::string& strategies, const std::string& scenarios) {
  const std::size_t before = b.cells.size();
  std::erase_if(b.cells, [&](const gate::BaselineCell& c) {
    return !listed(strategies, c.strategy) || !listed(scenarios, c.scenario);
  });
  return before - b.cells.size();
}

int gate(const GateArgs& a) {
  if (a.baseline.empty()) throw std::runtime_error("--baseline FILE is required");
  if (!(a.alpha > 0 && a.alpha < 1)) throw std::runtime_error("--alpha must be between 0 and 1");
  if (!(a.threshold >= 0)) throw std::runtime_error("--threshold must be a percentage ≥ 0");
  if (a.times != "auto" && a.times != "enforce" && a.times != "report-only")
    throw std::runtime_error("--times must be auto, enforce or report-only");

  std::optional<gate::Baseline> baseline;
  if (!a.update_baseline || fs::exists(a.baseline)) {
    try {
      baseline = gate::load_baseline(a.baseline);
    } catch (const std::runtime_error&) {
      if (!a.update_baseline) throw;  // updating replaces an unreadable baseline
    }
  }
  fs::create_directories(a.out);

  // The matrix: the given results, or a run with the baseline's settings.
  gate::MatrixSettings m = baseline && baseline->matrix ? *baseline->matrix : gate::MatrixSettings{};
  if (a.seed) m.seed = *a.seed;
  if (a.cases) m.cases = *a.cases;
  if (!a.strategies.empty()) m.strategies = a.strategies;
  if (!a.scenarios.empty()) m.scenarios = a.scenarios;
  std::string results_path = a.results;
  if (results_path.empty()) {
    const std::string dir = (fs::path(a.out) / "run").string();
    std::vector<std::string> args = {"run", "--seed", std::to_string(m.seed), "--cases", std::to_string(m.cases),
                                     "--backend", m.backend, "--workers", std::to_string(m.workers), "--http-cache",
                                     m.http_cache, "--layers", m.layers, "--target", m.target, "--out", dir, "--quiet"};
    if (!m.strategies.empty()) args.insert(args.end(), {"--strategies", m.strategies});
    if (!m.scenarios.empty()) args.insert(args.end(), {"--scenarios", m.scenarios});
    if (!a.expectations.empty()) args.insert(args.end(), {"--expectations", a.expectations});
    run_self(a, args, {0, 1});
    results_path = (fs::path(dir) / "results.json").string();
  }
  const reports::Results results = reports::load_results(results_path);

  // The benchmark: the given file, a short run with the baseline's settings, or none.
  gate::BenchSettings bs = baseline && baseline->bench ? *baseline->bench : gate::BenchSettings{};
  if (a.repetitions) bs.repetitions = *a.repetitions;
  if (a.min_time) bs.min_time_s = *a.min_time;
  if (!a.bench_filter.empty()) bs.filter = a.bench_filter;
  if (!a.bench_backend.empty()) bs.backends = a.bench_backend;
  std::string bench_path = a.bench;
  const bool want_bench = !a.no_bench && (a.update_baseline || !baseline || baseline->bench);
  if (bench_path.empty() && want_bench) {
    const std::string dir = (fs::path(a.out) / "bench").string();
    std::vector<std::string> args = {"bench", "--repetitions", std::to_string(bs.repetitions), "--min-time",
                                     reports::detail::trimmed(bs.min_time_s, 6), "--backend", bs.backends, "--out", dir};
    if (!bs.filter.empty()) args.insert(args.end(), {"--filter", bs.filter});
    run_self(a, args, {0});
    bench_path = (fs::path(dir) / "bench.json").string();
  }
  std::optional<reports::Bench> bench;
  if (!bench_path.empty()) bench = reports::load_bench(bench_path);
  const auto machine = gate::machine_description(bench ? &*bench : nullptr);

  if (a.update_baseline) {
    if (results.interrupted) throw std::runtime_error("the run was interrupted: no baseline written");
    auto b = gate::make_baseline(&results, &m, bench ? &*bench : nullptr, a.bench.empty() ? &bs : nullptr, machine,
                                 now_iso());
    std::ofstream out(a.baseline);
    if (!(out << gate::to_json(b).dump(1) << "\n")) throw std::runtime_error("cannot write " + a.baseline);
    std::cout << "cachecheck gate: wrote baseline " << a.baseline << " (" << b.cells.size() << " cells, "
              << b.benchmarks.size() << " benchmarks)\n";
    for (auto& c : results.runs)
      if (!c.matches())
        std::cout << "  note: " << c.strategy << " × " << c.scenario << " differs from its expectation (expected "
                  << c.expected << ", got " << c.verdict << ")\n";
    return 0;
  }

  std::optional<gate::Expectations> expectations;
  if (!a.expectations.empty()) expectations = gate::load_expectations(a.expectations);
  gate::Inputs in;
  in.results = &results;
  in.bench = bench ? &*bench : nullptr;
  in.expectations = expectations ? &*expectations : nullptr;
  in.machine = machine;
  in.baseline_path = a.baseline;
  in.results_path = results_path;
  in.bench_path = bench_path;
  gate::Options o{a.alpha, a.threshold, a.strict, a.times};
  // --strategies / --scenarios narrow the comparison too: the baseline's other cells
  // were not asked for, so they are not missing.
  gate::Baseline compared = *baseline;
  const std::size_t left_out = narrow_cells(compared, a.strategies, a.scenarios);
  reports::GateReport report = gate::compare(compared, in, o);
  if (left_out)
    report.notes.push_back(std::to_string(left_out) + " baseline cell(s) outside --strategies/--scenarios were not compared");
  report.version = CACHECHECK_VERSION;

  const std::string gate_path = (fs::path(a.out) / "gate.json").string();
  {
    std::ofstream out(gate_path);
    if (!(out << reports::to_json(report).dump(2) << "\n")) throw std::runtime_error("cannot write " + gate_path);
  }
  reports::write_reports({results_path, bench_path, gate_path}, a.out);
  std::cout << reports::gate_markdown(report) << "\n\ncachecheck gate: " << (report.passed() ? "pass" : "REGRESSION")
            << " — " << a.out << "/ (gate.json, gate.md, junit.xml, report.md, report.html)\n";
  return report.passed() ? 0 : 1;
}

}  // namespace

void add_gate_command(CLI::App& app, GateArgs& a, const char* argv0) {
  a.self = argv0;
  auto* cmd = app.add_subcommand(
      "gate", "Compare the matrix and a short benchmark with a baseline: exit 0 pass, 1 regression, 2 error. Runs "
              "them with the baseline's settings unless --results/--bench are given. Writes gate.json, gate.md, "
              "junit.xml and the reports to --out");
  cmd->add_option("--baseline", a.baseline, "The baseline (reports/baseline.json); written with --update-baseline")
      ->required();
  cmd->add_option("--expectations", a.expectations,
                  "Expected verdicts, kinds and layers (default: the results' own, from scenarios/expectations.json)");
  cmd->add_option("--results", a.results, "Compare this results.json instead of running the matrix");
  cmd->add_option("--bench", a.bench, "Compare this bench.json instead of running the benchmark");
  cmd->add_option("--alpha", a.alpha, "Significance level of the Mann–Whitney U test on times (default 0.05)");
  cmd->add_option("--threshold", a.threshold, "A time regresses when its median is slower by more than this % (default 10)");
  cmd->add_option("--times", a.times,
                  "auto (default: enforce on the baseline's kind of machine, else report only), enforce, report-only");
  cmd->add_flag("--strict", a.strict, "An expected failure that now passes fails the gate too");
  cmd->add_flag("--update-baseline", a.update_baseline, "Write the baseline from this run instead of comparing");
  cmd->add_option("--out", a.out, "Output directory (default reports/out/gate)");
  cmd->add_option("--strategies", a.strategies, "Run: strategies (default: the baseline's, else all)");
  cmd->add_option("--scenarios", a.scenarios, "Run: scenarios (default: the baseline's, else all)");
  cmd->add_option("--cases", a.cases, "Run: cases per cell (default: the baseline's, else 100)")
      ->check(decimal_number)
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--seed", a.seed, "Run: seed (default: the baseline's, else 0)")
      ->check(decimal_number);
  cmd->add_option("--repetitions", a.repetitions, "Bench: repetitions (default: the baseline's, else 5)")
      ->check(decimal_number)
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--min-time", a.min_time, "Bench: minimum seconds per repetition (default: the baseline's, else 0.01)");
  cmd->add_option("--bench-filter", a.bench_filter, "Bench: a benchmark regex (default: the baseline's, else all)");
  cmd->add_option("--bench-backend", a.bench_backend, "Bench: memory,redis (default: the baseline's, else both)");
  cmd->add_flag("--no-bench", a.no_bench, "Do not run the benchmark (times and bench counters are not compared)");
  cmd->callback([&a] { run_verb("gate", [&a] { return gate(a); }); });
}

}  // namespace cachecheck::cli
