#include "generate/script_state.h"

#include <algorithm>

namespace cachecheck {

bool KnownItem::involves(UserId u) const {
  return owner == u || std::find(assignees.begin(), assignees.end(), u) != assignees.end();
}

bool ScriptState::knows_user(UserId u) const { return std::find(users.begin(), users.end(), u) != users.end(); }

bool ScriptState::tab_of_user(const std::string& tab, UserId u) const {
  auto it = tabs.find(tab);
  return it != tabs.end() && it->second == u;
}

std::vector<std::string> ScriptState::alive() const {
  std::vector<std::string> out;
  for (auto& [ref, item] : items)
    if (item.alive) out.push_back(ref);
  return out;
}

std::vector<std::string> ScriptState::tabs_of(UserId u) const {
  std::vector<std::string> out;
  for (auto& [name, user] : tabs)
    if (user == u) out.push_back(name);
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

}  // namespace cachecheck
