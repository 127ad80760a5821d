// The results of a matrix run: what `results.json` holds (see the contract),
// plus what the reports need to tell each failure as a timeline.
#pragma once

#include <cstdint>
#include <map>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cachecheck {

// `--shard K/N`: the K-th of N deterministic slices of a matrix (1 ≤ K ≤ N).
struct Shard {
  int index = 1, count = 1;
  friend bool operator==(const Shard&, const Shard&) = default;
};
Shard parse_shard(const std::string& text);  // "K/N"; throws std::runtime_error with a one-line reason
std::string to_string(const Shard& s);
// Cell `position` (0-based, in matrix order) belongs to shard K of N when position % N == K - 1:
// round robin, so every shard gets cells of every strategy.
inline bool in_shard(std::size_t position, const Shard& s) {
  return position % static_cast<std::size_t>(s.count) == static_cast<std::size_t>(s.index - 1);
}

struct FirstViolation {
  std::string kind, item, layer;
  int user = 0;
  std::string tab;
  double staleness_s = 0;
};

// A histogram of the staleness of judged reads: counts[i] reads with staleness in
// (bounds_s[i-1], bounds_s[i]] (counts[0]: exactly fresh, 0 s), and a last count
// above the last bound.
struct StalenessSamples {
  static constexpr double kBounds[] = {0, 0.001, 0.01, 0.1, 1, 10, 100, 1000};
  std::vector<std::uint64_t> counts = std::vector<std::uint64_t>(std::size(kBounds) + 1, 0);
  void add(double staleness_s);
};

struct CellStats {
  std::uint64_t reads = 0, writes = 0;
  double hit_rate = 0;
  double cache_ops_per_write = 0;
  double round_trips_per_write = 0;
  double max_staleness_s = 0;
  double p99_staleness_s = 0;
  int violating_cases = 0;  // how often: cases with a counted violation, of cases_run
  double store_queries_per_read = 0;  // store queries per judged read (probed targets)
  // What one feed read costs the cache (probed reads): a slip that adds a cache call
  // to the read path moves these, and the gate compares them as counters.
  double cache_ops_per_read = 0;
  double round_trips_per_read = 0;
  // The hit rate a perfect invalidator would have had on the same histories (model/ideal.h).
  double ideal_hit_rate = 0;
};

struct CellResult {
  std::string strategy, scenario;
  // "pass" | "fail" | "unsupported" (the target lacks what the scenario needs:
  // unsupported_reason) | "unknown" (too many indeterminate operations to judge).
  std::string verdict;
  std::string expected;  // "pass" | "fail"
  std::string reason;    // the expectation's one-line reason
  // An expected-fail cell's signature: the kinds and layers it fails with (empty: any).
  std::vector<std::string> expected_kinds, expected_layers;
  std::string unsupported_reason;
  std::uint64_t indeterminate_reads = 0, indeterminate_writes = 0, ops = 0;
  int aborted_cases = 0;  // cases that could not finish (the target failed under them)
  int cases_run = 0;
  std::map<std::string, std::uint64_t> violations;  // kind → count (counted layers)
  std::map<std::string, std::uint64_t> client_store_violations;  // reported beside the verdict
  std::map<std::string, std::map<std::string, std::uint64_t>> violations_by_layer;  // counted: kind → layer → count
  StalenessSamples staleness;
  std::optional<FirstViolation> first_violation;
  std::optional<std::string> counterexample;  // "counterexamples/<strategy>--<scenario>.json"
  std::optional<int> counterexample_steps;
  std::vector<std::string> timeline;  // the shrunk counterexample, narrated, one line per step
  CellStats stats;
  double elapsed_s = 0;
  // "<kind>@<layer>" for each counted kind and layer seen, and the counterexample's
  // (shrinking may turn one kind into another: the shrunk case is a run of the cell too), sorted.
  std::vector<std::string> signature() const;
  // Why the cell differs from its expectation ("" when it matches): another verdict,
  // or an expected failure that shows a kind or layer its expectation does not name.
  std::string difference() const;
  bool matches() const { return difference().empty(); }
};

struct RunResults {
  std::string version;
  std::uint64_t seed = 0;
  std::string target = "in-process";
  std::string backend = "memory";
  int cases = 100;
  int workers = 1;
  std::string http_cache = "never";
  std::string layers = "server";
  std::vector<std::string> settings_differ;  // settings other than the defaults the expectations assume
  std::vector<CellResult> runs;
  double elapsed_s = 0;
  std::uint64_t ops_checked = 0;  // operations judged by the oracle, all cells
  bool interrupted = false;       // stopped by a signal: the runs are those finished
  std::optional<Shard> shard;     // --shard K/N: the runs are that slice of the matrix
};

nlohmann::json to_json(const RunResults& r);
RunResults results_from_json(const nlohmann::json& j);  // throws std::runtime_error with a reason
// One entry of "runs", both ways: from_json(to_json(c)) writes the same JSON again.
nlohmann::json cell_to_json(const CellResult& c);
CellResult cell_from_json(const nlohmann::json& c);  // throws nlohmann::json::exception

}  // namespace cachecheck
