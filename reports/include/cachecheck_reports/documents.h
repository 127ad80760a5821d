// The JSON documents the reports are rendered from, read into small typed
// structures: results.json (`cachecheck run`), bench.json (Google Benchmark's
// format, written by `cachecheck bench`), gate.json (`cachecheck gate`) and the
// counterexamples results.json refers to. Every field added after the first
// format is optional when reading. Nothing here runs anything.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cachecheck::reports {

// ---- results.json --------------------------------------------------------------

struct FirstViolation {
  std::string kind, item, layer, tab;
  int user = 0;
  double staleness_s = 0;
};

struct Stats {
  std::uint64_t reads = 0, writes = 0;
  double hit_rate = 0;
  double cache_ops_per_write = 0;
  double round_trips_per_write = 0;
  std::optional<double> store_queries_per_read;
  std::optional<double> cache_ops_per_read, round_trips_per_read;
  std::optional<double> ideal_hit_rate;
  double max_staleness_s = 0;
  double p99_staleness_s = 0;
  int violating_cases = 0;  // cases with a counted violation, of cases_run
};

// counts[i]: stale reads with staleness in (bounds_s[i-1], bounds_s[i]]; one
// more final count for staleness above the last bound.
struct StalenessHistogram {
  std::vector<double> bounds_s;
  std::vector<std::uint64_t> counts;
  std::uint64_t total() const;
};

struct Indeterminate {
  std::uint64_t reads = 0, writes = 0;
};

struct Cell {
  std::string strategy, scenario;
  std::string verdict;   // "pass" | "fail" | "unsupported" | "unknown"
  std::string expected;  // "pass" | "fail"
  std::string reason;    // the expectation's one-line reason
  std::string unsupported_reason;
  int cases_run = 0;
  std::map<std::string, std::uint64_t> violations;               // kind → count (counted layers)
  std::map<std::string, std::uint64_t> client_store_violations;  // reported beside the verdict
  std::map<std::string, std::map<std::string, std::uint64_t>> violations_by_layer;  // kind → layer → count
  std::vector<std::string> signature;  // sorted "<kind>@<layer>" (derived when the file has none)
  std::optional<Indeterminate> indeterminate;
  std::optional<FirstViolation> first_violation;
  std::optional<std::string> counterexample;  // relative to the results file's directory
  std::optional<int> counterexample_steps;
  std::vector<std::string> timeline;  // narrated by the run (older files); the counterexample file wins
  Stats stats;
  std::optional<StalenessHistogram> staleness;
  double elapsed_s = 0;
  // How the cell differs from its expectation beyond the verdict (a violation kind or
  // layer an expected failure does not name); empty when only the verdict decides.
  std::string difference;
  bool matches() const { return verdict == expected && difference.empty(); }
};

struct Results {
  std::string version;
  std::uint64_t seed = 0;
  std::string target = "in-process";
  std::string backend = "memory";
  int cases = 0;
  int workers = 1;
  std::string http_cache = "never";
  std::string layers = "server";
  std::vector<std::string> settings_differ;
  std::vector<Cell> runs;
  double elapsed_s = 0;
  std::uint64_t ops_checked = 0;
  bool interrupted = false;
  std::string dir;  // the directory the file was read from ("" when parsed from memory)
};

// Throws std::runtime_error with a one-line reason.
Results results_from_json(const nlohmann::json& j);
Results load_results(const std::string& path);

// ---- counterexamples ---------------------------------------------------------------

// What a narrative needs of a saved counterexample: its steps (as saved, JSON),
// the operations the history recorded, and the violation it showed.
struct Counterexample {
  std::string strategy, scenario;
  std::uint64_t seed = 0;
  nlohmann::json steps = nlohmann::json::array();
  nlohmann::json ops = nlohmann::json::array();
  nlohmann::json items = nlohmann::json::array();  // the setup's items (for titles)
  nlohmann::json violation;                        // null when none
};
Counterexample counterexample_from_json(const nlohmann::json& j);  // throws std::runtime_error
Counterexample load_counterexample(const std::string& path);       // throws std::runtime_error

// ---- bench.json ------------------------------------------------------------------

// One benchmark of a Google Benchmark run: the per-repetition samples of its
// wall-clock time and counters, and their medians (the median aggregate when
// the file has one, else the median of the samples).
struct Benchmark {
  std::string name;
  std::vector<double> samples_ns;                             // real_time per repetition, ns
  std::map<std::string, std::vector<double>> counter_samples;  // per repetition
  std::optional<double> real_ns, cpu_ns;                       // medians
  std::map<std::string, double> counters;                      // medians
  std::string label;
  std::string error;  // non-empty when the benchmark was skipped
  int repetitions = 1;
};

struct Bench {
  nlohmann::json context = nlohmann::json::object();
  std::map<std::string, Benchmark> benchmarks;
  int repetitions = 1;  // the most any benchmark had
  const Benchmark* get(const std::string& name) const;
};

// Google Benchmark writes bare NaN / Infinity for some aggregates, which JSON
// does not allow: outside strings they are read as null. Discarded on a syntax error.
nlohmann::json parse_bench_json(const std::string& text);
Bench bench_from_json(const nlohmann::json& j);  // throws std::runtime_error when not Google Benchmark JSON
Bench load_bench(const std::string& path);       // throws std::runtime_error

// ---- gate.json -------------------------------------------------------------------

struct CounterChange {
  std::string metric;
  double baseline = 0, current = 0;
};

// One check of the gate: a cell's consistency, a subject's counters, or a
// benchmark's time.
struct GateCheck {
  std::string group;    // "consistency" | "counters" | "times"
  std::string subject;  // "robust × multi-tab" | "invalidate/sweep/redis"
  std::string status;   // "ok" | "regression" | "improvement" | "changed" | "report-only" | "new" | "missing"
  bool fails = false;   // counts toward the gate's result
  std::string message;  // one line: what, by how much, how sure
  std::string replay;   // the command that reproduces it, when there is one
  std::vector<CounterChange> changes;              // counters
  std::optional<double> baseline_ns, current_ns;   // times: medians
  std::optional<double> change_pct, p_value;       // times
  int n_baseline = 0, n_current = 0;               // times: samples
};

struct GateReport {
  std::string version;
  std::string baseline, results, bench;  // the files compared
  double alpha = 0.05;
  double threshold_pct = 10;
  bool strict = false;
  std::string times = "enforce";  // how times counted: "enforce" | "report-only"
  std::string times_note;         // why, when not enforced
  nlohmann::json baseline_machine = nlohmann::json::object();
  std::vector<GateCheck> checks;
  std::vector<std::string> notes;
  bool passed() const;
  std::size_t count(const std::string& status) const;
  std::size_t failing() const;
};

nlohmann::json to_json(const GateReport& g);
GateReport gate_from_json(const nlohmann::json& j);  // throws std::runtime_error
GateReport load_gate(const std::string& path);       // throws std::runtime_error

// Reads a whole file as JSON; throws std::runtime_error naming the path.
nlohmann::json read_json_file(const std::string& path, const char* what);

}  // namespace cachecheck::reports
