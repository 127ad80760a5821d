// The generator kit every scenario is a parameterisation of: a model of what
// exists (users, tabs, items) and one RapidCheck state-machine command per step.
#include <algorithm>
#include <cstdio>
#include <set>

#include <rapidcheck/state.h>

#include "generate/scenario.h"

namespace cachecheck {
namespace {

using calendar::Date;
using nlohmann::json;

struct GenItem {
  UserId owner = 0;
  std::vector<UserId> assignees;
  std::optional<std::string> parent;
  bool alive = true;
  bool involves(UserId u) const {
    return owner == u || std::find(assignees.begin(), assignees.end(), u) != assignees.end();
  }
};

struct GenModel {
  std::shared_ptr<const ScenarioParams> params;
  Date today;
  int workers = 1;
  std::vector<UserId> users;
  std::map<std::string, UserId> tabs;   // tab → its user
  std::map<std::string, GenItem> items;  // uuid or "$created:N" → what the generator knows
  int created = 0;
  int tabs_opened = 0;

  std::vector<std::string> alive() const {
    std::vector<std::string> out;
    for (auto& [ref, item] : items)
      if (item.alive) out.push_back(ref);
    return out;
  }
  std::vector<std::string> tabs_of(UserId u) const {
    std::vector<std::string> out;
    for (auto& [name, user] : tabs)
      if (user == u) out.push_back(name);
    return out;
  }
};

struct Sut {};
using Cmd = rc::state::Command<GenModel, Sut>;

const char* kUserNames[] = {"alice", "bob", "carol"};

bool valid(const GenModel& m, const Step& s);
void apply_step(GenModel& m, const Step& s);

struct StepCommand final : Cmd {
  explicit StepCommand(Step s) : step(std::move(s)) {}
  Step step;
  void checkPreconditions(const GenModel& m) const override { RC_PRE(valid(m, step)); }
  void apply(GenModel& m) const override { apply_step(m, step); }
  void show(std::ostream& os) const override { os << describe(step); }
};

bool tab_ok(const GenModel& m, const Step& s) {
  auto it = m.tabs.find(s.tab);
  return it != m.tabs.end() && it->second == s.user;
}

bool valid(const GenModel& m, const Step& s) {
  auto known_user = std::find(m.users.begin(), m.users.end(), s.user) != m.users.end();
  switch (s.action) {
    case Action::open: return known_user && !s.tab.empty() && !m.tabs.count(s.tab);
    case Action::refresh: case Action::hard_refresh: case Action::navigate: case Action::filter: case Action::look:
      return tab_ok(m, s);
    case Action::click: return tab_ok(m, s) && m.items.count(s.item);
    case Action::remove: case Action::edit: {
      auto it = m.items.find(s.item);
      return known_user && it != m.items.end() && it->second.alive && it->second.involves(s.user) &&
             (s.tab.empty() || tab_ok(m, s));
    }
    case Action::create: return known_user;
    case Action::route: return !s.worker || *s.worker < static_cast<std::size_t>(m.workers);
    case Action::concurrent: {
      std::set<std::string> tabs;
      for (auto& g : s.group) {
        if (g.action == Action::concurrent || !valid(m, g)) return false;
        if (!g.tab.empty() && !tabs.insert(g.tab).second) return false;
      }
      return !s.group.empty();
    }
    default: return true;
  }
}

void kill_subtree(GenModel& m, const std::string& ref) {
  std::vector<std::string> todo{ref};
  while (!todo.empty()) {
    std::string r = todo.back();
    todo.pop_back();
    auto it = m.items.find(r);
    if (it == m.items.end() || !it->second.alive) continue;
    it->second.alive = false;
    for (auto& [child, item] : m.items)
      if (item.parent == r && item.alive) todo.push_back(child);
  }
}

void apply_step(GenModel& m, const Step& s) {
  switch (s.action) {
    case Action::open: m.tabs[s.tab] = s.user; ++m.tabs_opened; break;
    case Action::remove: kill_subtree(m, s.item); break;
    case Action::edit:
      if (s.fields.contains("assignee_ids")) m.items[s.item].assignees = s.fields["assignee_ids"].get<std::vector<UserId>>();
      break;
    case Action::create: {
      GenItem item;
      item.owner = s.user;
      if (s.fields.contains("assignee_ids")) item.assignees = s.fields["assignee_ids"].get<std::vector<UserId>>();
      m.items["$created:" + std::to_string(++m.created)] = item;
      break;
    }
    case Action::concurrent:
      for (auto& g : s.group) apply_step(m, g);
      break;
    default: break;
  }
}

// ---- value generators -------------------------------------------------------

// RapidCheck scales ranges with the case's size; choices here should be uniform
// whatever the size (the size already scales the number of steps).
template <class G>
auto uniform(G gen) {
  return rc::gen::resize(rc::kNominalSize, std::move(gen));
}

int in_range(int low, int high) { return *uniform(rc::gen::inRange(low, high)); }

template <class T>
T pick(const std::vector<T>& v) {
  return *uniform(rc::gen::elementOf(v));
}

// Half the items start in today's month (where views and writes meet, so bugs
// show in few steps), the rest anywhere within the spread.
Date gen_start(const ScenarioParams& p, Date today) {
  if (in_range(0, 2) == 0) return today.first_of_month().plus_days(in_range(0, 28));
  int spread = 31 * p.month_spread;
  return today.first_of_month().plus_days(in_range(-spread, spread + 31));
}

std::vector<UserId> gen_assignees(const ScenarioParams& p, const std::vector<UserId>& users) {
  std::vector<UserId> out;
  if (!p.assignees) return out;
  for (UserId u : users)
    if (in_range(0, 3) == 0) out.push_back(u);
  return out;
}

json gen_fields(const ScenarioParams& p, Date today, const std::vector<UserId>& users, bool full, int n) {
  json f = json::object();
  auto dates = [&] {
    Date start = gen_start(p, today);
    f["start_date"] = start.iso();
    f["due_date"] = start.plus_days(in_range(0, p.max_duration_days + 1)).iso();
  };
  if (full) {
    f["title"] = "New item " + std::to_string(n);
    f["work_type"] = std::string(pick(std::vector<std::string_view>(std::begin(calendar::kWorkTypes), std::end(calendar::kWorkTypes))));
    f["status"] = std::string(pick(std::vector<std::string_view>(std::begin(calendar::kStatuses), std::end(calendar::kStatuses))));
    dates();
    f["assignee_ids"] = gen_assignees(p, users);
    return f;
  }
  std::vector<int> kinds{0, 1, 2, 3};
  if (p.assignees && users.size() > 1) kinds.push_back(4);
  switch (pick(kinds)) {
    case 0: f["title"] = "Renamed " + std::to_string(n); break;
    case 1: dates(); break;
    case 2: f["work_type"] = std::string(pick(std::vector<std::string_view>(std::begin(calendar::kWorkTypes), std::end(calendar::kWorkTypes)))); break;
    case 3: f["status"] = std::string(pick(std::vector<std::string_view>(std::begin(calendar::kStatuses), std::end(calendar::kStatuses)))); break;
    default: f["assignee_ids"] = gen_assignees(p, users); break;
  }
  return f;
}

Step gen_open(const GenModel& m) {
  const auto& p = *m.params;
  UserId user = pick(m.users);
  TabSetup t;
  t.model = pick(p.models);
  t.first_day = pick(p.first_days);
  t.utc_offset_min = pick(p.utc_offsets_min);
  // Half the tabs open on today's month, the rest anywhere within the spread.
  t.focus = in_range(0, 2) == 0 ? m.today : m.today.plus_months(in_range(-p.month_spread, p.month_spread + 1));
  std::string name = std::string(kUserNames[user - 1]) + "-" + std::to_string(m.tabs_opened + 1);
  return open_step(user, name, t, pick(p.types), pick(p.statuses));
}

Step gen_tab_step(const GenModel& m, Action action) {
  std::vector<std::string> names;
  for (auto& [name, _] : m.tabs) names.push_back(name);
  std::string tab = pick(names);
  Step s = tab_step(action, m.tabs.at(tab), tab);
  if (action == Action::navigate) s.delta = *uniform(rc::gen::element(-1, 1, 2, -2));
  if (action == Action::filter) {
    s.type = pick(m.params->types);
    s.status = pick(m.params->statuses);
  }
  if (action == Action::click) {
    std::vector<std::string> refs;
    for (auto& [ref, _] : m.items) refs.push_back(ref);
    s.item = pick(refs);
  }
  return s;
}

// A write (edit or delete) by someone allowed to make it, from one of their tabs if they have one.
Step gen_write(const GenModel& m, Action action) {
  std::string ref = pick(m.alive());
  const GenItem& item = m.items.at(ref);
  std::vector<UserId> allowed;
  for (UserId u : m.users)
    if (item.involves(u)) allowed.push_back(u);
  UserId user = pick(allowed);
  auto tabs = m.tabs_of(user);
  std::string tab = tabs.empty() ? "" : pick(tabs);
  Step s = tab_step(action, user, action == Action::edit ? "" : tab, ref);
  if (action == Action::edit) s.fields = gen_fields(*m.params, m.today, m.users, false, m.created + 1);
  return s;
}

bool writable_item_exists(const GenModel& m) {
  for (auto& [_, item] : m.items)
    if (item.alive && std::find(m.users.begin(), m.users.end(), item.owner) != m.users.end()) return true;
  return false;
}

Step gen_step(const GenModel& m) {
  const auto& p = *m.params;
  const StepMix& x = p.mix;
  bool tabs = !m.tabs.empty();
  bool writable = writable_item_exists(m);
  std::vector<std::pair<std::uint32_t, int>> kinds;  // (weight, kind); shrinks toward the first
  auto add = [&](int weight, bool feasible, int kind) {
    if (weight > 0 && feasible) kinds.emplace_back(static_cast<std::uint32_t>(weight), kind);
  };
  add(tabs ? x.open : std::max(x.open, 1), static_cast<int>(m.tabs.size()) < p.max_tabs, 0);
  add(x.refresh, tabs, 1);
  add(x.hard_refresh, tabs, 2);
  add(x.navigate, tabs, 3);
  add(x.filter, tabs, 4);
  add(x.look, tabs, 5);
  add(x.click, tabs && !m.items.empty(), 6);
  add(x.create, true, 7);
  add(x.edit, writable, 8);
  add(x.remove, writable, 9);
  add(x.advance, true, 10);
  add(x.evict_version, true, 11);
  add(x.evict_random, true, 12);
  add(x.flush, true, 13);
  add(x.route, m.workers > 1, 14);
  add(x.race, tabs && writable, 15);
  if (kinds.empty()) kinds.emplace_back(1, 10);
  std::uint32_t total = 0;
  for (auto& [w, _] : kinds) total += w;
  std::uint32_t r = *uniform(rc::gen::inRange<std::uint32_t>(0, total));
  int kind = kinds.back().second;
  for (auto& [w, k] : kinds) {
    if (r < w) { kind = k; break; }
    r -= w;
  }
  switch (kind) {
    case 0: return gen_open(m);
    case 1: return gen_tab_step(m, Action::refresh);
    case 2: return gen_tab_step(m, Action::hard_refresh);
    case 3: return gen_tab_step(m, Action::navigate);
    case 4: return gen_tab_step(m, Action::filter);
    case 5: return gen_tab_step(m, Action::look);
    case 6: return gen_tab_step(m, Action::click);
    case 7: {
      Step s = tab_step(Action::create, pick(m.users), "");
      s.fields = gen_fields(p, m.today, m.users, true, m.created + 1);
      return s;
    }
    case 8: return gen_write(m, Action::edit);
    case 9: return gen_write(m, Action::remove);
    case 11: {
      Step s;
      s.action = Action::evict;
      std::vector<std::string> keys{"calendar_version:global"};
      for (UserId u : m.users) keys.push_back("calendar_version:" + std::to_string(u));
      s.keys = {pick(keys)};
      return s;
    }
    case 12: {
      Step s;
      s.action = Action::evict_random;
      s.count = static_cast<std::size_t>(in_range(1, 4));
      return s;
    }
    case 13: { Step s; s.action = Action::flush; return s; }
    case 14: {
      Step s;
      s.action = Action::route;
      int w = in_range(-1, m.workers);
      if (w >= 0) s.worker = static_cast<std::size_t>(w);
      return s;
    }
    case 15: {
      Step read = gen_tab_step(m, (in_range(0, 2) ? Action::refresh : Action::hard_refresh));
      Step del = gen_write(m, Action::remove);
      del.tab = "";
      Step s;
      s.action = Action::concurrent;
      s.group = (in_range(0, 2) == 0) ? std::vector<Step>{read, del} : std::vector<Step>{del, read};
      s.schedule_seed = *uniform(rc::gen::inRange<std::uint64_t>(1, 1u << 20));
      return s;
    }
    default: {
      Step s;
      s.action = Action::advance;
      s.seconds = pick(p.advance_seconds);
      return s;
    }
  }
}

Setup gen_setup(const ScenarioParams& p) {
  Setup setup;
  setup.start_time = *calendar::parse_instant(pick(p.start_times));
  Date today = calendar::date_of(setup.start_time);
  setup.visibility = pick(p.visibilities);
  std::vector<UserId> users;
  for (int u = 1; u <= p.users; ++u) {
    setup.users.push_back({u, kUserNames[u - 1], kUserNames[u - 1]});
    users.push_back(u);
  }
  int n = in_range(p.min_items, p.max_items + 1);
  for (int i = 1; i <= n; ++i) {
    calendar::WorkItem item;
    item.id = generated_uuid(i);
    item.title = "Item " + std::to_string(i);
    item.work_type = std::string(pick(std::vector<std::string_view>(std::begin(calendar::kWorkTypes), std::end(calendar::kWorkTypes))));
    item.status = std::string(pick(std::vector<std::string_view>(std::begin(calendar::kStatuses), std::end(calendar::kStatuses))));
    item.start_date = gen_start(p, today);
    item.due_date = item.start_date.plus_days(in_range(0, p.max_duration_days + 1));
    item.owner_id = in_range(1, p.users + 1);
    item.assignee_ids = gen_assignees(p, users);
    std::erase(item.assignee_ids, item.owner_id);
    if (p.children && i > 1 && (in_range(0, 2) == 0)) item.parent_id = generated_uuid(in_range(1, i));
    setup.items.push_back(item);
  }
  return setup;
}

}  // namespace

std::string generated_uuid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

bool Scenario::counts(const Violation& v, bool all_layers) const {
  if (v.layer == Layer::client_store && !all_layers) return false;
  return !counts_kind || counts_kind(v);
}

TargetConfig Scenario::configure(const TargetConfig& run, int workers) const {
  TargetConfig c = run;
  c.workers = workers;
  if (params.cache_capacity) c.cache_capacity = params.cache_capacity;
  return c;
}

rc::Gen<std::pair<int, Script>> Scenario::generate(const TargetConfig& run) const {
  auto p = std::make_shared<const ScenarioParams>(params);
  int min_w = std::max(p->min_workers, run.workers);
  int max_w = std::max(p->max_workers, min_w);
  return rc::gen::exec([p, min_w, max_w] {
    int workers = in_range(min_w, max_w + 1);
    Script script;
    script.setup = gen_setup(*p);
    GenModel m0;
    m0.params = p;
    m0.today = calendar::date_of(script.setup.start_time);
    m0.workers = workers;
    for (auto& u : script.setup.users) m0.users.push_back(u.id);
    for (auto& item : script.setup.items) m0.items[item.id] = GenItem{item.owner_id, item.assignee_ids, item.parent_id, true};
    auto commands = *rc::state::gen::commands(m0, [](const GenModel& m) {
      return rc::gen::exec([m]() -> std::shared_ptr<const Cmd> { return std::make_shared<StepCommand>(gen_step(m)); });
    });
    for (auto& c : commands) script.steps.push_back(static_cast<const StepCommand&>(*c).step);
    return std::make_pair(workers, std::move(script));
  });
}

}  // namespace cachecheck
