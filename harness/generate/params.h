// A scenario's knobs: what its generator varies. Scenarios (../scenarios/*.cpp)
// are parameterisations of one generator kit (scenario_kit.cpp).
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "browser/fullcalendar.h"
#include "model/domain.h"

namespace cachecheck {

// How often the generator picks each kind of step, by the action's weight key
// (ActionKind::weight in step.h), and each targeted shape, by its name (shapes.h);
// 0 or absent: never. The defaults below are overridden by the given pairs, so a
// scenario names only what it changes. A shape is offered only where the kinds of
// step it is made of have a weight (a race shape needs "race", …).
struct StepMix {
  std::map<std::string, int, std::less<>> weights{
      {"open", 2},    {"refresh", 3}, {"hard_refresh", 2}, {"look", 1},
      {"click", 1},   {"remove", 3},
      {"advance", 1},  // users think between clicks: staleness is then measured in seconds, not steps
      {"race_miss", 1}, {"create_read", 1}, {"assignee_change", 1}, {"two_tabs", 1}, {"idle_ttl", 1},
  };
  StepMix() = default;
  StepMix(std::initializer_list<std::pair<const std::string, int>> overrides) {
    for (auto& [k, v] : overrides) weights[k] = v;
  }
  int weight(std::string_view key) const {
    auto it = weights.find(key);
    return it == weights.end() ? 0 : it->second;
  }
};

struct ScenarioParams {
  int users = 1;  // alice, bob, carol: the first N
  std::vector<Visibility> visibilities{Visibility::global};
  std::vector<ClientModel> models{ClientModel::fullcalendar_month};
  std::vector<int> first_days{1};
  std::vector<int> utc_offsets_min{0};
  // Browsers by IANA zone (issue 13), each bound with the zone's offset at its date, DST changes
  // included; empty (the default): the fixed offsets above only. When given, a tab's zone is
  // picked from these instead of a fixed offset (the two-tabs shape still pairs fixed offsets).
  std::vector<std::string> browser_time_zones{};
  // The server's clock at the start (ISO); a choice per case.
  std::vector<std::string> start_times{"2025-10-05T09:00:00Z"};
  int min_items = 2, max_items = 6;
  int month_spread = 1;       // items and views within ± this many months of today
  int max_duration_days = 3;  // item length (larger: items span months)
  bool children = false;      // items may have a parent (cascade deletes)
  bool assignees = false;     // items may have assignees (other users may write them)
  int hidden_one_in = 8;      // about one item in N is hidden from the calendar (is_calendar_visible
                              // false), and edits may hide or show one; 0: never
  // Filters tabs open with or switch to; nullopt = none.
  std::vector<std::optional<std::string>> types{std::nullopt};
  std::vector<std::optional<std::string>> statuses{std::nullopt};
  int max_tabs = 4;
  std::vector<double> advance_seconds{2, 15, 60};
  int min_workers = 1, max_workers = 1;  // per case; the run's --workers raises the minimum
  // Its point is idling past the freshness bound (ttl-expiry): on a target whose
  // real clock cannot wait that long it is `unsupported`. Elsewhere an idle_ttl
  // step on such a target only waits as long as the target allows.
  bool waits_past_bound = false;
  std::size_t cache_capacity = 0;        // 0: unbounded
  StepMix mix;
  // Swarm testing (gen_swarm in gen_values.h): most cases leave out part of the mix
  // and of the choices above and reweight the rest. false: every case uses them all.
  bool swarm = true;
};

}  // namespace cachecheck
