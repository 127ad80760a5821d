// What is known at a point of a script, before it runs: who exists, which tabs
// are open and what they view, which items there are, where they lie and who may
// write them. Steps are checked against it (a tab opened before use, an item
// before it is deleted), and the generator builds steps from it — the targeted
// shapes (shapes.h) aim at an item a tab's view holds.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "browser/tab.h"
#include "generate/params.h"
#include "model/domain.h"
#include "model/time.h"

namespace cachecheck {

struct KnownItem {
  UserId owner = 0;
  std::vector<UserId> assignees;
  std::optional<std::string> parent;
  bool alive = true;
  // Its fields as the script last set them (a write the target refuses is not
  // known here: these are the generator's aim, never the oracle's truth).
  std::string work_type, status;
  Date start, due;
  bool calendar_visible = true;
  bool involves(UserId u) const;
};

// A tab as the script leaves it: its view (focus moved by navigation) and filter.
struct KnownTab {
  UserId user = 0;
  TabSetup setup;
  Date focus;
  std::optional<std::string> type, status;
  // What its current view asks the feed for.
  Query query() const;
};

struct ScriptState {
  const ScenarioParams* params = nullptr;  // set when generating; null when only checking
  Date today;
  int workers = 1;
  int ttl_s = 300;  // the target's feed TTL (the idle shape waits past it)
  Visibility visibility = Visibility::global;
  std::vector<UserId> users;
  std::map<std::string, KnownTab> tabs;    // by name
  std::map<std::string, KnownItem> items;  // uuid or "$created:N" → what is known of it
  int created = 0;
  int tabs_opened = 0;

  bool knows_user(UserId u) const;
  bool tab_of_user(const std::string& tab, UserId u) const;
  std::vector<std::string> alive() const;
  std::vector<std::string> tabs_of(UserId u) const;
  bool writable_item_exists() const;  // a live item some known user may write
  void kill_subtree(const std::string& ref);
  // Whether `tab`'s current view would show the live item `ref` (the contract's
  // rules, as the harness models them).
  bool shows(const std::string& tab, const std::string& ref) const;
  // Whether it would show `item` (alive or not) as given.
  bool would_show(const std::string& tab, const KnownItem& item) const;
};

// Sets what `fields` (a create's or an edit's, the domain's field names) say of `item`.
void learn_fields(KnownItem& item, const nlohmann::json& fields);

}  // namespace cachecheck
