// A script: the data a run starts from and the steps browser-like clients take.
// Scenarios generate scripts; RapidCheck shrinks them; a counterexample saves
// one, and `cachecheck replay` runs it again against any target.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "browser/fullcalendar.h"
#include "calendar/date.h"
#include "calendar/domain.h"

namespace cachecheck {

using calendar::TimeMs;
using calendar::UserId;

enum class Action {
  open,          // open a tab on the calendar (FullCalendar's first fetch)
  refresh,       // F5: the page reloads; the feed fetch may be answered by the browser cache
  hard_refresh,  // Ctrl+Shift+R: reload bypassing the browser cache
  navigate,      // prev (-1) / next (+1)
  filter,        // change the type/status filter (FullCalendar refetches)
  look,          // look at a tab again without any fetch: FullCalendar's in-memory events
  click,         // click an event: GET its modal
  create,        // POST a new work item
  edit,          // PATCH a work item
  remove,        // DELETE a work item from its modal (optimistic removal in this tab)
  advance,       // time passes on the target's clock
  evict,         // fault: evict these cache keys
  evict_random,  // fault: evict N random cache keys
  flush,         // fault: the cache restarts, everything in it is gone
  route,         // fault: pin requests to one worker (or back to round-robin)
  concurrent,    // run the nested steps concurrently
};
std::string_view to_string(Action a);
std::optional<Action> parse_action(std::string_view s);

struct TabSetup {
  ClientModel model = ClientModel::fullcalendar_month;
  int first_day = 1;       // 0 Sunday, 1 Monday
  int utc_offset_min = 0;  // the browser's offset, sent in FullCalendar's bounds
  calendar::Date focus;    // a date inside the first view
};

struct Step {
  Action action = Action::look;
  UserId user = 0;
  std::string tab;                    // tab name, unique per script ("alice-1")
  TabSetup setup;                     // open
  int delta = 0;                      // navigate
  std::optional<std::string> type;    // open, filter
  std::optional<std::string> status;  // open, filter
  std::string item;                   // click, edit, remove: a UUID, or "$created:N" (the Nth create)
  nlohmann::json fields;              // create, edit
  double seconds = 0;                 // advance
  std::vector<std::string> keys;      // evict
  std::size_t count = 0;              // evict_random
  std::optional<std::size_t> worker;  // route (none: round-robin)
  std::vector<Step> group;            // concurrent
  std::uint64_t schedule_seed = 0;    // concurrent: the in-process interleaving (saved for exact replay)
};

// A step acting on `tab` of `user` (and `item`, for click/edit/delete).
Step tab_step(Action action, UserId user, std::string tab, std::string item = "");
// An `open` step.
Step open_step(UserId user, std::string tab, TabSetup setup, std::optional<std::string> type = std::nullopt,
               std::optional<std::string> status = std::nullopt);

struct Setup {
  std::vector<calendar::User> users;
  std::vector<calendar::WorkItem> items;
  calendar::Visibility visibility = calendar::Visibility::global;
  TimeMs start_time = 0;
};

struct Script {
  Setup setup;
  std::vector<Step> steps;
};

nlohmann::json to_json(const Step& s);
Step step_from_json(const nlohmann::json& j);  // throws std::runtime_error with a reason
nlohmann::json to_json(const Script& s);
Script script_from_json(const nlohmann::json& j);
// A one-line account of a step for narratives ("alice-1 deletes 'Item 3'");
// `name` turns an item reference into what to call it (default: a short id).
std::string describe(const Step& s, const std::function<std::string(const std::string&)>& name = {});
// Checks a script's internal consistency (tabs opened before use, one tab per
// concurrent sub-step, known users); "" when fine.
std::string validate(const Script& s);

}  // namespace cachecheck
