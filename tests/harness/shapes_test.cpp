// Swarm generation and the targeted shapes (harness/generate/gen_values.h, shapes.h):
// what a case's corner of a scenario may be, and that each shape builds the few-step
// sequence it is named for, checked on the script state the steps leave.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <variant>

#include "generate/gen_values.h"
#include "generate/scenario.h"
#include "generate/shapes.h"

using namespace cachecheck;

namespace {

template <class T>
bool part_of(const std::vector<T>& part, const std::vector<T>& whole) {
  return !part.empty() && std::all_of(part.begin(), part.end(), [&](const T& x) {
           return std::find(whole.begin(), whole.end(), x) != whole.end();
         });
}

// A scenario whose commands are (almost) all the shape `shape`: its step kinds stay
// in the mix with weight 1 (a shape is offered only where they are), the shape weighs
// a million, and swarm generation is off.
Scenario only_shape(const std::string& scenario, const std::string& shape, std::initializer_list<const char*> kinds) {
  Scenario s = *find_scenario(scenario);
  s.params.swarm = false;
  for (auto& [key, weight] : s.params.mix.weights) weight = 0;
  for (const char* k : kinds) s.params.mix.weights[k] = 1;
  s.params.mix.weights[shape] = 1'000'000;
  return s;
}

Script generate(const Scenario& s) {
  TargetConfig run;
  return (*s.generate(run, false)).second;
}

bool is_read(const Step& s) { return std::holds_alternative<Refresh>(s) || std::holds_alternative<HardRefresh>(s); }

}  // namespace

RC_GTEST_PROP(Swarm, ACaseKeepsANonEmptyPartOfEveryChoiceAndReweightsTheMix, ()) {
  const ScenarioParams& p = find_scenario("cross-month")->params;
  ScenarioParams q = gen_swarm(p);
  RC_ASSERT(q.swarm);
  RC_ASSERT(part_of(q.models, p.models));
  RC_ASSERT(part_of(q.first_days, p.first_days));
  RC_ASSERT(part_of(q.utc_offsets_min, p.utc_offsets_min));
  RC_ASSERT(part_of(q.types, p.types));
  RC_ASSERT(part_of(q.statuses, p.statuses));
  RC_ASSERT(part_of(q.visibilities, p.visibilities));
  for (auto& [key, weight] : q.mix.weights) {
    int was = p.mix.weight(key);
    RC_ASSERT(weight == 0 || weight == was || weight == 2 * was || weight == 4 * was);
  }
}

RC_GTEST_PROP(Swarm, OffMeansTheWholeScenario, ()) {
  ScenarioParams p = find_scenario("edits")->params;
  p.swarm = false;
  ScenarioParams q = gen_swarm(p);
  RC_ASSERT(q.mix.weights == p.mix.weights);
  RC_ASSERT(q.models == p.models);
  RC_ASSERT(q.first_days == p.first_days);
  RC_ASSERT(q.hidden_one_in == p.hidden_one_in);
}

// The shape `name` built at every point of a generated script of `scenario` where it is
// feasible; `check` gets the state there and the shape's steps.
template <class Check>
void at_every_point(const std::string& scenario, std::string_view name, Check check) {
  const Scenario& s = *find_scenario(scenario);
  ScenarioParams params = s.params;
  params.swarm = false;
  Script script = (*s.generate(TargetConfig{}, false)).second;
  const ShapeKind* shape = nullptr;
  for (const auto& k : shape_kinds())
    if (k.name == name) shape = &k;
  RC_ASSERT(shape != nullptr);
  ScriptState m = initial_state(script.setup, &params, 1, 300);
  for (const Step& step : script.steps) {
    if (shape->feasible(m)) {
      std::vector<Step> steps = shape->generate(m);
      ScriptState after = m;
      for (const Step& x : steps) {
        RC_ASSERT(sensible(x, after));  // each step valid after the ones before it
        apply(x, after);
      }
      check(m, steps);
    }
    apply(step, m);
  }
}

// create_read: a create inside a tab's current view, read back by that tab right after
// (no other write between).
RC_GTEST_PROP(Shapes, CreateReadReadsTheNewItemInTheViewAtOnce, ()) {
  at_every_point("edits", "create_read", [](const ScriptState& m, const std::vector<Step>& steps) {
    RC_ASSERT(steps.size() >= 2u);
    ScriptState after = m;
    for (std::size_t i = 0; i + 2 < steps.size(); ++i) apply(steps[i], after);  // an Open, if any
    RC_ASSERT(std::holds_alternative<Create>(steps[steps.size() - 2]));
    apply(steps[steps.size() - 2], after);
    RC_ASSERT(is_read(steps.back()));
    RC_ASSERT(after.shows(tab_of(steps.back()), "$created:" + std::to_string(after.created)));
  });
}

// two_tabs: two tabs of one user, same focus date, whose setups differ in firstDay or
// the browser's offset only.
RC_GTEST_PROP(Shapes, TwoTabsDifferOnlyByFirstDayOrOffset, ()) {
  Script script = generate(only_shape("cross-month", "two_tabs", {"edit", "create"}));
  for (std::size_t i = 0; i + 1 < script.steps.size(); ++i) {
    auto* a = std::get_if<Open>(&script.steps[i]);
    auto* b = std::get_if<Open>(&script.steps[i + 1]);
    if (!a || !b) continue;
    RC_ASSERT(a->user == b->user);
    RC_ASSERT(a->setup.focus == b->setup.focus);
    RC_ASSERT(a->setup.model == b->setup.model);
    RC_ASSERT((a->setup.first_day != b->setup.first_day) != (a->setup.utc_offset_min != b->setup.utc_offset_min));
    ++i;
  }
}

// assignee_change: an edit that adds or removes one user as assignee of an item that
// user's tab shows on one side of the change, then that tab reads again.
RC_GTEST_PROP(Shapes, AssigneeChangeMovesAnItemIntoOrOutOfTheUsersView, ()) {
  at_every_point("assignee-changes", "assignee_change", [](const ScriptState& m, const std::vector<Step>& steps) {
    if (steps.empty()) return;  // no change to aim at here (the generator then idles a second)
    ScriptState s = m;
    std::size_t i = 0;
    for (; i < steps.size() && !std::holds_alternative<Edit>(steps[i]); ++i) apply(steps[i], s);
    RC_ASSERT(i + 1 < steps.size());
    const Edit& edit = std::get<Edit>(steps[i]);
    RC_ASSERT(edit.fields.contains("assignee_ids"));
    const std::string tab = tab_of(steps[i + 1]);
    RC_ASSERT(!tab.empty());
    const bool before = s.shows(tab, edit.item);
    apply(steps[i], s);
    RC_ASSERT(before != s.shows(tab, edit.item));  // the change is the user's own: into or out of their view
  });
}
