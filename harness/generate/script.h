// A script: the fixture a run starts from and the steps browser-like clients
// take (generate/step.h). Scenarios generate scripts; RapidCheck shrinks them; a
// counterexample saves one, and `cachecheck replay` runs it again against any target.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate/step.h"
#include "model/domain.h"

namespace cachecheck {

struct Script {
  Fixture setup;
  std::vector<Step> steps;
};

// What is known before the first step (`params` for generating; null for checking).
ScriptState initial_state(const Fixture& fixture, const ScenarioParams* params = nullptr, int workers = 1,
                          int ttl_s = 300);

nlohmann::json to_json(const Script& s);
Script script_from_json(const nlohmann::json& j);  // throws std::runtime_error with a reason
// Each step checked against what the steps before it left: "" when consistent.
std::string validate(const Script& s);

}  // namespace cachecheck
