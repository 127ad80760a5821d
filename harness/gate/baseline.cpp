// The baseline file (reports/baseline.json), the settings it was made with, the
// machine description, and the expectations the gate reads.
#include <sys/utsname.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "gate/gate.h"

namespace cachecheck::gate {

using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  return "";
}

std::string csv(const std::vector<std::string>& names) {
  std::string out;
  for (auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

json matrix_json(const MatrixSettings& m) {
  return {{"seed", m.seed},       {"cases", m.cases},           {"target", m.target},         {"backend", m.backend},
          {"workers", m.workers}, {"http_cache", m.http_cache}, {"layers", m.layers},         {"strategies", m.strategies},
          {"scenarios", m.scenarios}};
}

MatrixSettings matrix_from(const json& j) {
  MatrixSettings m;
  m.seed = j.value("seed", std::uint64_t{0});
  m.cases = j.value("cases", 100);
  m.target = j.value("target", "in-process");
  m.backend = j.value("backend", "memory");
  m.workers = j.value("workers", 1);
  m.http_cache = j.value("http_cache", "never");
  m.layers = j.value("layers", "server");
  m.strategies = j.value("strategies", "");
  m.scenarios = j.value("scenarios", "");
  return m;
}

}  // namespace

json machine_description(const reports::Bench* bench) {
  json m = json::object();
  if (auto model = cpu_model(); !model.empty()) m["cpu_model"] = model;
  m["num_cpus"] = std::thread::hardware_concurrency();
  struct utsname u{};
  if (::uname(&u) == 0) {
    m["kernel"] = std::string(u.sysname) + " " + u.release + " " + u.machine;
    m["host_name"] = u.nodename;
  }
  if (bench && bench->context.is_object()) {
    const json& c = bench->context;
    for (const char* key : {"host_name", "num_cpus", "mhz_per_cpu", "caches", "library_build_type", "date"})
      if (c.contains(key)) m[key] = c[key];
  }
  return m;
}

bool same_machine(const json& a, const json& b) {
  auto field = [](const json& j, const char* k) { return j.is_object() && j.contains(k) ? j[k] : json(); };
  return !field(a, "cpu_model").is_null() && field(a, "cpu_model") == field(b, "cpu_model") &&
         field(a, "num_cpus") == field(b, "num_cpus");
}

std::map<std::string, double> cell_counters(const reports::Cell& c) {
  std::map<std::string, double> out = {{"reads", static_cast<double>(c.stats.reads)},
                                       {"writes", static_cast<double>(c.stats.writes)},
                                       {"hit_rate", c.stats.hit_rate},
                                       {"cache_ops_per_write", c.stats.cache_ops_per_write},
                                       {"round_trips_per_write", c.stats.round_trips_per_write}};
  if (c.stats.store_queries_per_read) out["store_queries_per_read"] = *c.stats.store_queries_per_read;
  if (c.stats.ideal_hit_rate) out["ideal_hit_rate"] = *c.stats.ideal_hit_rate;
  if (c.stats.cache_ops_per_read) out["cache_ops_per_read"] = *c.stats.cache_ops_per_read;
  if (c.stats.round_trips_per_read) out["round_trips_per_read"] = *c.stats.round_trips_per_read;
  return out;
}

MatrixSettings settings_of(const reports::Results& r) {
  MatrixSettings m;
  m.seed = r.seed;
  m.cases = r.cases;
  m.target = r.target;
  m.backend = r.backend;
  m.workers = r.workers;
  m.http_cache = r.http_cache;
  m.layers = r.layers;
  std::vector<std::string> strategies, scenarios;
  for (auto& c : r.runs) {
    if (std::find(strategies.begin(), strategies.end(), c.strategy) == strategies.end()) strategies.push_back(c.strategy);
    if (std::find(scenarios.begin(), scenarios.end(), c.scenario) == scenarios.end()) scenarios.push_back(c.scenario);
  }
  m.strategies = csv(strategies);
  m.scenarios = csv(scenarios);
  return m;
}

std::string incompatibility(const MatrixSettings& b, const MatrixSettings& r) {
  std::string out;
  auto check = [&](const char* what, const std::string& base, const std::string& now) {
    if (base != now) out += std::string(out.empty() ? "" : "; ") + what + " " + now + " (baseline: " + base + ")";
  };
  check("seed", std::to_string(b.seed), std::to_string(r.seed));
  check("cases", std::to_string(b.cases), std::to_string(r.cases));
  check("target", b.target, r.target);
  check("backend", b.backend, r.backend);
  check("workers", std::to_string(b.workers), std::to_string(r.workers));
  check("http_cache", b.http_cache, r.http_cache);
  check("layers", b.layers, r.layers);
  return out;
}

Baseline make_baseline(const reports::Results* results, const MatrixSettings* matrix, const reports::Bench* bench,
                       const BenchSettings* bench_settings, const json& machine, const std::string& created) {
  Baseline b;
  b.created = created;
  b.machine = machine;
  if (results) {
    b.version = results->version;
    MatrixSettings m = settings_of(*results);
    if (matrix) {  // what the run was asked for (strategies/scenarios as given)
      m.strategies = matrix->strategies;
      m.scenarios = matrix->scenarios;
    }
    b.matrix = m;
    for (auto& c : results->runs)
      b.cells.push_back({c.strategy, c.scenario, c.verdict, c.expected, c.signature, cell_counters(c)});
  }
  if (bench) {
    b.bench = bench_settings ? *bench_settings : BenchSettings{};
    if (!bench_settings) b.bench->repetitions = bench->repetitions;
    for (auto& [name, f] : bench->benchmarks) {
      if (!f.error.empty()) continue;
      b.benchmarks[name] = {f.samples_ns, f.counter_samples};
    }
  }
  return b;
}

json to_json(const Baseline& b) {
  json cells = json::array();
  for (auto& c : b.cells)
    cells.push_back({{"strategy", c.strategy},
                     {"scenario", c.scenario},
                     {"verdict", c.verdict},
                     {"expected", c.expected},
                     {"signature", c.signature},
                     {"counters", c.counters}});
  json benchmarks = json::object();
  for (auto& [name, f] : b.benchmarks) benchmarks[name] = {{"samples_ns", f.samples_ns}, {"counters", f.counters}};
  json j = {{"tool", "cachecheck"},   {"kind", "baseline"}, {"format", kBaselineFormat},
            {"version", b.version},   {"created", b.created}, {"machine", b.machine}};
  if (b.matrix) j["matrix"] = {{"settings", matrix_json(*b.matrix)}, {"cells", cells}};
  if (b.bench)
    j["bench"] = {{"settings",
                   {{"repetitions", b.bench->repetitions},
                    {"min_time_s", b.bench->min_time_s},
                    {"backends", b.bench->backends},
                    {"filter", b.bench->filter}}},
                  {"benchmarks", benchmarks}};
  return j;
}

Baseline baseline_from_json(const json& j) {
  if (!j.is_object() || j.value("tool", "") != "cachecheck" || j.value("kind", "") != "baseline")
    fail("not a cachecheck baseline (needs \"tool\": \"cachecheck\" and \"kind\": \"baseline\")");
  const int format = j.value("format", 0);
  if (format != kBaselineFormat)
    fail("incompatible baseline: format " + std::to_string(format) + ", this cachecheck reads format " +
         std::to_string(kBaselineFormat) + " (regenerate it with --update-baseline)");
  try {
    Baseline b;
    b.version = j.value("version", "");
    b.created = j.value("created", "");
    b.machine = j.value("machine", json::object());
    if (j.contains("matrix")) {
      const json& m = j["matrix"];
      b.matrix = matrix_from(m.value("settings", json::object()));
      for (auto& c : m.at("cells"))
        b.cells.push_back({c.at("strategy").get<std::string>(), c.at("scenario").get<std::string>(),
                           c.at("verdict").get<std::string>(), c.value("expected", ""),
                           c.value("signature", std::vector<std::string>{}),
                           c.value("counters", std::map<std::string, double>{})});
    }
    if (j.contains("bench")) {
      const json& s = j["bench"].value("settings", json::object());
      b.bench = BenchSettings{s.value("repetitions", 5), s.value("min_time_s", 0.01), s.value("backends", "memory,redis"),
                              s.value("filter", "")};
      const json benchmarks = j["bench"].value("benchmarks", json::object());
      for (auto& [name, f] : benchmarks.items())
        b.benchmarks[name] = {f.value("samples_ns", std::vector<double>{}),
                              f.value("counters", std::map<std::string, std::vector<double>>{})};
    }
    return b;
  } catch (const json::exception& e) {
    fail(std::string("malformed baseline: ") + e.what());
  }
}

Baseline load_baseline(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail("cannot read baseline " + path + " (make one with: cachecheck gate --baseline " + path + " --update-baseline)");
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = json::parse(ss.str(), nullptr, false);
  if (j.is_discarded()) fail("baseline " + path + " is not valid JSON");
  try {
    return baseline_from_json(j);
  } catch (const std::runtime_error& e) {
    fail(path + ": " + e.what());
  }
}

Expectations load_expectations(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail("cannot read expectations " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) fail("expectations " + path + " is not a JSON object");
  Expectations out;
  try {
    for (auto& [strategy, scenarios] : j.items()) {
      if (!scenarios.is_object()) continue;  // "_comment"
      for (auto& [scenario, e] : scenarios.items()) {
        if (!e.is_object()) continue;
        out[{strategy, scenario}] = {e.at("verdict").get<std::string>(), e.value("reason", ""),
                                     e.value("kinds", std::vector<std::string>{}),
                                     e.value("layers", std::vector<std::string>{})};
      }
    }
  } catch (const json::exception& e) {
    fail("malformed expectations " + path + ": " + e.what());
  }
  return out;
}

bool same_counter(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::fabs(a - b) <= 1e-6 * std::max({1.0, std::fabs(a), std::fabs(b)});
}

}  // namespace cachecheck::gate
