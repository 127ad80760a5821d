// The item actions: click, create, edit, delete.
#include "generate/actions.h"
#include "generate/gen_values.h"

namespace cachecheck {
namespace {

using nlohmann::json;

// "" when `item` names something the script can know: a UUID, or an earlier create.
std::string check_ref(const std::string& item, const ScriptState& s) {
  if (item.empty()) return "names no item";
  if (item.rfind("$created:", 0) == 0) {
    int n = std::atoi(item.c_str() + 9);
    if (n < 1 || n > s.created) return "'" + item + "' names a create that has not happened";
  }
  return "";
}

std::string check_user(UserId user, const ScriptState& s) {
  return s.knows_user(user) ? "" : "names unknown user " + std::to_string(user);
}

// An optional tab: when given, opened and the user's own.
std::string check_optional_tab(UserId user, const std::string& tab, const ScriptState& s) {
  if (tab.empty()) return "";
  if (!s.tabs.count(tab)) return "uses tab '" + tab + "' before it is opened";
  if (!s.tab_of_user(tab, user)) return "uses tab '" + tab + "', which belongs to another user";
  return "";
}

std::string first_of(std::initializer_list<std::string> reasons) {
  for (auto& r : reasons)
    if (!r.empty()) return r;
  return "";
}

std::string who(UserId user, const std::string& tab) { return tab.empty() ? "user " + std::to_string(user) : tab; }

// Whether `user` may write `item` now (its owner or an assignee, and it is alive).
bool may_write(const std::string& item, UserId user, const ScriptState& s) {
  auto it = s.items.find(item);
  return it != s.items.end() && it->second.alive && it->second.involves(user);
}

// A write by someone allowed to make it: the item and its writer.
std::pair<std::string, UserId> gen_writer(const ScriptState& s) {
  std::string ref = pick(s.alive());
  const KnownItem& item = s.items.at(ref);
  std::vector<UserId> allowed;
  for (UserId u : s.users)
    if (item.involves(u)) allowed.push_back(u);
  return {ref, pick(allowed)};
}

json with_user(json j, UserId user, const std::string& tab) {
  j["user"] = user;
  if (!tab.empty()) j["tab"] = tab;
  return j;
}

}  // namespace

// ---- click: GET the event's detail (the modal) --------------------------------------

json Action<Click>::to_json(const Click& a) { return with_user({{"item", a.item}}, a.user, a.tab); }
Click Action<Click>::from_json(const json& j) { return {j.value("user", 0), j.value("tab", ""), j.value("item", "")}; }
std::string Action<Click>::describe(const Click& a, const Namer& name) { return who(a.user, a.tab) + " clicks " + name(a.item); }
std::string Action<Click>::check(const Click& a, const ScriptState& s) {
  return first_of({check_user(a.user, s), check_optional_tab(a.user, a.tab, s), check_ref(a.item, s)});
}
bool Action<Click>::sensible(const Click& a, const ScriptState& s) {
  return !a.tab.empty() && s.tab_of_user(a.tab, a.user) && s.items.count(a.item);
}
bool Action<Click>::feasible(const ScriptState& s) { return !s.tabs.empty() && !s.items.empty(); }
Click Action<Click>::generate(const ScriptState& s) {
  std::vector<std::string> names, refs;
  for (auto& [name, _] : s.tabs) names.push_back(name);
  for (auto& [ref, _] : s.items) refs.push_back(ref);
  Click a;
  a.tab = pick(names);
  a.user = s.tabs.at(a.tab).user;
  a.item = pick(refs);
  return a;
}
void Action<Click>::play(const Click& a, Stage& stage) { stage.click(a.user, a.tab, a.item); }

// ---- create -----------------------------------------------------------------------------

json Action<Create>::to_json(const Create& a) { return {{"user", a.user}, {"fields", a.fields}}; }
Create Action<Create>::from_json(const json& j) {
  Create a{j.value("user", 0), j.value("fields", json::object())};
  if (!a.fields.is_object()) step_error("a create's \"fields\" must be an object");
  return a;
}
std::string Action<Create>::describe(const Create& a, const Namer&) {
  return who(a.user, "") + " creates '" + a.fields.value("title", std::string("?")) + "'";
}
std::string Action<Create>::check(const Create& a, const ScriptState& s) { return check_user(a.user, s); }
void Action<Create>::apply(const Create& a, ScriptState& s) {
  KnownItem item;
  item.owner = a.user;
  learn_fields(item, a.fields);
  s.items["$created:" + std::to_string(++s.created)] = item;
}
Create Action<Create>::generate(const ScriptState& s) {
  return {pick(s.users), gen_fields(*s.params, s.today, s.users, true, s.created + 1)};
}
void Action<Create>::play(const Create& a, Stage& stage) { stage.create(a.user, a.fields); }

// ---- edit ---------------------------------------------------------------------------------

json Action<Edit>::to_json(const Edit& a) { return {{"user", a.user}, {"item", a.item}, {"fields", a.fields}}; }
Edit Action<Edit>::from_json(const json& j) {
  Edit a{j.value("user", 0), j.value("item", ""), j.value("fields", json::object())};
  if (!a.fields.is_object()) step_error("an edit's \"fields\" must be an object");
  return a;
}
std::string Action<Edit>::describe(const Edit& a, const Namer& name) {
  return who(a.user, "") + " edits " + name(a.item) + " " + a.fields.dump();
}
std::string Action<Edit>::check(const Edit& a, const ScriptState& s) {
  return first_of({check_user(a.user, s), check_ref(a.item, s)});
}
bool Action<Edit>::sensible(const Edit& a, const ScriptState& s) { return may_write(a.item, a.user, s); }
void Action<Edit>::apply(const Edit& a, ScriptState& s) {
  auto it = s.items.find(a.item);
  if (it != s.items.end()) learn_fields(it->second, a.fields);
}
bool Action<Edit>::feasible(const ScriptState& s) { return s.writable_item_exists(); }
Edit Action<Edit>::generate(const ScriptState& s) {
  auto [ref, user] = gen_writer(s);
  return {user, ref, gen_fields(*s.params, s.today, s.users, false, s.created + 1)};
}
void Action<Edit>::play(const Edit& a, Stage& stage) { stage.edit(a.user, a.item, a.fields); }

// ---- delete (the item and its subtree) ------------------------------------------------------

json Action<Delete>::to_json(const Delete& a) { return with_user({{"item", a.item}}, a.user, a.tab); }
Delete Action<Delete>::from_json(const json& j) { return {j.value("user", 0), j.value("tab", ""), j.value("item", "")}; }
std::string Action<Delete>::describe(const Delete& a, const Namer& name) { return who(a.user, a.tab) + " deletes " + name(a.item); }
std::string Action<Delete>::check(const Delete& a, const ScriptState& s) {
  return first_of({check_user(a.user, s), check_optional_tab(a.user, a.tab, s), check_ref(a.item, s)});
}
bool Action<Delete>::sensible(const Delete& a, const ScriptState& s) { return may_write(a.item, a.user, s); }
void Action<Delete>::apply(const Delete& a, ScriptState& s) { s.kill_subtree(a.item); }
bool Action<Delete>::feasible(const ScriptState& s) { return s.writable_item_exists(); }
Delete Action<Delete>::generate(const ScriptState& s) {
  auto [ref, user] = gen_writer(s);
  auto tabs = s.tabs_of(user);
  return {user, tabs.empty() ? "" : pick(tabs), ref};
}
void Action<Delete>::play(const Delete& a, Stage& stage) { stage.remove(a.user, a.tab, a.item); }

}  // namespace cachecheck
