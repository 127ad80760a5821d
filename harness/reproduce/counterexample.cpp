#include "reproduce/counterexample.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "reproduce/narrate.h"

namespace cachecheck {

using nlohmann::json;

bool Counterexample::counts(const Violation& v) const {
  if (v.layer == Layer::client_store && !all_layers) return false;
  return counted_kinds.empty() ||
         std::find(counted_kinds.begin(), counted_kinds.end(), to_string(v.kind)) != counted_kinds.end();
}

json to_json(const Counterexample& c) {
  json j{{"tool", "cachecheck"},
         {"strategy", c.strategy},
         {"scenario", c.scenario},
         {"seed", c.seed},
         {"config",
          {{"strategy", c.config.strategy},
           {"backend", c.config.backend},
           {"workers", c.config.workers},
           {"cache_capacity", c.config.cache_capacity},
           {"ttl_s", c.config.ttl_s},
           {"http_cache", c.config.http_cache}}},
         {"layers", c.all_layers ? "all" : "server"},
         {"counted_kinds", c.counted_kinds},
         {"bound_s", c.bound_s ? json(*c.bound_s) : json(nullptr)},
         {"steps_count", c.script.steps.size()},
         {"script", to_json(c.script)}};
  j["violation"] = c.violation ? to_json(*c.violation) : json(nullptr);
  if (c.history) j["history"] = to_json(*c.history);
  return j;
}

Counterexample counterexample_from_json(const json& j) {
  if (!j.is_object() || j.value("tool", "") != "cachecheck" || !j.contains("script"))
    throw std::runtime_error("not a cachecheck counterexample (needs \"tool\": \"cachecheck\" and a \"script\")");
  Counterexample c;
  try {
    c.strategy = j.at("strategy").get<std::string>();
    c.scenario = j.value("scenario", "");
    c.seed = j.value("seed", std::uint64_t{0});
    auto& cfg = j.at("config");
    c.config.strategy = cfg.value("strategy", c.strategy);
    c.config.backend = cfg.value("backend", "memory");
    c.config.workers = cfg.value("workers", 1);
    c.config.cache_capacity = cfg.value("cache_capacity", std::size_t{0});
    c.config.ttl_s = cfg.value("ttl_s", 300);
    c.config.http_cache = cfg.value("http_cache", "never");
    c.all_layers = j.value("layers", "server") == "all";
    c.counted_kinds = j.value("counted_kinds", std::vector<std::string>{});
    if (j.contains("bound_s") && j["bound_s"].is_number()) c.bound_s = j["bound_s"].get<double>();
    c.script = script_from_json(j.at("script"));
    if (j.contains("history")) c.history = history_from_json(j["history"]);
    if (j.contains("violation") && j["violation"].is_object()) {
      const json& v = j["violation"];
      auto kind = parse_violation_kind(v.at("kind").get<std::string>());
      auto layer = parse_layer(v.at("layer").get<std::string>());
      if (!kind || !layer) throw std::runtime_error("\"violation\" names an unknown kind or layer");
      c.violation = Violation{*kind, v.at("item").get<std::string>(), v.value("user", UserId{0}), v.value("tab", ""),
                              *layer, v.value("staleness_s", 0.0), v.value("op_index", std::size_t{0}),
                              v.value("detail", "")};
    }
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("malformed counterexample: ") + e.what());
  }
  c.config.start_time = c.script.setup.start_time;
  return c;
}

Counterexample load_counterexample(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = json::parse(ss.str(), nullptr, false);
  if (j.is_discarded()) throw std::runtime_error(path + " is not valid JSON");
  try {
    return counterexample_from_json(j);
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

void check_replayable(const Counterexample& c, const Target& target) {
  const std::string& runs = target.capabilities().strategy;
  if (!runs.empty() && !c.strategy.empty() && runs != c.strategy)
    throw TargetError(target.describe() + " runs strategy '" + runs + "', the counterexample was found with '" +
                      c.strategy + "': start it with --strategy " + c.strategy);
}

ReplayResult replay(const Counterexample& c, Target& target, const RunOptions& options) {
  check_replayable(c, target);
  ReplayResult r;
  RunOptions o = options;
  o.seed = c.seed;
  r.run = run_script(target, c.script, o);
  r.verdict = judge(r.run.history);
  auto counted = [&](const Violation& v) { return c.counts(v); };
  // The saved violation when it shows again (a replay may show others beside it).
  const Violation* shown = nullptr;
  if (c.violation)
    shown = r.verdict.first([&](const Violation& v) {
      return counted(v) && v.kind == c.violation->kind && v.layer == c.violation->layer;
    });
  if (!shown) shown = r.verdict.first(counted);
  if (shown) r.shown = *shown;
  r.timeline = narrate(c.script, r.run, r.verdict, counted);
  return r;
}

}  // namespace cachecheck
