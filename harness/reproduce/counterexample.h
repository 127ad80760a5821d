// A saved counterexample: the shrunk script, the settings and seed it ran with,
// the violation it showed and the history it recorded. `cachecheck replay`
// loads it and runs it again, in-process or against a calendar-server.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/oracle.h"
#include "run/runner.h"
#include "generate/script.h"
#include "targets/target.h"

namespace cachecheck {

struct Counterexample {
  std::string strategy, scenario;
  std::uint64_t seed = 0;
  TargetConfig config;
  bool all_layers = false;
  // Kinds that fail the property (empty: every kind).
  std::vector<std::string> counted_kinds;
  std::optional<double> bound_s;  // the bound it was judged with (informational: a replay uses the target's)
  Script script;
  std::optional<Violation> violation;  // what it showed when saved
  std::optional<History> history;      // as recorded when saved

  bool counts(const Violation& v) const;
};

nlohmann::json to_json(const Counterexample& c);
Counterexample counterexample_from_json(const nlohmann::json& j);  // throws std::runtime_error
Counterexample load_counterexample(const std::string& path);        // throws std::runtime_error

struct ReplayResult {
  RunOutput run;
  Verdict verdict;
  std::optional<Violation> shown;  // the first counted violation, if any
  std::vector<std::string> timeline;
};
// Throws TargetError when `target` runs another strategy than the counterexample's.
void check_replayable(const Counterexample& c, const Target& target);
// Runs the script again on `target` (seeded as saved) and judges it.
ReplayResult replay(const Counterexample& c, Target& target, const RunOptions& options = {});

}  // namespace cachecheck
