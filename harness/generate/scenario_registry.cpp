#include <algorithm>

#include "generate/scenario.h"

namespace cachecheck {
namespace {

std::vector<std::pair<int, Scenario>>& registry() {
  static std::vector<std::pair<int, Scenario>> r;
  return r;
}

}  // namespace

bool register_scenario(int order, Scenario scenario) {
  auto& r = registry();
  r.emplace_back(order, std::move(scenario));
  std::stable_sort(r.begin(), r.end(), [](auto& a, auto& b) { return a.first < b.first; });
  return true;
}

std::vector<std::string> scenario_names() {
  std::vector<std::string> names;
  for (auto& [_, s] : registry()) names.push_back(s.name);
  return names;
}

const Scenario* find_scenario(const std::string& name) {
  for (auto& [_, s] : registry())
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace cachecheck
