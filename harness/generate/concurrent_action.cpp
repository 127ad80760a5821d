// concurrent: the nested steps at the same time — the race a fill and a delete run.
#include <set>

#include "generate/actions.h"
#include "generate/gen_values.h"

namespace cachecheck {

using nlohmann::json;

json Action<Concurrent>::to_json(const Concurrent& a) {
  json group = json::array();
  for (const auto& g : a.group) group.push_back(cachecheck::to_json(g));
  return {{"group", group}, {"schedule_seed", a.schedule_seed}};
}

Concurrent Action<Concurrent>::from_json(const json& j) {
  Concurrent a;
  if (!j.contains("group") || !j["group"].is_array()) step_error("a concurrent step needs a \"group\" array");
  for (const auto& g : j["group"]) a.group.push_back(step_from_json(g));
  if (j.contains("schedule_seed") && !j["schedule_seed"].is_number_unsigned())
    step_error("\"schedule_seed\" must be a non-negative integer");
  a.schedule_seed = j.value("schedule_seed", std::uint64_t{0});
  return a;
}

std::string Action<Concurrent>::describe(const Concurrent& a, const Namer& name) {
  std::string out = "at the same time:";
  for (const auto& g : a.group) out += " [" + cachecheck::describe(g, name) + "]";
  return out;
}

std::string Action<Concurrent>::check(const Concurrent& a, const ScriptState& s) {
  if (a.group.empty()) return "a concurrent step needs at least one step";
  std::set<std::string> tabs;
  for (const auto& g : a.group) {
    if (std::holds_alternative<Concurrent>(g)) return "concurrent steps cannot nest";
    std::string tab = tab_of(g);
    if (!tab.empty() && !tabs.insert(tab).second) return "one tab appears twice in a concurrent step";
    if (auto e = cachecheck::check(g, s); !e.empty()) return e;
  }
  return "";
}

bool Action<Concurrent>::sensible(const Concurrent& a, const ScriptState& s) {
  if (!check(a, s).empty()) return false;
  for (const auto& g : a.group)
    if (!cachecheck::sensible(g, s)) return false;
  return true;
}

void Action<Concurrent>::apply(const Concurrent& a, ScriptState& s) {
  for (const auto& g : a.group) cachecheck::apply(g, s);
}

bool Action<Concurrent>::feasible(const ScriptState& s) { return !s.tabs.empty() && s.writable_item_exists(); }

// A feed fetch (F5 or a hard refresh) racing a delete.
Concurrent Action<Concurrent>::generate(const ScriptState& s) {
  Step read = gen_int(0, 2) ? Step(Action<Refresh>::generate(s)) : Step(Action<HardRefresh>::generate(s));
  Delete del = Action<Delete>::generate(s);
  del.tab = "";
  Concurrent a;
  a.group = gen_int(0, 2) == 0 ? std::vector<Step>{read, del} : std::vector<Step>{del, read};
  a.schedule_seed = *uniform(rc::gen::inRange<std::uint64_t>(1, 1u << 20));
  return a;
}

void Action<Concurrent>::play(const Concurrent& a, Stage& stage) { stage.concurrently(a.group, a.schedule_seed); }

}  // namespace cachecheck
