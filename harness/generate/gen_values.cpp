#include "generate/gen_values.h"

namespace cachecheck {
namespace {

std::vector<std::string> strings(const auto& list) { return {std::begin(list), std::end(list)}; }

}  // namespace

int gen_int(int low, int high) { return *uniform(rc::gen::inRange(low, high)); }

std::string gen_work_type() { return pick(strings(kWorkTypes)); }
std::string gen_status() { return pick(strings(kStatuses)); }

Date gen_start(const ScenarioParams& p, Date today) {
  if (gen_int(0, 2) == 0) return today.first_of_month().plus_days(gen_int(0, 28));
  int spread = 31 * p.month_spread;
  return today.first_of_month().plus_days(gen_int(-spread, spread + 31));
}

std::vector<UserId> gen_assignees(const ScenarioParams& p, const std::vector<UserId>& users) {
  std::vector<UserId> out;
  if (!p.assignees) return out;
  for (UserId u : users)
    if (gen_int(0, 3) == 0) out.push_back(u);
  return out;
}

nlohmann::json gen_fields(const ScenarioParams& p, Date today, const std::vector<UserId>& users, bool full, int n) {
  nlohmann::json f = nlohmann::json::object();
  auto dates = [&] {
    Date start = gen_start(p, today);
    f["start_date"] = start.iso();
    f["due_date"] = start.plus_days(gen_int(0, p.max_duration_days + 1)).iso();
  };
  if (full) {
    f["title"] = "New item " + std::to_string(n);
    f["work_type"] = gen_work_type();
    f["status"] = gen_status();
    dates();
    f["assignee_ids"] = gen_assignees(p, users);
    if (p.hidden_one_in > 0 && gen_int(0, p.hidden_one_in) == 0) f["is_calendar_visible"] = false;
    return f;
  }
  std::vector<int> kinds{0, 1, 2, 3};
  if (p.assignees && users.size() > 1) kinds.push_back(4);
  if (p.hidden_one_in > 0) kinds.push_back(5);
  switch (pick(kinds)) {
    case 0: f["title"] = "Renamed " + std::to_string(n); break;
    case 1: dates(); break;
    case 2: f["work_type"] = gen_work_type(); break;
    case 3: f["status"] = gen_status(); break;
    case 4: f["assignee_ids"] = gen_assignees(p, users); break;
    default: f["is_calendar_visible"] = gen_int(0, 2) == 0; break;
  }
  return f;
}

namespace {

// A random non-empty part of `v`, in its order.
template <class T>
std::vector<T> gen_part(const std::vector<T>& v) {
  if (v.size() <= 1) return v;
  std::vector<T> out;
  for (const auto& x : v)
    if (gen_int(0, 2) == 0) out.push_back(x);
  if (out.empty()) out.push_back(pick(v));
  return out;
}

}  // namespace

ScenarioParams gen_swarm(const ScenarioParams& p) {
  if (!p.swarm || gen_int(0, 4) == 0) return p;
  ScenarioParams q = p;
  for (auto& [key, weight] : q.mix.weights) {
    if (weight <= 0) continue;
    if (gen_int(0, 2) == 1) weight = 0;
    else weight *= pick(std::vector<int>{1, 2, 4});
  }
  q.visibilities = gen_part(p.visibilities);
  q.models = gen_part(p.models);
  q.first_days = gen_part(p.first_days);
  q.utc_offsets_min = gen_part(p.utc_offsets_min);
  q.start_times = gen_part(p.start_times);
  q.types = gen_part(p.types);
  q.statuses = gen_part(p.statuses);
  q.advance_seconds = gen_part(p.advance_seconds);
  if (gen_int(0, 2) == 1) q.hidden_one_in = 0;
  return q;
}

}  // namespace cachecheck
