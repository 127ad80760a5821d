// Scenarios: each names what varies and what must hold, as parameters of one
// generator kit. Scripts are generated as RapidCheck state-machine commands
// (rapidcheck/state.h), so shrinking removes and simplifies steps while keeping
// every script valid (a tab is opened before it is used, an item exists before
// it is deleted, only its owner or an assignee deletes it).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "browser/fullcalendar.h"
#include "model/oracle.h"
#include "generate/script.h"
#include "targets/target.h"

namespace cachecheck {

// How often the generator picks each kind of step (0: never).
struct StepMix {
  int open = 2, refresh = 3, hard_refresh = 2, navigate = 0, filter = 0, look = 1, click = 1;
  int create = 0, edit = 0, remove = 3;
  int advance = 1;  // users think between clicks: staleness is then measured in seconds, not steps
  int evict_version = 0, evict_random = 0, flush = 0, route = 0;
  int race = 0;  // a feed fetch and a delete at the same time (the scheduler interleaves them)
};

struct ScenarioParams {
  int users = 1;  // alice, bob, carol: the first N
  std::vector<calendar::Visibility> visibilities{calendar::Visibility::global};
  std::vector<ClientModel> models{ClientModel::fullcalendar_month};
  std::vector<int> first_days{1};
  std::vector<int> utc_offsets_min{0};
  // The server's clock at the start (ISO); a choice per case.
  std::vector<std::string> start_times{"2025-10-05T09:00:00Z"};
  int min_items = 2, max_items = 6;
  int month_spread = 1;       // items and views within ± this many months of today
  int max_duration_days = 3;  // item length (larger: items span months)
  bool children = false;      // items may have a parent (cascade deletes)
  bool assignees = false;     // items may have assignees (other users may write them)
  // Filters tabs open with or switch to; nullopt = none.
  std::vector<std::optional<std::string>> types{std::nullopt};
  std::vector<std::optional<std::string>> statuses{std::nullopt};
  int max_tabs = 4;
  std::vector<double> advance_seconds{2, 15, 60};
  int min_workers = 1, max_workers = 1;  // per case; the run's --workers raises the minimum
  std::size_t cache_capacity = 0;        // 0: unbounded
  StepMix mix;
};

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
  // The generator of one case: the workers to use and the script.
  rc::Gen<std::pair<int, Script>> generate(const TargetConfig& run) const;
};

// The registry: every scenario in the contract's order.
bool register_scenario(int order, Scenario scenario);
std::vector<std::string> scenario_names();
const Scenario* find_scenario(const std::string& name);

// A deterministic UUID for generated item n ("00000000-0000-4000-8000-00000000000n").
std::string generated_uuid(int n);

}  // namespace cachecheck
