// The targeted shapes (see shapes.h). Every choice is drawn from RapidCheck, so a
// shape shrinks like any step: towards the first tab, item and option.
#include "generate/shapes.h"

#include <algorithm>

#include "generate/actions.h"
#include "generate/gen_values.h"

namespace cachecheck {
namespace {

using nlohmann::json;

bool in_mix(const ScriptState& s, std::string_view key) { return s.params->mix.weight(key) > 0; }
bool room_for_tabs(const ScriptState& s, std::size_t n) {
  return static_cast<int>(s.tabs.size() + n) <= s.params->max_tabs;
}

// A shape's steps, each applied to the state as it is added, so the next one is
// built on what the ones before it leave.
struct Builder {
  ScriptState s;
  std::vector<Step> steps;
  void add(Step step) {
    cachecheck::apply(step, s);
    steps.push_back(std::move(step));
  }
};

// Known users involved with the item (who may write it).
std::vector<UserId> writers(const ScriptState& s, const KnownItem& item) {
  std::vector<UserId> out;
  for (UserId u : s.users)
    if (item.involves(u)) out.push_back(u);
  return out;
}

// Who sees the item: everyone under `global`, its owner and assignees under `assigned`.
std::vector<UserId> viewers(const ScriptState& s, const KnownItem& item) {
  return s.visibility == Visibility::global ? s.users : writers(s, item);
}

// Live items on the calendar that a known user may write.
std::vector<std::string> showable(const ScriptState& s) {
  std::vector<std::string> out;
  for (auto& [ref, item] : s.items)
    if (item.alive && item.calendar_visible && s.knows_user(item.owner)) out.push_back(ref);
  return out;
}

std::vector<std::string> tab_names(const ScriptState& s) {
  std::vector<std::string> out;
  for (auto& [name, _] : s.tabs) out.push_back(name);
  return out;
}

// (tab, item) pairs where the tab's current view shows the item.
std::vector<std::pair<std::string, std::string>> warm_views(const ScriptState& s) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& ref : showable(s))
    for (auto& [name, _] : s.tabs)
      if (s.shows(name, ref)) out.emplace_back(name, ref);
  return out;
}

std::string tab_name(const ScriptState& s, UserId user) {
  return std::string(kUserNames[user - 1]) + "-" + std::to_string(s.tabs_opened + 1);
}

// A new tab of `user` on `focus`, unfiltered, in one of the scenario's views.
Open new_tab(const ScriptState& s, UserId user, Date focus) {
  const auto& p = *s.params;
  Open a;
  a.user = user;
  a.setup.model = pick(p.models);
  a.setup.first_day = pick(p.first_days);
  // A browser in a named zone where the scenario gives zones (one draw either way).
  if (p.browser_time_zones.empty()) a.setup.utc_offset_min = pick(p.utc_offsets_min);
  else a.setup.time_zone = pick(p.browser_time_zones);
  a.setup.focus = focus;
  a.tab = tab_name(s, user);
  return a;
}

// The user reads the tab's view again from the server's side: F5 or a hard refresh
// (and, where the scenario navigates, away and back: lazy fetching refetches).
void reread(Builder& b, const std::string& tab, bool may_navigate = false) {
  UserId user = b.s.tabs.at(tab).user;
  std::vector<int> ways;
  if (in_mix(b.s, Refresh::kWeight)) ways.push_back(0);
  if (in_mix(b.s, HardRefresh::kWeight)) ways.push_back(1);
  if (may_navigate && in_mix(b.s, Navigate::kWeight)) ways.push_back(2);
  switch (ways.empty() ? 0 : pick(ways)) {
    case 1: b.add(HardRefresh{user, tab}); break;
    case 2: {
      int delta = *uniform(rc::gen::element(1, -1));
      b.add(Navigate{user, tab, delta});
      b.add(Navigate{user, tab, -delta});
      break;
    }
    default: b.add(Refresh{user, tab}); break;
  }
}

// ---- race_miss -------------------------------------------------------------------------

bool race_miss_feasible(const ScriptState& s) {
  return in_mix(s, Concurrent::kWeight) && room_for_tabs(s, 1) && !showable(s).empty();
}

std::vector<Step> race_miss(const ScriptState& s) {
  std::string ref = pick(showable(s));
  const KnownItem& item = s.items.at(ref);
  Builder b{s, {}};
  Open read = new_tab(s, pick(viewers(s, item)), item.start);
  Delete del{pick(writers(s, item)), "", ref};
  Concurrent race;
  race.group = gen_int(0, 2) == 0 ? std::vector<Step>{read, del} : std::vector<Step>{del, read};
  race.schedule_seed = *uniform(rc::gen::inRange<std::uint64_t>(1, 1u << 20));
  b.add(race);
  reread(b, read.tab);
  return b.steps;
}

// ---- create_read -----------------------------------------------------------------------

bool create_read_feasible(const ScriptState& s) {
  return in_mix(s, Create::kWeight) && (!s.tabs.empty() || room_for_tabs(s, 1));
}

std::vector<Step> create_read(const ScriptState& s) {
  Builder b{s, {}};
  std::string tab;
  if (!s.tabs.empty() && (!room_for_tabs(s, 1) || gen_int(0, 4) != 0)) {
    tab = pick(tab_names(s));
  } else {
    Open open = new_tab(s, pick(s.users), s.today);
    tab = open.tab;
    b.add(open);
  }
  const KnownTab& t = b.s.tabs.at(tab);
  const auto& p = *s.params;
  UserId creator = pick(s.users);
  json fields = gen_fields(p, s.today, s.users, true, s.created + 1);
  // Inside the view, matching its filter, on the calendar, visible to its user.
  Query q = t.query();
  Date start = q.start->plus_days(gen_int(0, static_cast<int>(q.end->days() - q.start->days())));
  fields["start_date"] = start.iso();
  fields["due_date"] = start.plus_days(gen_int(0, p.max_duration_days + 1)).iso();
  if (t.type) fields["work_type"] = *t.type;
  if (t.status) fields["status"] = *t.status;
  fields.erase("is_calendar_visible");
  if (s.visibility == Visibility::assigned && creator != t.user) {
    auto ids = fields.value("assignee_ids", std::vector<UserId>{});
    if (std::find(ids.begin(), ids.end(), t.user) == ids.end()) ids.push_back(t.user);
    fields["assignee_ids"] = ids;
  }
  b.add(Create{creator, fields});
  reread(b, tab);
  return b.steps;
}

// ---- assignee_change -------------------------------------------------------------------

bool assignee_change_feasible(const ScriptState& s) {
  return in_mix(s, Edit::kWeight) && s.params->assignees && s.visibility == Visibility::assigned &&
         s.users.size() >= 2 && !showable(s).empty();
}

struct AssigneeChange {
  std::string tab;  // "" = a new tab of `user`
  UserId user = 0;
  std::string item;
  std::vector<UserId> assignees;  // after the change
};

// The change of `user`'s assignment to `item`: removed when assigned (and not its owner), else added.
std::optional<AssigneeChange> change_for(const ScriptState& s, const std::string& tab, UserId user,
                                         const std::string& ref) {
  const KnownItem& item = s.items.at(ref);
  AssigneeChange c{tab, user, ref, item.assignees};
  if (item.owner == user) return std::nullopt;
  auto it = std::find(c.assignees.begin(), c.assignees.end(), user);
  if (it != c.assignees.end()) c.assignees.erase(it);
  else c.assignees.push_back(user);
  if (!tab.empty()) {
    // The view must show the item on one side of the change.
    KnownItem after = item;
    after.assignees = c.assignees;
    if (!s.would_show(tab, item) && !s.would_show(tab, after)) return std::nullopt;
  }
  return c;
}

std::vector<Step> assignee_change(const ScriptState& s) {
  std::vector<AssigneeChange> in_views;
  for (auto& ref : showable(s))
    for (auto& [name, t] : s.tabs)
      if (auto c = change_for(s, name, t.user, ref)) in_views.push_back(*c);
  std::optional<AssigneeChange> change;
  if (!in_views.empty() && (!room_for_tabs(s, 1) || gen_int(0, 4) != 0)) {
    change = pick(in_views);
  } else if (room_for_tabs(s, 1)) {
    std::string ref = pick(showable(s));
    std::vector<UserId> others;
    for (UserId u : s.users)
      if (u != s.items.at(ref).owner) others.push_back(u);
    change = change_for(s, "", pick(others), ref);
  }
  if (!change) return {};
  Builder b{s, {}};
  const KnownItem& item = s.items.at(change->item);
  if (change->tab.empty()) {
    Open open = new_tab(s, change->user, item.start);
    change->tab = open.tab;
    b.add(open);
  }
  b.add(Edit{item.owner, change->item, json{{"assignee_ids", change->assignees}}});
  reread(b, change->tab, true);
  return b.steps;
}

// ---- two_tabs ----------------------------------------------------------------------------

template <class T>
std::vector<T> distinct(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

std::vector<ClientModel> models_where(const ScriptState& s, bool (*keep)(ClientModel)) {
  std::vector<ClientModel> out;
  for (ClientModel m : distinct(s.params->models))
    if (keep(m)) out.push_back(m);
  return out;
}

bool first_day_matters(ClientModel m) { return m == ClientModel::fullcalendar_month || m == ClientModel::fullcalendar_week; }
bool sends_offset(ClientModel m) { return is_fullcalendar(m); }

bool first_day_variant(const ScriptState& s) {
  return distinct(s.params->first_days).size() >= 2 && !models_where(s, first_day_matters).empty();
}
bool offset_variant(const ScriptState& s) {
  return distinct(s.params->utc_offsets_min).size() >= 2 && !models_where(s, sends_offset).empty();
}

bool two_tabs_feasible(const ScriptState& s) {
  return room_for_tabs(s, 2) && (first_day_variant(s) || offset_variant(s));
}

// Two different values of `v`, in a random order.
template <class T>
std::pair<T, T> two_of(const std::vector<T>& v) {
  auto values = distinct(v);
  int i = gen_int(0, static_cast<int>(values.size()));
  int j = gen_int(0, static_cast<int>(values.size()) - 1);
  if (j >= i) ++j;
  return {values[static_cast<std::size_t>(i)], values[static_cast<std::size_t>(j)]};
}

std::vector<Step> two_tabs(const ScriptState& s) {
  const auto& p = *s.params;
  std::vector<int> variants;
  if (first_day_variant(s)) variants.push_back(0);
  if (offset_variant(s)) variants.push_back(1);
  bool by_first_day = pick(variants) == 0;
  TabSetup a;
  a.model = pick(models_where(s, by_first_day ? first_day_matters : sends_offset));
  a.first_day = pick(p.first_days);
  a.utc_offset_min = pick(p.utc_offsets_min);
  TabSetup b_setup = a;
  if (by_first_day) std::tie(a.first_day, b_setup.first_day) = two_of(p.first_days);
  else std::tie(a.utc_offset_min, b_setup.utc_offset_min) = two_of(p.utc_offsets_min);

  // The item that tells the ranges apart: an existing one moved there, or a new one.
  std::vector<std::string> items = showable(s);
  std::optional<std::string> ref;
  if (!items.empty() && in_mix(s, Edit::kWeight)) ref = pick(items);
  UserId user = ref ? pick(viewers(s, s.items.at(*ref))) : pick(s.users);
  Date focus = ref && gen_int(0, 2) == 0 ? s.items.at(*ref).start : s.today;
  a.focus = b_setup.focus = focus;

  ViewRange ra = view_range(a.model, focus, a.first_day), rb = view_range(b_setup.model, focus, b_setup.first_day);
  std::vector<Date> days;  // a day in one range only, or (same range) the days at its bounds
  if (ra.start != rb.start) days.push_back(std::min(ra.start, rb.start));
  if (ra.end != rb.end) days.push_back(std::max(ra.end, rb.end).plus_days(-1));
  if (days.empty()) days = {ra.start.plus_days(-1), ra.start, ra.end.plus_days(-1), ra.end};
  Date day = pick(days);

  Builder b{s, {}};
  json on_day{{"start_date", day.iso()}, {"due_date", day.iso()}};
  if (ref) {
    b.add(Edit{pick(writers(s, s.items.at(*ref))), *ref, on_day});
  } else if (in_mix(s, Create::kWeight)) {
    json fields = gen_fields(p, s.today, s.users, true, s.created + 1);
    fields.update(on_day);
    fields.erase("is_calendar_visible");
    b.add(Create{user, fields});
  }
  for (const TabSetup& setup : {a, b_setup}) {
    Open open;
    open.user = user;
    open.setup = setup;
    open.tab = tab_name(b.s, user);
    b.add(open);
  }
  return b.steps;
}

// ---- idle_ttl ------------------------------------------------------------------------------

// The shortest idle the scenario knows that outlasts the TTL (nullopt: none).
std::optional<double> idle_past_ttl(const ScriptState& s) {
  std::optional<double> best;
  for (double a : s.params->advance_seconds)
    if (a > s.ttl_s && (!best || a < *best)) best = a;
  return best;
}

bool idle_ttl_feasible(const ScriptState& s) {
  return in_mix(s, Advance::kWeight) && idle_past_ttl(s) && (in_mix(s, Delete::kWeight) || in_mix(s, Edit::kWeight)) &&
         !showable(s).empty() && (!s.tabs.empty() || room_for_tabs(s, 1));
}

std::vector<Step> idle_ttl(const ScriptState& s) {
  Builder b{s, {}};
  auto views = warm_views(s);
  std::string tab, ref;
  if (!views.empty() && (!room_for_tabs(s, 1) || gen_int(0, 4) != 0)) {
    std::tie(tab, ref) = pick(views);
  } else if (room_for_tabs(s, 1)) {
    ref = pick(showable(s));
    Open open = new_tab(s, pick(viewers(s, s.items.at(ref))), s.items.at(ref).start);
    tab = open.tab;
    b.add(open);
  } else {
    return {};
  }
  UserId writer = pick(writers(s, s.items.at(ref)));
  bool remove = in_mix(s, Delete::kWeight) && (!in_mix(s, Edit::kWeight) || gen_int(0, 2) == 0);
  if (remove) b.add(Delete{writer, "", ref});
  else b.add(Edit{writer, ref, gen_fields(*s.params, s.today, s.users, false, s.created + 1)});
  b.add(Advance{*idle_past_ttl(s)});
  reread(b, tab);
  return b.steps;
}

// ---- rollback ------------------------------------------------------------------------------

// Only on a view already open: a tab opened inside the shape would tie it to every later
// step of that tab, and shrinking removes a shape only whole.
bool rollback_feasible(const ScriptState& s) {
  return in_mix(s, EvictVersion::kWeight) && (in_mix(s, Delete::kWeight) || in_mix(s, Edit::kWeight)) &&
         !warm_views(s).empty();
}

std::vector<Step> rollback(const ScriptState& s) {
  Builder b{s, {}};
  auto [tab, ref] = pick(warm_views(s));
  const UserId reader = s.tabs.at(tab).user;
  // The reader's version key, the global one or both go (shrinking prefers one), so the
  // versions restart where a fill finds them.
  const int which = gen_int(0, 3);
  auto forget = [&] {
    if (which != 1) b.add(EvictVersion{reader});
    if (which != 0) b.add(EvictVersion{std::nullopt});
  };
  forget();
  reread(b, tab);
  const KnownItem& item = b.s.items.at(ref);
  UserId writer = item.involves(reader) ? reader : pick(writers(b.s, item));
  bool remove = in_mix(s, Delete::kWeight) && (!in_mix(s, Edit::kWeight) || gen_int(0, 2) == 0);
  if (remove) b.add(Delete{writer, "", ref});
  else b.add(Edit{writer, ref, gen_fields(*s.params, s.today, s.users, false, s.created + 1)});
  forget();
  reread(b, tab);
  return b.steps;
}

}  // namespace

const std::vector<ShapeKind>& shape_kinds() {
  static const std::vector<ShapeKind> kinds{
      {"race_miss", race_miss_feasible, race_miss},
      {"create_read", create_read_feasible, create_read},
      {"assignee_change", assignee_change_feasible, assignee_change},
      {"two_tabs", two_tabs_feasible, two_tabs},
      {"idle_ttl", idle_ttl_feasible, idle_ttl},
      {"rollback", rollback_feasible, rollback},
  };
  return kinds;
}

}  // namespace cachecheck
