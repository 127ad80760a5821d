// Scenarios: each names what varies and what must hold, as parameters of one
// generator kit. Scripts are generated as RapidCheck state-machine commands
// (rapidcheck/state.h), so shrinking removes and simplifies steps while keeping
// every script valid (a tab is opened before it is used, an item exists before
// it is deleted, only its owner or an assignee deletes it).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <rapidcheck.h>

#include "generate/params.h"
#include "generate/script.h"
#include "model/oracle.h"
#include "targets/target.h"

namespace cachecheck {

class Scenario {
 public:
  std::string name;
  std::string varies;  // one line: what the generator varies
  std::string holds;   // one line: what must hold
  ScenarioParams params;
  // Which violations fail the property; empty: every kind on the verdict's layers.
  std::function<bool(const Violation&)> counts_kind;

  // Whether `v` fails this scenario's property (`all_layers`: client-store too).
  bool counts(const Violation& v, bool all_layers) const;
  // The target configuration of one case (workers, capacity) from the run's.
  TargetConfig configure(const TargetConfig& run, int workers) const;
  // The generator of one case: the workers to use and the script. `fixed_workers`:
  // the target's server is given (not built per case): always run.workers.
  rc::Gen<std::pair<int, Script>> generate(const TargetConfig& run, bool fixed_workers = false) const;
  // Why a target with these capabilities cannot run this scenario ("" when it can):
  // a capability one of its steps needs, or fewer server processes than it needs.
  // `builds_server`: the target builds its server per case, with the case's workers.
  std::string unsupported_reason(const Capabilities& caps, bool builds_server) const;
};

// The registry: every scenario in the contract's order.
bool register_scenario(int order, Scenario scenario);
std::vector<std::string> scenario_names();
const Scenario* find_scenario(const std::string& name);

// A deterministic UUID for generated item n ("00000000-0000-4000-8000-00000000000n").
std::string generated_uuid(int n);

}  // namespace cachecheck
