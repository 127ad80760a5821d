#include "run/results.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace cachecheck {
namespace {

using nlohmann::json;

json first_to_json(const std::optional<FirstViolation>& f) {
  if (!f) return nullptr;
  return {{"kind", f->kind}, {"item", f->item},           {"user", f->user},
          {"tab", f->tab},   {"layer", f->layer},         {"staleness_s", f->staleness_s}};
}

json staleness_json(const StalenessSamples& s) {
  return {{"bounds_s", std::vector<double>(std::begin(StalenessSamples::kBounds), std::end(StalenessSamples::kBounds))},
          {"counts", s.counts}};
}

}  // namespace

void StalenessSamples::add(double staleness_s) {
  std::size_t i = 0;
  while (i < std::size(kBounds) && staleness_s > kBounds[i]) ++i;
  ++counts[i];
}

std::vector<std::string> CellResult::signature() const {
  std::set<std::string> out;
  for (const auto& [kind, layers] : violations_by_layer)
    for (const auto& [layer, n] : layers)
      if (n > 0) out.insert(kind + "@" + layer);
  if (first_violation) out.insert(first_violation->kind + "@" + first_violation->layer);
  return {out.begin(), out.end()};
}

std::string CellResult::difference() const {
  if (verdict != expected) return "expected " + expected + ", got " + verdict;
  if (verdict != "fail") return "";
  const auto named = [](const std::vector<std::string>& names, const std::string& x) {
    return names.empty() || std::find(names.begin(), names.end(), x) != names.end();
  };
  for (const auto& sig : signature()) {
    const std::string kind = sig.substr(0, sig.find('@')), layer = sig.substr(sig.find('@') + 1);
    if (!named(expected_kinds, kind)) return "fails with " + kind + ", which its expectation does not name";
    if (!named(expected_layers, layer)) return "fails on layer " + layer + ", which its expectation does not name";
  }
  return "";
}

json cell_to_json(const CellResult& c) {
  json out({{"strategy", c.strategy},
                  {"scenario", c.scenario},
                  {"verdict", c.verdict},
                  {"expected", c.expected},
                  {"reason", c.reason},
                  {"cases_run", c.cases_run},
                  {"aborted_cases", c.aborted_cases},
                  {"indeterminate", {{"reads", c.indeterminate_reads}, {"writes", c.indeterminate_writes}}},
                  {"ops", c.ops},
                  {"violations", c.violations},
                  {"client_store_violations", c.client_store_violations},
                  {"violations_by_layer", c.violations_by_layer},
                  {"signature", c.signature()},
                  {"staleness_samples", staleness_json(c.staleness)},
                  {"first_violation", first_to_json(c.first_violation)},
                  {"counterexample", c.counterexample ? json(*c.counterexample) : json(nullptr)},
                  {"counterexample_steps", c.counterexample_steps ? json(*c.counterexample_steps) : json(nullptr)},
                  {"timeline", c.timeline},
                  {"stats",
                   {{"reads", c.stats.reads},
                    {"writes", c.stats.writes},
                    {"hit_rate", c.stats.hit_rate},
                    {"store_queries_per_read", c.stats.store_queries_per_read},
                  {"ideal_hit_rate", c.stats.ideal_hit_rate},
                    {"cache_ops_per_read", c.stats.cache_ops_per_read},
                    {"round_trips_per_read", c.stats.round_trips_per_read},
                    {"cache_ops_per_write", c.stats.cache_ops_per_write},
                    {"round_trips_per_write", c.stats.round_trips_per_write},
                    {"max_staleness_s", c.stats.max_staleness_s},
                    {"p99_staleness_s", c.stats.p99_staleness_s},
                    {"violating_cases", c.stats.violating_cases}}},
                  {"elapsed_s", c.elapsed_s}});
  if (!c.unsupported_reason.empty()) out["unsupported_reason"] = c.unsupported_reason;
  if (!c.expected_kinds.empty()) out["expected_kinds"] = c.expected_kinds;
  if (!c.expected_layers.empty()) out["expected_layers"] = c.expected_layers;
  if (c.difference() != "") out["difference"] = c.difference();
  return out;
}

json to_json(const RunResults& r) {
  json runs = json::array();
  for (auto& c : r.runs) runs.push_back(cell_to_json(c));
  json out = {{"tool", "cachecheck"},
          {"version", r.version},
          {"seed", r.seed},
          {"target", r.target},
          {"backend", r.backend},
          {"cases", r.cases},
          {"workers", r.workers},
          {"http_cache", r.http_cache},
          {"layers", r.layers},
          {"settings_differ", r.settings_differ},
          {"elapsed_s", r.elapsed_s},
          {"ops_checked", r.ops_checked},
          {"interrupted", r.interrupted},
          {"ops_checked_per_s", r.elapsed_s > 0 ? static_cast<double>(r.ops_checked) / r.elapsed_s : 0.0},
          {"runs", runs}};
  if (r.shard) out["shard"] = to_string(*r.shard);
  return out;
}

CellResult cell_from_json(const json& c) {
  CellResult cell;
  cell.strategy = c.at("strategy").get<std::string>();
  cell.scenario = c.at("scenario").get<std::string>();
  cell.verdict = c.at("verdict").get<std::string>();
  cell.expected = c.at("expected").get<std::string>();
  cell.reason = c.value("reason", "");
  cell.cases_run = c.value("cases_run", 0);
  cell.aborted_cases = c.value("aborted_cases", 0);
  cell.unsupported_reason = c.value("unsupported_reason", "");
  cell.ops = c.value("ops", std::uint64_t{0});
  if (c.contains("indeterminate") && c["indeterminate"].is_object()) {
    cell.indeterminate_reads = c["indeterminate"].value("reads", std::uint64_t{0});
    cell.indeterminate_writes = c["indeterminate"].value("writes", std::uint64_t{0});
  }
  cell.violations_by_layer =
      c.value("violations_by_layer", std::map<std::string, std::map<std::string, std::uint64_t>>{});
  if (c.contains("staleness_samples") && c["staleness_samples"].is_object()) {
    auto counts = c["staleness_samples"].value("counts", std::vector<std::uint64_t>{});
    if (counts.size() == cell.staleness.counts.size()) cell.staleness.counts = counts;
  }
  cell.violations = c.value("violations", std::map<std::string, std::uint64_t>{});
  cell.client_store_violations = c.value("client_store_violations", std::map<std::string, std::uint64_t>{});
  if (c.contains("first_violation") && c["first_violation"].is_object()) {
    auto& f = c["first_violation"];
    cell.first_violation = FirstViolation{f.at("kind").get<std::string>(), f.at("item").get<std::string>(),
                                          f.at("layer").get<std::string>(), f.value("user", 0),
                                          f.value("tab", ""), f.value("staleness_s", 0.0)};
  }
  if (c.contains("counterexample") && c["counterexample"].is_string())
    cell.counterexample = c["counterexample"].get<std::string>();
  if (c.contains("counterexample_steps") && c["counterexample_steps"].is_number())
    cell.counterexample_steps = c["counterexample_steps"].get<int>();
  cell.timeline = c.value("timeline", std::vector<std::string>{});
  cell.expected_kinds = c.value("expected_kinds", std::vector<std::string>{});
  cell.expected_layers = c.value("expected_layers", std::vector<std::string>{});
  auto& s = c.at("stats");
  cell.stats = CellStats{s.value("reads", std::uint64_t{0}),         s.value("writes", std::uint64_t{0}),
                         s.value("hit_rate", 0.0),                   s.value("cache_ops_per_write", 0.0),
                         s.value("round_trips_per_write", 0.0),      s.value("max_staleness_s", 0.0),
                         s.value("p99_staleness_s", 0.0), s.value("violating_cases", 0)};
  cell.stats.store_queries_per_read = s.value("store_queries_per_read", 0.0);
  cell.stats.ideal_hit_rate = s.value("ideal_hit_rate", 0.0);
  cell.stats.cache_ops_per_read = s.value("cache_ops_per_read", 0.0);
  cell.stats.round_trips_per_read = s.value("round_trips_per_read", 0.0);
  cell.elapsed_s = c.value("elapsed_s", 0.0);
  return cell;
}

RunResults results_from_json(const json& j) {
  try {
    if (j.value("tool", "") != "cachecheck") throw std::runtime_error("not a cachecheck results.json (no \"tool\": \"cachecheck\")");
    RunResults r;
    r.version = j.value("version", "");
    r.seed = j.at("seed").get<std::uint64_t>();
    r.target = j.value("target", "in-process");
    r.backend = j.value("backend", "memory");
    r.cases = j.value("cases", 0);
    r.workers = j.value("workers", 1);
    r.http_cache = j.value("http_cache", "never");
    r.layers = j.value("layers", "server");
    r.settings_differ = j.value("settings_differ", std::vector<std::string>{});
    r.elapsed_s = j.value("elapsed_s", 0.0);
    r.ops_checked = j.value("ops_checked", std::uint64_t{0});
    r.interrupted = j.value("interrupted", false);
    if (j.contains("shard")) r.shard = parse_shard(j.at("shard").get<std::string>());
    for (auto& c : j.at("runs")) r.runs.push_back(cell_from_json(c));
    return r;
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("malformed results.json: ") + e.what());
  }
}

}  // namespace cachecheck
