// The generator kit every scenario is a parameterisation of: a model of what
// exists (users, tabs, items) and one RapidCheck state-machine command per step.
#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>

#include <rapidcheck/state.h>

#include "generate/gen_values.h"
#include "generate/scenario.h"
#include "generate/shapes.h"

namespace cachecheck {
namespace {

struct Sut {};
using Cmd = rc::state::Command<ScriptState, Sut>;

// One command: a step, or the consecutive steps of a targeted shape (shapes.h).
struct StepCommand final : Cmd {
  explicit StepCommand(std::vector<Step> s) : steps(std::move(s)) {}
  std::vector<Step> steps;
  void checkPreconditions(const ScriptState& m) const override {
    ScriptState after = m;
    for (const auto& step : steps) {
      RC_PRE(sensible(step, after));
      cachecheck::apply(step, after);
    }
  }
  void apply(ScriptState& m) const override {
    for (const auto& step : steps) cachecheck::apply(step, m);
  }
  void show(std::ostream& os) const override {
    for (std::size_t i = 0; i < steps.size(); ++i) os << (i ? "; " : "") << describe(steps[i]);
  }
};

// One command: an action kind or a shape drawn by the mix's weights among those
// feasible here (the first kinds are preferred by shrinking), then built by its
// generator. While no tab is open, opening one has a weight of at least 1.
std::vector<Step> gen_command(const ScriptState& m) {
  const auto& kinds = action_kinds();
  const auto& shapes = shape_kinds();
  std::vector<std::pair<std::uint32_t, std::size_t>> choices;  // (weight, kind; shapes after the kinds)
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    int weight = m.params->mix.weight(kinds[k].weight);
    if (kinds[k].name == Open::kName && m.tabs.empty()) weight = std::max(weight, 1);
    if (weight > 0 && kinds[k].feasible(m)) choices.emplace_back(static_cast<std::uint32_t>(weight), k);
  }
  for (std::size_t k = 0; k < shapes.size(); ++k) {
    int weight = m.params->mix.weight(shapes[k].name);
    if (weight > 0 && shapes[k].feasible(m)) choices.emplace_back(static_cast<std::uint32_t>(weight), kinds.size() + k);
  }
  if (choices.empty()) return {Step(Advance{1})};
  std::uint32_t total = 0;
  for (auto& [w, _] : choices) total += w;
  std::uint32_t r = *uniform(rc::gen::inRange<std::uint32_t>(0, total));
  std::size_t kind = choices.back().second;
  for (auto& [w, k] : choices) {
    if (r < w) {
      kind = k;
      break;
    }
    r -= w;
  }
  if (kind < kinds.size()) return {kinds[kind].generate(m)};
  auto steps = shapes[kind - kinds.size()].generate(m);
  if (steps.empty()) return {Step(Advance{1})};  // the shape found nothing to aim at here
  return steps;
}

Fixture gen_fixture(const ScenarioParams& p) {
  Fixture setup;
  setup.start_time = *parse_instant(pick(p.start_times));
  Date today = date_of(setup.start_time);
  setup.visibility = pick(p.visibilities);
  std::vector<UserId> users;
  for (int u = 1; u <= p.users; ++u) {
    setup.users.push_back({u, kUserNames[u - 1], kUserNames[u - 1]});
    users.push_back(u);
  }
  int n = gen_int(p.min_items, p.max_items + 1);
  for (int i = 1; i <= n; ++i) {
    Item item;
    item.id = generated_uuid(i);
    item.title = "Item " + std::to_string(i);
    item.work_type = gen_work_type();
    item.status = gen_status();
    item.start_date = gen_start(p, today);
    item.due_date = item.start_date.plus_days(gen_int(0, p.max_duration_days + 1));
    item.owner_id = gen_int(1, p.users + 1);
    item.assignee_ids = gen_assignees(p, users);
    std::erase(item.assignee_ids, item.owner_id);
    if (p.children && i > 1 && (gen_int(0, 2) == 0)) item.parent_id = generated_uuid(gen_int(1, i));
    item.is_calendar_visible = p.hidden_one_in == 0 || gen_int(0, p.hidden_one_in) != 0;
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

rc::Gen<std::pair<int, Script>> Scenario::generate(const TargetConfig& run, bool fixed_workers) const {
  auto p = std::make_shared<const ScenarioParams>(params);
  int min_w = fixed_workers ? run.workers : std::max(p->min_workers, run.workers);
  int max_w = fixed_workers ? run.workers : std::max(p->max_workers, min_w);
  int ttl_s = run.ttl_s;
  return rc::gen::exec([p, min_w, max_w, ttl_s] {
    int workers = gen_int(min_w, max_w + 1);
    // This case's corner of the scenario (swarm testing); the commands' generator
    // keeps it alive while RapidCheck shrinks.
    auto q = std::make_shared<const ScenarioParams>(gen_swarm(*p));
    Script script;
    script.setup = gen_fixture(*q);
    ScriptState m0 = initial_state(script.setup, q.get(), workers, ttl_s);
    auto commands = *rc::state::gen::commands(m0, [q](const ScriptState& m) {
      return rc::gen::exec([m]() -> std::shared_ptr<const Cmd> { return std::make_shared<StepCommand>(gen_command(m)); });
    });
    for (auto& c : commands)
      for (const auto& step : static_cast<const StepCommand&>(*c).steps) script.steps.push_back(step);
    return std::make_pair(workers, std::move(script));
  });
}

std::string Scenario::unsupported_reason(const Capabilities& caps, bool builds_server) const {
  if (!builds_server && params.min_workers > 1) {
    if (caps.workers == 0)
      return "it needs at least " + std::to_string(params.min_workers) +
             " server processes, and the target does not say how many serve it";
    if (caps.workers < params.min_workers)
      return "it needs at least " + std::to_string(params.min_workers) + " server processes; the target has " +
             std::to_string(caps.workers);
  }
  // issue 10: black-box targets (a spec) have so many users, and perhaps a real clock.
  if (caps.users > 0 && caps.users < params.users)
    return "it needs " + std::to_string(params.users) + " test users; the target has " + std::to_string(caps.users);
  if (!caps.manual_clock && caps.max_think_s > 0 && params.waits_past_bound) {
    // It must wait past the freshness bound, on a real clock in real time.
    if (!caps.staleness_bound_s)
      return "it checks a freshness bound, and the target declares none (freshness_bound_s)";
    if (*caps.staleness_bound_s >= caps.max_think_s)
    {
      std::ostringstream why;
      why << "it must wait past the freshness bound (" << *caps.staleness_bound_s
          << " s) on the target's real clock, and a wait is capped at " << caps.max_think_s
          << " s (--max-wait, think_cap_s)";
      return why.str();
    }
  }
  for (const auto& kind : action_kinds()) {
    if (params.mix.weight(kind.weight) <= 0) continue;
    if (kind.needs.manual_clock && !caps.manual_clock && caps.max_think_s <= 0)
      return "its '" + std::string(kind.name) + "' steps move the clock, and the target's clock cannot be set";
    if (kind.needs.fault && !caps.faults.count(*kind.needs.fault))
      return "its '" + std::string(kind.name) + "' steps need the fault '" + std::string(to_string(*kind.needs.fault)) +
             "', which the target does not offer";
  }
  return "";
}

}  // namespace cachecheck
