// The CI regression gate: compares a run's results.json and bench.json with a
// committed baseline (reports/baseline.json). Pure comparison, no server code:
// the documents are read by reports/ (cachecheck_reports/documents.h) and the
// verdict is a reports::GateReport, written as gate.json and rendered by reports/.
//
// Rules:
//  - consistency: a cell whose verdict differs from its expectation fails the
//    gate; an expected failure that now shows a violation kind@layer its
//    baseline signature (or its expectation's kinds/layers) lacks fails; an
//    expected failure that now passes is an improvement (fails only when strict).
//    A baseline cell the results lack fails; a new cell is noted.
//  - counters (deterministic: per-cell hit rate, cache ops and round trips per
//    write, store queries per read, …; every bench counter but rates per second):
//    any change beyond rounding fails, whichever way it goes (update the baseline
//    when it is intended). A counter that varies between repetitions of one run
//    is not deterministic and only reported.
//  - times: the per-repetition samples of each benchmark, two-sided Mann–Whitney
//    U test; a regression when p < alpha and the median is slower by more than
//    threshold %. Enforced or only reported (CI machines differ).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachecheck_reports/documents.h"

namespace cachecheck::gate {

inline constexpr int kBaselineFormat = 1;

// What the matrix and the benchmark were run with; a baseline records them so
// that the gate runs the same, and refuses results made otherwise.
struct MatrixSettings {
  std::uint64_t seed = 0;
  int cases = 100;
  std::string target = "in-process", backend = "memory", http_cache = "never", layers = "server";
  int workers = 1;
  std::string strategies, scenarios;  // comma-separated; "" = all
};
struct BenchSettings {
  int repetitions = 5;
  double min_time_s = 0.01;
  std::string backends = "memory,redis";
  std::string filter;  // "" = every family
};

// A description of this machine: CPU model and count (/proc/cpuinfo), kernel
// (uname), and what bench.json's context says (host, MHz, caches).
nlohmann::json machine_description(const reports::Bench* bench);
// Same kind of machine: same CPU model and number of CPUs.
bool same_machine(const nlohmann::json& a, const nlohmann::json& b);

struct BaselineCell {
  std::string strategy, scenario, verdict, expected;
  std::vector<std::string> signature;
  std::map<std::string, double> counters;
};
struct BaselineBenchmark {
  std::vector<double> samples_ns;
  std::map<std::string, std::vector<double>> counters;  // per repetition
};
struct Baseline {
  std::string version, created;
  nlohmann::json machine = nlohmann::json::object();
  std::optional<MatrixSettings> matrix;
  std::vector<BaselineCell> cells;
  std::optional<BenchSettings> bench;
  std::map<std::string, BaselineBenchmark> benchmarks;
};

// The counters of a cell the gate compares (those present).
std::map<std::string, double> cell_counters(const reports::Cell& c);

Baseline make_baseline(const reports::Results* results, const MatrixSettings* matrix, const reports::Bench* bench,
                       const BenchSettings* bench_settings, const nlohmann::json& machine, const std::string& created);
nlohmann::json to_json(const Baseline& b);
Baseline baseline_from_json(const nlohmann::json& j);  // throws std::runtime_error: missing or incompatible
Baseline load_baseline(const std::string& path);       // throws std::runtime_error with a one-line reason

// The settings a results.json was made with (strategies/scenarios from its cells).
MatrixSettings settings_of(const reports::Results& r);
// "" when the results were made as the baseline's were; else what differs.
std::string incompatibility(const MatrixSettings& baseline, const MatrixSettings& results);

// scenarios/expectations.json: {"<strategy>": {"<scenario>": {"verdict", "reason", "kinds"?, "layers"?}}}.
struct Expectation {
  std::string verdict, reason;
  std::vector<std::string> kinds, layers;  // an expected failure's, when given
};
using Expectations = std::map<std::pair<std::string, std::string>, Expectation>;
Expectations load_expectations(const std::string& path);  // throws std::runtime_error

struct Options {
  double alpha = 0.05;
  double threshold_pct = 10;
  bool strict = false;
  std::string times = "auto";  // "auto" (enforce on the baseline's kind of machine) | "enforce" | "report-only"
};

struct Inputs {
  const reports::Results* results = nullptr;
  const reports::Bench* bench = nullptr;
  const Expectations* expectations = nullptr;  // nullptr: the results' own "expected"
  nlohmann::json machine = nlohmann::json::object();  // this machine (for times = auto)
  std::string baseline_path, results_path, bench_path;
};

// Compares; throws std::runtime_error when the results cannot be compared with
// this baseline (different matrix settings).
reports::GateReport compare(const Baseline& baseline, const Inputs& in, const Options& options);

// Equal beyond rounding: |a − b| ≤ 1e-6 · max(1, |a|, |b|) (bench counters are per-iteration
// means of integers: the last digits of a double may differ; a real change is far larger).
bool same_counter(double a, double b);

}  // namespace cachecheck::gate
