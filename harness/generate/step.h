// The steps browser-like clients take, one small type per action (RapidCheck's
// state/Command.h is the model: one command type per action). Each type carries
// everything about its action together:
//
//   kName                      its name in saved scripts ("refresh", "delete", …)
//   to_json / from_json        its saved form (from_json throws std::runtime_error)
//   describe(name)             one line for narratives ("alice-1 refreshes the page (F5)")
//   check(state)               "" when it may follow `state`, else why not (scripts loaded
//                              from files are checked with it)
//   sensible(state)            whether the generator may pick it there (stricter: only an
//                              owner or assignee deletes, and only a live item)
//   apply(state)               what it changes in the generator's knowledge
//   play(stage)                how it runs: browser behaviour and requests (run/runner.cpp
//                              implements the Stage)
//   feasible / generate        whether and how the generator builds one (weights come from
//                              the scenario's mix, by kWeight)
//   needs()                    the target capabilities it needs (scenarios ask for them)
//
// A new action is one type here and one entry in the Step variant. How its requests
// look on the wire is not the action's business: the curl script records the
// requests the runner makes (reproduce/curl_script.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "browser/tab.h"
#include "generate/script_state.h"
#include "generate/stage.h"

namespace cachecheck {

using Namer = std::function<std::string(const std::string& item_ref)>;

// What a step needs of the target.
struct Needs {
  bool manual_clock = false;
  std::optional<Fault> fault;
};

// ---- tab actions -------------------------------------------------------------

struct Open {  // open a tab on the calendar (FullCalendar's first fetch)
  static constexpr std::string_view kName = "open", kWeight = "open";
  UserId user = 0;
  std::string tab;  // unique per script ("alice-1")
  TabSetup setup;
  std::optional<std::string> type, status;
};
struct Refresh {  // F5: the page reloads; the feed fetch may be answered by the browser cache
  static constexpr std::string_view kName = "refresh", kWeight = "refresh";
  UserId user = 0;
  std::string tab;
};
struct HardRefresh {  // Ctrl+Shift+R: reload bypassing the browser cache
  static constexpr std::string_view kName = "hard-refresh", kWeight = "hard_refresh";
  UserId user = 0;
  std::string tab;
};
struct Navigate {  // prev (-n) / next (+n)
  static constexpr std::string_view kName = "navigate", kWeight = "navigate";
  UserId user = 0;
  std::string tab;
  int delta = 0;
};
struct Filter {  // change the type/status filter (FullCalendar refetches)
  static constexpr std::string_view kName = "filter", kWeight = "filter";
  UserId user = 0;
  std::string tab;
  std::optional<std::string> type, status;
};
struct Look {  // look at a tab again: FullCalendar's in-memory events, no fetch
  static constexpr std::string_view kName = "look", kWeight = "look";
  UserId user = 0;
  std::string tab;
};

// ---- item actions ------------------------------------------------------------

struct Click {  // click an event the tab shows: GET its detail (the modal)
  static constexpr std::string_view kName = "click", kWeight = "click";
  UserId user = 0;
  std::string tab;   // "" = outside a tab
  std::string item;  // a UUID, or "$created:N" (the Nth create)
};
struct Create {  // POST a new work item
  static constexpr std::string_view kName = "create", kWeight = "create";
  UserId user = 0;
  nlohmann::json fields;  // the domain's field names
};
struct Edit {  // PATCH a work item
  static constexpr std::string_view kName = "edit", kWeight = "edit";
  UserId user = 0;
  std::string item;
  nlohmann::json fields;
};
struct Delete {  // DELETE a work item from its modal (optimistic removal in the tab)
  static constexpr std::string_view kName = "delete", kWeight = "remove";
  UserId user = 0;
  std::string tab;  // "" = outside a tab
  std::string item;
};

// ---- time and faults (the nemesis) -------------------------------------------

struct Advance {  // time passes on the target's clock: users think between clicks
  static constexpr std::string_view kName = "advance", kWeight = "advance";
  double seconds = 0;
};
struct Evict {  // fault: the cache evicts these keys
  static constexpr std::string_view kName = "evict", kWeight = "evict";
  std::vector<std::string> keys;
};
struct EvictVersion {  // fault: the cache evicts a user's invalidation metadata (or the global one)
  static constexpr std::string_view kName = "evict-version", kWeight = "evict_version";
  std::optional<UserId> user;  // nullopt: the global one
};
struct EvictRandom {  // fault: the cache evicts N random entries
  static constexpr std::string_view kName = "evict-random", kWeight = "evict_random";
  std::size_t count = 0;
};
struct Flush {  // fault: the cache restarts; everything in it is gone
  static constexpr std::string_view kName = "flush", kWeight = "flush";
};
struct Route {  // fault: requests go to one worker (or back to round-robin)
  static constexpr std::string_view kName = "route", kWeight = "route";
  std::optional<std::size_t> worker;
};

struct Step;
struct Concurrent {  // the nested steps at the same time: a fetch racing a delete
  static constexpr std::string_view kName = "concurrent", kWeight = "race";
  std::vector<Step> group;
  std::uint64_t schedule_seed = 0;  // the in-process interleaving (saved for exact replay)
};

using StepVariant = std::variant<Open, Refresh, HardRefresh, Navigate, Filter, Look, Click, Create, Edit, Delete,
                                 Advance, Evict, EvictVersion, EvictRandom, Flush, Route, Concurrent>;
struct Step : StepVariant {
  using StepVariant::StepVariant;
  using StepVariant::operator=;
  Step() : StepVariant(Look{}) {}
  const StepVariant& variant() const { return *this; }
};

// The operations every action type has, dispatched on the variant.
std::string_view name_of(const Step& s);
nlohmann::json to_json(const Step& s);
Step step_from_json(const nlohmann::json& j);  // throws std::runtime_error with a reason
std::string describe(const Step& s, const Namer& name = {});
std::string check(const Step& s, const ScriptState& state);
bool sensible(const Step& s, const ScriptState& state);
void apply(const Step& s, ScriptState& state);
void play(const Step& s, Stage& stage);
Needs needs_of(const Step& s);
// The user a step acts as, and its tab ("" / 0 when none).
UserId user_of(const Step& s);
std::string tab_of(const Step& s);

// The generator's view of every action type: its weight key, its needs, whether it
// is feasible in a state, and how to build one there.
struct ActionKind {
  std::string_view name;    // kName
  std::string_view weight;  // kWeight: the key of the scenario's mix
  Needs needs;
  std::function<bool(const ScriptState&)> feasible;
  std::function<Step(const ScriptState&)> generate;
};
const std::vector<ActionKind>& action_kinds();

// The short name of an item reference for narratives: "#3" for generated UUID 3,
// "$created:N" as is, else the first 8 characters.
std::string short_ref(const std::string& item);

}  // namespace cachecheck
