// The results of a matrix run: what `results.json` holds (see the contract),
// plus what the reports need to tell each failure as a timeline.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cachecheck {

struct FirstViolation {
  std::string kind, item, layer;
  int user = 0;
  std::string tab;
  double staleness_s = 0;
};

struct CellStats {
  std::uint64_t reads = 0, writes = 0;
  double hit_rate = 0;
  double cache_ops_per_write = 0;
  double round_trips_per_write = 0;
  double max_staleness_s = 0;
  double p99_staleness_s = 0;
  int violating_cases = 0;  // how often: cases with a counted violation, of cases_run
};

struct CellResult {
  std::string strategy, scenario;
  std::string verdict;   // "pass" | "fail"
  std::string expected;  // "pass" | "fail"
  std::string reason;    // the expectation's one-line reason
  int cases_run = 0;
  std::map<std::string, std::uint64_t> violations;  // kind → count (counted layers)
  std::map<std::string, std::uint64_t> client_store_violations;  // reported beside the verdict
  std::optional<FirstViolation> first_violation;
  std::optional<std::string> counterexample;  // "counterexamples/<strategy>--<scenario>.json"
  std::optional<int> counterexample_steps;
  std::vector<std::string> timeline;  // the shrunk counterexample, narrated, one line per step
  CellStats stats;
  double elapsed_s = 0;
  bool matches() const { return verdict == expected; }
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
};

nlohmann::json to_json(const RunResults& r);
RunResults results_from_json(const nlohmann::json& j);  // throws std::runtime_error with a reason

}  // namespace cachecheck
