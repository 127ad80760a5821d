#include "generate/script.h"

#include <stdexcept>

#include "model/item_json.h"

namespace cachecheck {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("script: " + what); }

}  // namespace

ScriptState initial_state(const Fixture& fixture, const ScenarioParams* params, int workers, int ttl_s) {
  ScriptState s;
  s.params = params;
  s.today = date_of(fixture.start_time);
  s.workers = workers;
  s.ttl_s = ttl_s;
  s.visibility = fixture.visibility;
  for (auto& u : fixture.users) s.users.push_back(u.id);
  for (auto& item : fixture.items)
    s.items[item.id] = KnownItem{item.owner_id,  item.assignee_ids, item.parent_id,        true,
                                 item.work_type, item.status,       item.start_date,       item.due_date,
                                 item.is_calendar_visible};
  return s;
}

json to_json(const Script& s) {
  json users = json::array(), items = json::array(), steps = json::array();
  for (auto& u : s.setup.users) users.push_back(to_json(u));
  for (auto& i : s.setup.items) items.push_back(to_json(i));
  for (auto& st : s.steps) steps.push_back(to_json(st));
  return {{"setup",
           {{"users", users},
            {"items", items},
            {"visibility", std::string(to_string(s.setup.visibility))},
            {"start_time", format_instant(s.setup.start_time)}}},
          {"steps", steps}};
}

Script script_from_json(const json& j) {
  Script s;
  if (!j.is_object() || !j.contains("setup") || !j["setup"].is_object()) fail("needs a \"setup\" object");
  const json& setup = j["setup"];
  std::string error;
  if (!setup.contains("users") || !setup["users"].is_array()) fail("setup needs a \"users\" array");
  for (auto& u : setup["users"]) {
    auto user = user_from_json(u, error);
    if (!user) fail("bad user: " + error);
    s.setup.users.push_back(*user);
  }
  if (setup.contains("items")) {
    if (!setup["items"].is_array()) fail("setup's \"items\" must be an array");
    for (auto& i : setup["items"]) {
      auto item = item_from_json(i, error);
      if (!item) fail("bad item: " + error);
      s.setup.items.push_back(*item);
    }
  }
  auto vis = setup.contains("visibility") && setup["visibility"].is_string()
                 ? parse_visibility(setup["visibility"].get<std::string>())
                 : (setup.contains("visibility") ? std::nullopt : std::optional(Visibility::global));
  if (!vis) fail("visibility must be global or assigned");
  s.setup.visibility = *vis;
  auto start = setup.contains("start_time") && setup["start_time"].is_string()
                   ? parse_instant(setup["start_time"].get<std::string>())
                   : std::nullopt;
  if (!start) fail("setup needs a \"start_time\" like 2025-10-05T09:00:00Z");
  s.setup.start_time = *start;
  if (!j.contains("steps") || !j["steps"].is_array()) fail("needs a \"steps\" array");
  for (auto& st : j["steps"]) s.steps.push_back(step_from_json(st));
  if (auto e = validate(s); !e.empty()) fail(e);
  return s;
}

std::string validate(const Script& s) {
  ScriptState state = initial_state(s.setup);
  for (const auto& step : s.steps) {
    if (auto e = check(step, state); !e.empty()) return e;
    apply(step, state);
  }
  return "";
}

}  // namespace cachecheck
