#include "generate/script_state.h"

#include <algorithm>

#include "model/semantics.h"

namespace cachecheck {

bool KnownItem::involves(UserId u) const {
  return owner == u || std::find(assignees.begin(), assignees.end(), u) != assignees.end();
}

Query KnownTab::query() const {
  ViewRange r = view_range(setup.model, focus, setup.first_day);
  return {r.start, r.end, type, status};
}

bool ScriptState::knows_user(UserId u) const { return std::find(users.begin(), users.end(), u) != users.end(); }

bool ScriptState::tab_of_user(const std::string& tab, UserId u) const {
  auto it = tabs.find(tab);
  return it != tabs.end() && it->second.user == u;
}

std::vector<std::string> ScriptState::alive() const {
  std::vector<std::string> out;
  for (auto& [ref, item] : items)
    if (item.alive) out.push_back(ref);
  return out;
}

std::vector<std::string> ScriptState::tabs_of(UserId u) const {
  std::vector<std::string> out;
  for (auto& [name, tab] : tabs)
    if (tab.user == u) out.push_back(name);
  return out;
}

bool ScriptState::writable_item_exists() const {
  for (auto& [_, item] : items)
    if (item.alive && knows_user(item.owner)) return true;
  return false;
}

void ScriptState::kill_subtree(const std::string& ref) {
  std::vector<std::string> todo{ref};
  while (!todo.empty()) {
    std::string r = todo.back();
    todo.pop_back();
    auto it = items.find(r);
    if (it == items.end() || !it->second.alive) continue;
    it->second.alive = false;
    for (auto& [child, item] : items)
      if (item.parent == r && item.alive) todo.push_back(child);
  }
}

bool ScriptState::shows(const std::string& tab, const std::string& ref) const {
  auto i = items.find(ref);
  return i != items.end() && i->second.alive && would_show(tab, i->second);
}

bool ScriptState::would_show(const std::string& tab, const KnownItem& k) const {
  auto t = tabs.find(tab);
  if (t == tabs.end()) return false;
  Item item;
  item.work_type = k.work_type;
  item.status = k.status;
  item.start_date = k.start;
  item.due_date = k.due;
  item.owner_id = k.owner;
  item.assignee_ids = k.assignees;
  item.is_calendar_visible = k.calendar_visible;
  static const Semantics semantics = Semantics::reference();
  return semantics.selects(visibility, t->second.user, t->second.query(), item);
}

void learn_fields(KnownItem& item, const nlohmann::json& fields) {
  if (!fields.is_object()) return;
  auto text = [&](const char* name, std::string& out) {
    if (fields.contains(name) && fields[name].is_string()) out = fields[name].get<std::string>();
  };
  auto date = [&](const char* name, Date& out) {
    if (!fields.contains(name) || !fields[name].is_string()) return;
    if (auto d = Date::parse(fields[name].get<std::string>())) out = *d;
  };
  text("work_type", item.work_type);
  text("status", item.status);
  date("start_date", item.start);
  date("due_date", item.due);
  if (fields.contains("is_calendar_visible") && fields["is_calendar_visible"].is_boolean())
    item.calendar_visible = fields["is_calendar_visible"].get<bool>();
  if (fields.contains("assignee_ids") && fields["assignee_ids"].is_array()) {
    item.assignees.clear();
    for (auto& u : fields["assignee_ids"])
      if (u.is_number_integer()) item.assignees.push_back(u.get<UserId>());
  }
}

}  // namespace cachecheck
