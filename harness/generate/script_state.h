// What is known at a point of a script, before it runs: who exists, which tabs
// are open, which items there are and who may write them. Steps are checked
// against it (a tab opened before use, an item before it is deleted), and the
// generator builds steps from it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "generate/params.h"
#include "model/time.h"

namespace cachecheck {

struct KnownItem {
  UserId owner = 0;
  std::vector<UserId> assignees;
  std::optional<std::string> parent;
  bool alive = true;
  bool involves(UserId u) const;
};

struct ScriptState {
  const ScenarioParams* params = nullptr;  // set when generating; null when only checking
  Date today;
  int workers = 1;
  std::vector<UserId> users;
  std::map<std::string, UserId> tabs;      // tab → its user
  std::map<std::string, KnownItem> items;  // uuid or "$created:N" → what is known of it
  int created = 0;
  int tabs_opened = 0;

  bool knows_user(UserId u) const;
  bool tab_of_user(const std::string& tab, UserId u) const;
  std::vector<std::string> alive() const;
  std::vector<std::string> tabs_of(UserId u) const;
  bool writable_item_exists() const;  // a live item some known user may write
  void kill_subtree(const std::string& ref);
};

}  // namespace cachecheck
