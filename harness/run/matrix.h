// The matrix: every strategy × every scenario, each cell a RapidCheck property
// checked over generated scripts, failures shrunk and saved as counterexamples.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "run/results.h"
#include "targets/target.h"

namespace cachecheck {

struct Expectation {
  std::string verdict;  // "pass" | "fail"
  std::string reason;
  // An expected failure's signature: the violation kinds and layers it fails with
  // (empty: not recorded; any kind, any layer).
  std::vector<std::string> kinds, layers;
};
using Expectations = std::map<std::pair<std::string, std::string>, Expectation>;  // (strategy, scenario)

// Reads scenarios/expectations.json:
// {"<strategy>": {"<scenario>": {"verdict", "reason", ["kinds": [...]], ["layers": [...]]}}}.
Expectations load_expectations(const std::string& path);  // throws std::runtime_error

struct MatrixOptions {
  std::vector<std::string> strategies;
  std::vector<std::string> scenarios;
  int cases = 100;
  std::uint64_t seed = 1;
  std::string target = "in-process";
  TargetConfig config;  // backend, workers, http_cache (strategy is set per cell)
  bool all_layers = false;
  std::string out_dir = "reports/out";  // counterexamples/ goes under it ("" = do not save)
  // Called after each cell (done counts finished cells).
  std::function<void(const std::string& cell, int done, int total)> progress;
  // Set (by a signal handler) to stop: the case under way finishes, its cell is
  // dropped, the finished cells are returned with RunResults::interrupted.
  const std::atomic<bool>* stop = nullptr;
  // Cells at once, each in a process of its own (run/process_pool.h). Used only
  // where cells share nothing: a target that builds its own server on the memory
  // backend (a running server or a Redis database is one state for all cells).
  int jobs = 1;
  // Run only this slice of the cells; positions count from first_position (so
  // several targets' matrices slice as one).
  std::optional<Shard> shard;
  std::size_t first_position = 0;
};

// Whether cells of these options can run at the same time (see jobs).
bool cells_independent(const MatrixOptions& options);

// A cell is `unknown` when more than this fraction of the requests its operations
// made got no usable answer (indeterminate).
inline constexpr double kMaxIndeterminateFraction = 0.05;

CellResult run_cell(const std::string& strategy, const std::string& scenario, const MatrixOptions& options,
                    const Expectation& expectation, std::uint64_t* ops_checked = nullptr);
RunResults run_matrix(const MatrixOptions& options, const Expectations& expectations);

// Loads RapidCheck's configuration without its announcement on stderr.
void quiet_rapidcheck();

// The seed a cell uses: derived from the run's seed and the cell's names.
std::uint64_t cell_seed(std::uint64_t seed, const std::string& strategy, const std::string& scenario);

}  // namespace cachecheck
