// The tab actions: open, refresh, hard-refresh, navigate, filter, look.
#include <cstdlib>

#include "generate/actions.h"
#include "generate/gen_values.h"
#include "browser/time_zone.h"

namespace cachecheck {
namespace {

using nlohmann::json;

std::string filter_text(const std::optional<std::string>& type, const std::optional<std::string>& status) {
  std::string f;
  if (type) f += " type=" + *type;
  if (status) f += " status=" + *status;
  return f.empty() ? std::string(" no filter") : f;
}

// Tab steps act in an open tab of their own user.
std::string check_tab(UserId user, const std::string& tab, const ScriptState& s) {
  if (!s.knows_user(user)) return "names unknown user " + std::to_string(user);
  if (!s.tabs.count(tab)) return "uses tab '" + tab + "' before it is opened";
  if (!s.tab_of_user(tab, user)) return "uses tab '" + tab + "', which belongs to another user";
  return "";
}

json tab_json(UserId user, const std::string& tab) { return {{"user", user}, {"tab", tab}}; }

// A tab, uniformly among the open ones, and its user.
std::pair<UserId, std::string> gen_tab(const ScriptState& s) {
  std::vector<std::string> names;
  for (auto& [name, _] : s.tabs) names.push_back(name);
  std::string tab = pick(names);
  return {s.tabs.at(tab).user, tab};
}

bool any_tab(const ScriptState& s) { return !s.tabs.empty(); }

template <class T>
T read_tab_step(const json& j) {
  T a;
  a.user = j.value("user", 0);
  a.tab = j.value("tab", "");
  return a;
}

template <class T>
T gen_tab_step(const ScriptState& s) {
  T a;
  std::tie(a.user, a.tab) = gen_tab(s);
  return a;
}

}  // namespace

// ---- open ----------------------------------------------------------------------

json Action<Open>::to_json(const Open& a) {
  json j = tab_json(a.user, a.tab);
  j["setup"] = {{"model", to_string(a.setup.model)},
                {"first_day", a.setup.first_day},
                {"utc_offset_min", a.setup.utc_offset_min},
                {"focus", a.setup.focus.iso()}};
  if (!a.setup.time_zone.empty()) j["setup"]["time_zone"] = a.setup.time_zone;
  j["type"] = optional_json(a.type);
  j["status"] = optional_json(a.status);
  return j;
}

Open Action<Open>::from_json(const json& j) {
  Open a = read_tab_step<Open>(j);
  if (!j.contains("setup") || !j["setup"].is_object()) step_error("an open step needs a \"setup\"");
  const json& t = j["setup"];
  std::string model = t.value("model", "");
  auto m = parse_client_model(model);
  if (!m) step_error("unknown client model '" + model + "'");
  a.setup.model = *m;
  a.setup.first_day = t.value("first_day", 1);
  a.setup.utc_offset_min = t.value("utc_offset_min", 0);
  a.setup.time_zone = t.value("time_zone", "");
  if (!a.setup.time_zone.empty() && !is_known_time_zone(a.setup.time_zone))
    step_error("unknown time zone '" + a.setup.time_zone + "'");
  auto focus = Date::parse(t.value("focus", ""));
  if (!focus) step_error("an open step needs a \"focus\" date YYYY-MM-DD");
  a.setup.focus = *focus;
  a.type = optional_string(j, "type");
  a.status = optional_string(j, "status");
  return a;
}

std::string Action<Open>::describe(const Open& a, const Namer&) {
  return a.tab + " opens the calendar (" + std::string(to_string(a.setup.model)) + ", " + a.setup.focus.iso() +
         ", firstDay " + std::to_string(a.setup.first_day) +
         (a.setup.time_zone.empty() ? std::string() : ", browser in " + a.setup.time_zone) + ")," +
         filter_text(a.type, a.status);
}

std::string Action<Open>::check(const Open& a, const ScriptState& s) {
  if (!s.knows_user(a.user)) return "names unknown user " + std::to_string(a.user);
  if (a.tab.empty() || s.tabs.count(a.tab)) return "tab '" + a.tab + "' opened twice or unnamed";
  if (a.setup.first_day < 0 || a.setup.first_day > 6) return "first_day must be 0..6";
  return "";
}

void Action<Open>::apply(const Open& a, ScriptState& s) {
  s.tabs[a.tab] = KnownTab{a.user, a.setup, a.setup.focus, a.type, a.status};
  ++s.tabs_opened;
}

bool Action<Open>::feasible(const ScriptState& s) {
  return static_cast<int>(s.tabs.size()) < s.params->max_tabs;
}

void Action<Open>::play(const Open& a, Stage& stage) {
  Tab& t = stage.open_tab(a.tab, a.user, a.setup, a.type, a.status);
  stage.view(t, BrowserHttpCache::Mode::normal);
}

Open Action<Open>::generate(const ScriptState& s) {
  const auto& p = *s.params;
  Open a;
  a.user = pick(s.users);
  a.setup.model = pick(p.models);
  a.setup.first_day = pick(p.first_days);
  // A browser in a named zone where the scenario gives zones (one draw either way).
  if (p.browser_time_zones.empty()) a.setup.utc_offset_min = pick(p.utc_offsets_min);
  else a.setup.time_zone = pick(p.browser_time_zones);
  // Half the tabs open on today's month, the rest anywhere within the spread.
  a.setup.focus = gen_int(0, 2) == 0 ? s.today : s.today.plus_months(gen_int(-p.month_spread, p.month_spread + 1));
  a.tab = std::string(kUserNames[a.user - 1]) + "-" + std::to_string(s.tabs_opened + 1);
  a.type = pick(p.types);
  a.status = pick(p.statuses);
  return a;
}

// ---- refresh (F5) and hard refresh (Ctrl+Shift+R) -------------------------------
// Both reload the page: FullCalendar starts with an empty event store and fetches.
// Modern browsers revalidate only the page itself on F5; the page's fetch() of the
// feed uses the default cache mode, so a fresh stored response answers it.

json Action<Refresh>::to_json(const Refresh& a) { return tab_json(a.user, a.tab); }
Refresh Action<Refresh>::from_json(const json& j) { return read_tab_step<Refresh>(j); }
std::string Action<Refresh>::describe(const Refresh& a, const Namer&) { return a.tab + " refreshes the page (F5)"; }
std::string Action<Refresh>::check(const Refresh& a, const ScriptState& s) { return check_tab(a.user, a.tab, s); }
bool Action<Refresh>::feasible(const ScriptState& s) { return any_tab(s); }
Refresh Action<Refresh>::generate(const ScriptState& s) { return gen_tab_step<Refresh>(s); }
void Action<Refresh>::play(const Refresh& a, Stage& stage) {
  Tab& t = stage.tab(a.tab);
  t.forget();
  stage.view(t, BrowserHttpCache::Mode::normal);
}

json Action<HardRefresh>::to_json(const HardRefresh& a) { return tab_json(a.user, a.tab); }
HardRefresh Action<HardRefresh>::from_json(const json& j) { return read_tab_step<HardRefresh>(j); }
std::string Action<HardRefresh>::describe(const HardRefresh& a, const Namer&) {
  return a.tab + " hard-refreshes the page (Ctrl+Shift+R)";
}
std::string Action<HardRefresh>::check(const HardRefresh& a, const ScriptState& s) {
  return check_tab(a.user, a.tab, s);
}
bool Action<HardRefresh>::feasible(const ScriptState& s) { return any_tab(s); }
HardRefresh Action<HardRefresh>::generate(const ScriptState& s) { return gen_tab_step<HardRefresh>(s); }
void Action<HardRefresh>::play(const HardRefresh& a, Stage& stage) {
  Tab& t = stage.tab(a.tab);
  t.forget();
  stage.view(t, BrowserHttpCache::Mode::hard_reload);
}

// ---- navigate (prev / next) -------------------------------------------------------
// Lazy fetching: a view inside the range last fetched, same filter, shows the
// in-memory events; any other fetches.

json Action<Navigate>::to_json(const Navigate& a) {
  json j = tab_json(a.user, a.tab);
  j["delta"] = a.delta;
  return j;
}
Navigate Action<Navigate>::from_json(const json& j) {
  Navigate a = read_tab_step<Navigate>(j);
  a.delta = j.value("delta", 0);
  return a;
}
std::string Action<Navigate>::describe(const Navigate& a, const Namer&) {
  return a.tab + (a.delta < 0 ? " goes back " : " goes forward ") + std::to_string(std::abs(a.delta));
}
std::string Action<Navigate>::check(const Navigate& a, const ScriptState& s) { return check_tab(a.user, a.tab, s); }
void Action<Navigate>::apply(const Navigate& a, ScriptState& s) {
  auto it = s.tabs.find(a.tab);
  if (it != s.tabs.end()) it->second.focus = navigate(it->second.setup.model, it->second.focus, a.delta);
}
bool Action<Navigate>::feasible(const ScriptState& s) { return any_tab(s); }
Navigate Action<Navigate>::generate(const ScriptState& s) {
  Navigate a = gen_tab_step<Navigate>(s);
  a.delta = *uniform(rc::gen::element(-1, 1, 2, -2));
  return a;
}
void Action<Navigate>::play(const Navigate& a, Stage& stage) {
  Tab& t = stage.tab(a.tab);
  t.focus = navigate(t.setup.model, t.focus, a.delta);
  if (t.covers_current_view()) stage.view(t, std::nullopt);
  else stage.view(t, BrowserHttpCache::Mode::normal);
}

// ---- filter -------------------------------------------------------------------------

json Action<Filter>::to_json(const Filter& a) {
  json j = tab_json(a.user, a.tab);
  j["type"] = optional_json(a.type);
  j["status"] = optional_json(a.status);
  return j;
}
Filter Action<Filter>::from_json(const json& j) {
  Filter a = read_tab_step<Filter>(j);
  a.type = optional_string(j, "type");
  a.status = optional_string(j, "status");
  return a;
}
std::string Action<Filter>::describe(const Filter& a, const Namer&) {
  return a.tab + " changes the filter to" + filter_text(a.type, a.status);
}
std::string Action<Filter>::check(const Filter& a, const ScriptState& s) { return check_tab(a.user, a.tab, s); }
void Action<Filter>::apply(const Filter& a, ScriptState& s) {
  auto it = s.tabs.find(a.tab);
  if (it == s.tabs.end()) return;
  it->second.type = a.type;
  it->second.status = a.status;
}
bool Action<Filter>::feasible(const ScriptState& s) { return any_tab(s); }
Filter Action<Filter>::generate(const ScriptState& s) {
  Filter a = gen_tab_step<Filter>(s);
  a.type = pick(s.params->types);
  a.status = pick(s.params->statuses);
  return a;
}
void Action<Filter>::play(const Filter& a, Stage& stage) {
  Tab& t = stage.tab(a.tab);
  t.type = a.type;
  t.status = a.status;
  stage.view(t, BrowserHttpCache::Mode::normal);
}

// ---- look ---------------------------------------------------------------------------

json Action<Look>::to_json(const Look& a) { return tab_json(a.user, a.tab); }
Look Action<Look>::from_json(const json& j) { return read_tab_step<Look>(j); }
std::string Action<Look>::describe(const Look& a, const Namer&) {
  return a.tab + " looks at the calendar again (no fetch)";
}
std::string Action<Look>::check(const Look& a, const ScriptState& s) { return check_tab(a.user, a.tab, s); }
bool Action<Look>::feasible(const ScriptState& s) { return any_tab(s); }
Look Action<Look>::generate(const ScriptState& s) { return gen_tab_step<Look>(s); }
void Action<Look>::play(const Look& a, Stage& stage) { stage.view(stage.tab(a.tab), std::nullopt); }

}  // namespace cachecheck
