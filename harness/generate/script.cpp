#include "generate/script.h"

#include <array>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

namespace cachecheck {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<Action, std::string_view>, 16> kActions{{
    {Action::open, "open"},
    {Action::refresh, "refresh"},
    {Action::hard_refresh, "hard-refresh"},
    {Action::navigate, "navigate"},
    {Action::filter, "filter"},
    {Action::look, "look"},
    {Action::click, "click"},
    {Action::create, "create"},
    {Action::edit, "edit"},
    {Action::remove, "delete"},
    {Action::advance, "advance"},
    {Action::evict, "evict"},
    {Action::evict_random, "evict-random"},
    {Action::flush, "flush"},
    {Action::route, "route"},
    {Action::concurrent, "concurrent"},
}};

json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

std::optional<std::string> opt_string(const json& j, const char* name) {
  if (!j.contains(name) || j[name].is_null()) return std::nullopt;
  return j[name].get<std::string>();
}

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("script: " + what); }

// Actions that act in a tab (click and delete may also come from outside one).
bool uses_tab(Action a) {
  switch (a) {
    case Action::open: case Action::refresh: case Action::hard_refresh: case Action::navigate:
    case Action::filter: case Action::look:
      return true;
    default:
      return false;
  }
}

bool may_use_tab(Action a) { return uses_tab(a) || a == Action::click || a == Action::remove; }

std::string short_id(const std::string& item) {
  if (item.rfind("$", 0) == 0) return item;
  if (item.rfind("00000000-0000-4000-8000-", 0) == 0) {
    std::string out(1, '#');  // built piecewise: GCC 12 warns falsely on "#" + std::string&&
    out += std::to_string(std::atoll(item.c_str() + 24));
    return out;
  }
  return item.substr(0, 8);
}

}  // namespace

Step tab_step(Action action, UserId user, std::string tab, std::string item) {
  Step s;
  s.action = action;
  s.user = user;
  s.tab = std::move(tab);
  s.item = std::move(item);
  return s;
}

Step open_step(UserId user, std::string tab, TabSetup setup, std::optional<std::string> type,
               std::optional<std::string> status) {
  Step s = tab_step(Action::open, user, std::move(tab));
  s.setup = setup;
  s.type = std::move(type);
  s.status = std::move(status);
  return s;
}

std::string_view to_string(Action a) {
  for (auto& [action, name] : kActions)
    if (action == a) return name;
  return "?";
}

std::optional<Action> parse_action(std::string_view s) {
  for (auto& [action, name] : kActions)
    if (name == s) return action;
  return std::nullopt;
}

json to_json(const Step& s) {
  json j{{"action", to_string(s.action)}};
  switch (s.action) {
    case Action::open:
      j["setup"] = {{"model", to_string(s.setup.model)},
                    {"first_day", s.setup.first_day},
                    {"utc_offset_min", s.setup.utc_offset_min},
                    {"focus", s.setup.focus.iso()}};
      [[fallthrough]];
    case Action::filter:
      j["type"] = opt(s.type);
      j["status"] = opt(s.status);
      break;
    case Action::navigate: j["delta"] = s.delta; break;
    case Action::click: case Action::remove: j["item"] = s.item; break;
    case Action::edit: j["item"] = s.item; j["fields"] = s.fields; break;
    case Action::create: j["fields"] = s.fields; break;
    case Action::advance: j["seconds"] = s.seconds; break;
    case Action::evict: j["keys"] = s.keys; break;
    case Action::evict_random: j["count"] = s.count; break;
    case Action::route: j["worker"] = s.worker ? json(*s.worker) : json(nullptr); break;
    case Action::concurrent: {
      json group = json::array();
      for (auto& g : s.group) group.push_back(to_json(g));
      j["group"] = group;
      j["schedule_seed"] = s.schedule_seed;
      break;
    }
    default: break;
  }
  if (s.user) j["user"] = s.user;
  if (!s.tab.empty()) j["tab"] = s.tab;
  return j;
}

Step step_from_json(const json& j) {
  if (!j.is_object() || !j.contains("action") || !j["action"].is_string()) fail("a step needs an \"action\"");
  auto action = parse_action(j["action"].get<std::string>());
  if (!action) fail("unknown action '" + j["action"].get<std::string>() + "'");
  Step s;
  s.action = *action;
  try {
    s.user = j.value("user", 0);
    s.tab = j.value("tab", "");
    if (j.contains("setup")) {
      auto& t = j["setup"];
      auto model = parse_client_model(t.at("model").get<std::string>());
      if (!model) fail("unknown client model '" + t.at("model").get<std::string>() + "'");
      s.setup.model = *model;
      s.setup.first_day = t.value("first_day", 1);
      s.setup.utc_offset_min = t.value("utc_offset_min", 0);
      auto focus = calendar::Date::parse(t.at("focus").get<std::string>());
      if (!focus) fail("bad focus date '" + t.at("focus").get<std::string>() + "'");
      s.setup.focus = *focus;
    } else if (s.action == Action::open) {
      fail("an open step needs a \"setup\"");
    }
    s.type = opt_string(j, "type");
    s.status = opt_string(j, "status");
    s.delta = j.value("delta", 0);
    s.item = j.value("item", "");
    s.fields = j.value("fields", json());
    s.seconds = j.value("seconds", 0.0);
    s.keys = j.value("keys", std::vector<std::string>{});
    s.count = j.value("count", std::size_t{0});
    if (j.contains("worker") && !j["worker"].is_null()) s.worker = j["worker"].get<std::size_t>();
    s.schedule_seed = j.value("schedule_seed", std::uint64_t{0});
    if (j.contains("group"))
      for (auto& g : j["group"]) s.group.push_back(step_from_json(g));
  } catch (const json::exception& e) {
    fail(std::string("malformed step: ") + e.what());
  }
  return s;
}

json to_json(const Script& s) {
  json users = json::array();
  for (auto& u : s.setup.users) users.push_back({{"id", u.id}, {"username", u.username}, {"password", u.password}});
  json items = json::array();
  for (auto& i : s.setup.items) items.push_back(calendar::to_json(i));
  json steps = json::array();
  for (auto& st : s.steps) steps.push_back(to_json(st));
  return {{"setup",
           {{"users", users},
            {"items", items},
            {"visibility", calendar::to_string(s.setup.visibility)},
            {"start_time", calendar::format_instant(s.setup.start_time)}}},
          {"steps", steps}};
}

Script script_from_json(const json& j) {
  Script s;
  try {
    auto& setup = j.at("setup");
    for (auto& u : setup.at("users"))
      s.setup.users.push_back({u.at("id").get<int>(), u.at("username").get<std::string>(),
                               u.at("password").get<std::string>()});
    for (auto& i : setup.at("items")) {
      std::string error;
      auto item = calendar::item_from_json(i, true, error);
      if (!item) fail("bad item: " + error);
      s.setup.items.push_back(*item);
    }
    auto vis = calendar::parse_visibility(setup.value("visibility", "global"));
    if (!vis) fail("visibility must be global or assigned");
    s.setup.visibility = *vis;
    auto start = calendar::parse_instant(setup.at("start_time").get<std::string>());
    if (!start) fail("bad start_time");
    s.setup.start_time = *start;
    for (auto& st : j.at("steps")) s.steps.push_back(step_from_json(st));
  } catch (const json::exception& e) {
    fail(std::string("malformed script: ") + e.what());
  }
  if (auto error = validate(s); !error.empty()) fail(error);
  return s;
}

std::string describe(const Step& s, const std::function<std::string(const std::string&)>& name) {
  auto who = s.tab.empty() ? "user " + std::to_string(s.user) : s.tab;
  auto short_id = [&](const std::string& item) { return name ? name(item) : cachecheck::short_id(item); };
  auto filter = [&] {
    std::string f;
    if (s.type) f += " type=" + *s.type;
    if (s.status) f += " status=" + *s.status;
    return f.empty() ? std::string(" no filter") : f;
  };
  switch (s.action) {
    case Action::open:
      return who + " opens the calendar (" + std::string(to_string(s.setup.model)) + ", " + s.setup.focus.iso() +
             ", firstDay " + std::to_string(s.setup.first_day) + ")," + filter();
    case Action::refresh: return who + " refreshes the page (F5)";
    case Action::hard_refresh: return who + " hard-refreshes the page (Ctrl+Shift+R)";
    case Action::navigate: return who + (s.delta < 0 ? " goes back " : " goes forward ") + std::to_string(std::abs(s.delta));
    case Action::filter: return who + " changes the filter to" + filter();
    case Action::look: return who + " looks at the calendar again (no fetch)";
    case Action::click: return who + " clicks " + short_id(s.item);
    case Action::create: return who + " creates '" + s.fields.value("title", std::string("?")) + "'";
    case Action::edit: return who + " edits " + short_id(s.item) + " " + s.fields.dump();
    case Action::remove: return who + " deletes " + short_id(s.item);
    case Action::advance: return std::to_string(static_cast<long long>(s.seconds)) + " s pass";
    case Action::evict: {
      std::string keys;
      for (auto& k : s.keys) keys += (keys.empty() ? "" : ", ") + k;
      return "the cache evicts " + (keys.empty() ? std::string("nothing") : keys);
    }
    case Action::evict_random: return "the cache evicts " + std::to_string(s.count) + " random key(s)";
    case Action::flush: return "the cache restarts (flush)";
    case Action::route:
      return s.worker ? "requests go to worker " + std::to_string(*s.worker) : std::string("requests go round-robin");
    case Action::concurrent: {
      std::string out = "at the same time:";
      for (auto& g : s.group) out += " [" + describe(g, name) + "]";
      return out;
    }
  }
  return "?";
}

std::string validate(const Script& s) {
  std::set<UserId> users;
  for (auto& u : s.setup.users) users.insert(u.id);
  std::set<std::string> tabs;
  std::map<std::string, UserId> owner;
  int creates = 0;
  std::function<std::string(const Step&, bool)> check = [&](const Step& st, bool nested) -> std::string {
    if (st.action == Action::concurrent) {
      if (nested) return "concurrent steps cannot nest";
      std::set<std::string> seen;
      for (auto& g : st.group) {
        if (!g.tab.empty() && !seen.insert(g.tab).second) return "one tab appears twice in a concurrent step";
        if (auto e = check(g, true); !e.empty()) return e;
      }
      return "";
    }
    bool needs_user = may_use_tab(st.action) || st.action == Action::create || st.action == Action::edit;
    if (needs_user && !users.count(st.user)) return "step '" + describe(st) + "' names unknown user " + std::to_string(st.user);
    if (st.action == Action::open) {
      if (st.tab.empty() || !tabs.insert(st.tab).second) return "tab '" + st.tab + "' opened twice or unnamed";
      owner[st.tab] = st.user;
      if (st.setup.first_day < 0 || st.setup.first_day > 6) return "first_day must be 0..6";
    } else if (uses_tab(st.action) || (may_use_tab(st.action) && !st.tab.empty())) {
      if (!tabs.count(st.tab)) return "step '" + describe(st) + "' uses tab '" + st.tab + "' before it is opened";
      if (owner[st.tab] != st.user) return "tab '" + st.tab + "' belongs to another user";
    }
    if (st.action == Action::create) ++creates;
    if (!st.item.empty() && st.item.rfind("$created:", 0) == 0) {
      int n = std::atoi(st.item.c_str() + 9);
      if (n < 1 || n > creates) return "'" + st.item + "' names a create that has not happened";
    }
    if (st.action == Action::advance && !(st.seconds >= 0)) return "time cannot go backwards";
    return "";
  };
  for (auto& st : s.steps)
    if (auto e = check(st, false); !e.empty()) return e;
  return "";
}

}  // namespace cachecheck
