// Typed readers of results.json, counterexamples, bench.json and gate.json
// (and the writer of gate.json). Fields added after the first format are optional.
#include "cachecheck_reports/documents.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cachecheck::reports {

using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

template <class T>
std::optional<T> optional_number(const json& j, const char* key) {
  if (j.contains(key) && j[key].is_number()) return j[key].get<T>();
  return std::nullopt;
}

std::string text_of(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(std::string("cannot read ") + what + " " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs a reader; an error that does not name the file gets its path in front.
template <class F>
auto naming(const std::string& path, F read) -> decltype(read()) {
  try {
    return read();
  } catch (const std::runtime_error& e) {
    std::string what = e.what();
    if (what.find(path) != std::string::npos) throw;
    fail(path + ": " + what);
  }
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double to_ns(double t, const std::string& unit) {
  if (unit == "us") return t * 1e3;
  if (unit == "ms") return t * 1e6;
  if (unit == "s") return t * 1e9;
  return t;  // "ns"
}

// Fields of a Google Benchmark run that are not user counters.
bool known_field(const std::string& k) {
  static const char* const kKnown[] = {"name",          "family_index",   "per_family_instance_index",
                                       "run_name",      "run_type",       "repetitions",
                                       "repetition_index", "threads",     "iterations",
                                       "real_time",     "cpu_time",       "time_unit",
                                       "aggregate_name", "aggregate_unit", "label",
                                       "error_occurred", "error_message"};
  return std::any_of(std::begin(kKnown), std::end(kKnown), [&](const char* f) { return k == f; });
}

Cell cell_from_json(const json& c) {
  Cell cell;
  cell.strategy = c.at("strategy").get<std::string>();
  cell.scenario = c.at("scenario").get<std::string>();
  cell.verdict = c.at("verdict").get<std::string>();
  cell.expected = c.value("expected", std::string());
  cell.reason = c.value("reason", "");
  cell.unsupported_reason = c.value("unsupported_reason", "");
  cell.cases_run = c.value("cases_run", 0);
  cell.violations = c.value("violations", std::map<std::string, std::uint64_t>{});
  cell.client_store_violations = c.value("client_store_violations", std::map<std::string, std::uint64_t>{});
  if (c.contains("violations_by_layer") && c["violations_by_layer"].is_object())
    cell.violations_by_layer = c["violations_by_layer"].get<std::map<std::string, std::map<std::string, std::uint64_t>>>();
  if (c.contains("signature") && c["signature"].is_array()) {
    cell.signature = c["signature"].get<std::vector<std::string>>();
  } else if (!cell.violations_by_layer.empty()) {
    for (auto& [kind, layers] : cell.violations_by_layer)
      for (auto& [layer, n] : layers)
        if (n > 0) cell.signature.push_back(kind + "@" + layer);
  } else {
    for (auto& [kind, n] : cell.violations)
      if (n > 0) cell.signature.push_back(kind);  // the layer is not known
  }
  std::sort(cell.signature.begin(), cell.signature.end());
  if (c.contains("indeterminate") && c["indeterminate"].is_object())
    cell.indeterminate = Indeterminate{c["indeterminate"].value("reads", std::uint64_t{0}),
                                       c["indeterminate"].value("writes", std::uint64_t{0})};
  if (c.contains("first_violation") && c["first_violation"].is_object()) {
    auto& f = c["first_violation"];
    cell.first_violation = FirstViolation{f.value("kind", ""), f.value("item", ""), f.value("layer", ""),
                                          f.value("tab", ""), f.value("user", 0), f.value("staleness_s", 0.0)};
  }
  if (c.contains("difference") && c["difference"].is_string() && cell.verdict == cell.expected)
    cell.difference = c["difference"].get<std::string>();
  if (c.contains("counterexample") && c["counterexample"].is_string())
    cell.counterexample = c["counterexample"].get<std::string>();
  if (c.contains("counterexample_steps") && c["counterexample_steps"].is_number())
    cell.counterexample_steps = c["counterexample_steps"].get<int>();
  cell.timeline = c.value("timeline", std::vector<std::string>{});
  if (c.contains("stats") && c["stats"].is_object()) {
    auto& s = c["stats"];
    cell.stats.reads = s.value("reads", std::uint64_t{0});
    cell.stats.writes = s.value("writes", std::uint64_t{0});
    cell.stats.hit_rate = s.value("hit_rate", 0.0);
    cell.stats.cache_ops_per_write = s.value("cache_ops_per_write", 0.0);
    cell.stats.round_trips_per_write = s.value("round_trips_per_write", 0.0);
    cell.stats.store_queries_per_read = optional_number<double>(s, "store_queries_per_read");
    cell.stats.ideal_hit_rate = optional_number<double>(s, "ideal_hit_rate");
    cell.stats.cache_ops_per_read = optional_number<double>(s, "cache_ops_per_read");
    cell.stats.round_trips_per_read = optional_number<double>(s, "round_trips_per_read");
    cell.stats.max_staleness_s = s.value("max_staleness_s", 0.0);
    cell.stats.p99_staleness_s = s.value("p99_staleness_s", 0.0);
    cell.stats.violating_cases = s.value("violating_cases", 0);
  }
  const json* samples = nullptr;
  if (c.contains("staleness_samples")) samples = &c["staleness_samples"];
  else if (c.contains("stats") && c["stats"].contains("staleness_samples")) samples = &c["stats"]["staleness_samples"];
  if (samples && samples->is_object()) {
    StalenessHistogram h;
    h.bounds_s = samples->value("bounds_s", std::vector<double>{});
    h.counts = samples->value("counts", std::vector<std::uint64_t>{});
    if (h.counts.size() != h.bounds_s.size() + 1 && h.counts.size() != h.bounds_s.size())
      fail("staleness_samples of " + cell.strategy + " × " + cell.scenario + ": " + std::to_string(h.counts.size()) +
           " counts for " + std::to_string(h.bounds_s.size()) + " bounds");
    cell.staleness = std::move(h);
  }
  cell.elapsed_s = c.value("elapsed_s", 0.0);
  return cell;
}

}  // namespace

std::uint64_t StalenessHistogram::total() const {
  std::uint64_t n = 0;
  for (auto c : counts) n += c;
  return n;
}

json read_json_file(const std::string& path, const char* what) {
  auto j = json::parse(text_of(path, what), nullptr, false);
  if (j.is_discarded()) fail(path + " is not valid JSON");
  return j;
}

Results results_from_json(const json& j) {
  if (!j.is_object() || j.value("tool", "") != "cachecheck" || !j.contains("runs"))
    fail("not a cachecheck results.json (needs \"tool\": \"cachecheck\" and \"runs\")");
  try {
    Results r;
    r.version = j.value("version", "");
    r.seed = j.value("seed", std::uint64_t{0});
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
    for (auto& c : j.at("runs")) r.runs.push_back(cell_from_json(c));
    return r;
  } catch (const json::exception& e) {
    fail(std::string("malformed results.json: ") + e.what());
  }
}

Results load_results(const std::string& path) {
  return naming(path, [&] {
    Results r = results_from_json(read_json_file(path, "results"));
    r.dir = std::filesystem::path(path).parent_path().generic_string();
    return r;
  });
}

Counterexample counterexample_from_json(const json& j) {
  if (!j.is_object() || j.value("tool", "") != "cachecheck" || !j.contains("script"))
    fail("not a cachecheck counterexample (needs \"tool\": \"cachecheck\" and a \"script\")");
  Counterexample c;
  c.strategy = j.value("strategy", "");
  c.scenario = j.value("scenario", "");
  c.seed = j.value("seed", std::uint64_t{0});
  const json& script = j["script"];
  if (!script.is_object() || !script.contains("steps") || !script["steps"].is_array())
    fail("counterexample without script.steps");
  c.steps = script["steps"];
  if (script.contains("setup") && script["setup"].is_object() && script["setup"].contains("items"))
    c.items = script["setup"]["items"];
  if (j.contains("history") && j["history"].is_object() && j["history"].contains("ops") && j["history"]["ops"].is_array())
    c.ops = j["history"]["ops"];
  c.violation = j.value("violation", json());
  return c;
}

Counterexample load_counterexample(const std::string& path) {
  return naming(path, [&] { return counterexample_from_json(read_json_file(path, "counterexample")); });
}

// ---- bench.json --------------------------------------------------------------

json parse_bench_json(const std::string& text) {
  static const char* const kNonFinite[] = {"-Infinity", "Infinity", "-NaN", "NaN", "-nan", "nan", "-inf", "inf"};
  std::string clean;
  clean.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      clean += c;
      if (c == '\\' && i + 1 < text.size()) clean += text[++i];
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      clean += c;
      continue;
    }
    bool replaced = false;
    for (const char* token : kNonFinite) {
      const std::size_t n = std::strlen(token);
      if (text.compare(i, n, token) == 0) {
        clean += "null";
        i += n - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) clean += c;
  }
  return json::parse(clean, nullptr, false);
}

const Benchmark* Bench::get(const std::string& name) const {
  auto it = benchmarks.find(name);
  return it == benchmarks.end() ? nullptr : &it->second;
}

Bench bench_from_json(const json& j) {
  if (!j.is_object() || !j.contains("benchmarks") || !j["benchmarks"].is_array())
    fail("not Google Benchmark JSON (no \"benchmarks\" array)");
  struct Group {
    const json* median = nullptr;
    std::vector<const json*> iterations;
    std::string error;
    int repetitions = 1;
  };
  std::map<std::string, Group> groups;
  for (const auto& b : j["benchmarks"]) {
    if (!b.is_object()) continue;
    std::string name = b.value("run_name", b.value("name", std::string()));
    if (name.empty()) continue;
    Group& g = groups[name];
    if (b.contains("repetitions") && b["repetitions"].is_number()) g.repetitions = b["repetitions"].get<int>();
    if (b.value("error_occurred", false)) {
      g.error = b.value("error_message", std::string("skipped"));
      continue;
    }
    if (b.value("run_type", std::string("iteration")) == "aggregate") {
      if (b.value("aggregate_name", std::string()) == "median") g.median = &b;
    } else {
      g.iterations.push_back(&b);
    }
  }
  Bench out;
  if (j.contains("context") && j["context"].is_object()) out.context = j["context"];
  for (auto& [name, g] : groups) {
    Benchmark f;
    f.name = name;
    f.repetitions = g.repetitions;
    out.repetitions = std::max(out.repetitions, g.repetitions);
    for (const json* r : g.iterations) {
      const std::string unit = r->value("time_unit", std::string("ns"));
      if (r->contains("real_time") && (*r)["real_time"].is_number())
        f.samples_ns.push_back(to_ns((*r)["real_time"].get<double>(), unit));
      for (auto it = r->begin(); it != r->end(); ++it)
        if (!known_field(it.key()) && it.value().is_number()) f.counter_samples[it.key()].push_back(it.value().get<double>());
      if (f.label.empty()) f.label = r->value("label", std::string());
    }
    if (g.median) {
      const json& m = *g.median;
      const std::string unit = m.value("time_unit", std::string("ns"));
      if (m.contains("real_time") && m["real_time"].is_number()) f.real_ns = to_ns(m["real_time"].get<double>(), unit);
      if (m.contains("cpu_time") && m["cpu_time"].is_number()) f.cpu_ns = to_ns(m["cpu_time"].get<double>(), unit);
      for (auto it = m.begin(); it != m.end(); ++it)
        if (!known_field(it.key()) && it.value().is_number()) f.counters[it.key()] = it.value().get<double>();
      if (f.label.empty()) f.label = m.value("label", std::string());
    } else if (!g.iterations.empty()) {
      if (!f.samples_ns.empty()) f.real_ns = median_of(f.samples_ns);
      std::vector<double> cpu;
      for (const json* r : g.iterations)
        if (r->contains("cpu_time") && (*r)["cpu_time"].is_number())
          cpu.push_back(to_ns((*r)["cpu_time"].get<double>(), r->value("time_unit", std::string("ns"))));
      if (!cpu.empty()) f.cpu_ns = median_of(cpu);
      for (auto& [k, v] : f.counter_samples) f.counters[k] = median_of(v);
    }
    if (!g.median && g.iterations.empty()) f.error = g.error.empty() ? "no result" : g.error;
    out.benchmarks[name] = std::move(f);
  }
  return out;
}

Bench load_bench(const std::string& path) {
  return naming(path, [&] {
    json j = parse_bench_json(text_of(path, "bench"));
    if (j.is_discarded()) fail(path + " is not valid JSON");
    return bench_from_json(j);
  });
}

// ---- gate.json -----------------------------------------------------------------

bool GateReport::passed() const { return failing() == 0; }

std::size_t GateReport::count(const std::string& status) const {
  return static_cast<std::size_t>(
      std::count_if(checks.begin(), checks.end(), [&](const GateCheck& c) { return c.status == status; }));
}

std::size_t GateReport::failing() const {
  return static_cast<std::size_t>(std::count_if(checks.begin(), checks.end(), [](const GateCheck& c) { return c.fails; }));
}

namespace {
json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
}  // namespace

json to_json(const GateReport& g) {
  json checks = json::array();
  for (auto& c : g.checks) {
    json changes = json::array();
    for (auto& ch : c.changes) changes.push_back({{"metric", ch.metric}, {"baseline", ch.baseline}, {"current", ch.current}});
    json j = {{"group", c.group}, {"subject", c.subject}, {"status", c.status}, {"fails", c.fails},
              {"message", c.message}};
    if (!c.replay.empty()) j["replay"] = c.replay;
    if (!changes.empty()) j["changes"] = changes;
    if (c.group == "times") {
      j["baseline_median_ns"] = opt(c.baseline_ns);
      j["current_median_ns"] = opt(c.current_ns);
      j["change_pct"] = opt(c.change_pct);
      j["p_value"] = opt(c.p_value);
      j["n_baseline"] = c.n_baseline;
      j["n_current"] = c.n_current;
    }
    checks.push_back(std::move(j));
  }
  return {{"tool", "cachecheck"},
          {"kind", "gate"},
          {"version", g.version},
          {"baseline", g.baseline},
          {"results", g.results},
          {"bench", g.bench},
          {"alpha", g.alpha},
          {"threshold_pct", g.threshold_pct},
          {"strict", g.strict},
          {"times", g.times},
          {"times_note", g.times_note},
          {"baseline_machine", g.baseline_machine},
          {"passed", g.passed()},
          {"regressions", g.failing()},
          {"improvements", g.count("improvement")},
          {"notes", g.notes},
          {"checks", checks}};
}

GateReport gate_from_json(const json& j) {
  if (!j.is_object() || j.value("tool", "") != "cachecheck" || j.value("kind", "") != "gate" || !j.contains("checks"))
    fail("not a cachecheck gate.json (needs \"tool\": \"cachecheck\", \"kind\": \"gate\" and \"checks\")");
  try {
    GateReport g;
    g.version = j.value("version", "");
    g.baseline = j.value("baseline", "");
    g.results = j.value("results", "");
    g.bench = j.value("bench", "");
    g.alpha = j.value("alpha", 0.05);
    g.threshold_pct = j.value("threshold_pct", 10.0);
    g.strict = j.value("strict", false);
    g.times = j.value("times", "enforce");
    g.times_note = j.value("times_note", "");
    g.baseline_machine = j.value("baseline_machine", json::object());
    g.notes = j.value("notes", std::vector<std::string>{});
    for (auto& c : j.at("checks")) {
      GateCheck k;
      k.group = c.at("group").get<std::string>();
      k.subject = c.at("subject").get<std::string>();
      k.status = c.at("status").get<std::string>();
      k.fails = c.value("fails", false);
      k.message = c.value("message", "");
      k.replay = c.value("replay", "");
      if (c.contains("changes"))
        for (auto& ch : c["changes"])
          k.changes.push_back({ch.at("metric").get<std::string>(), ch.value("baseline", 0.0), ch.value("current", 0.0)});
      k.baseline_ns = optional_number<double>(c, "baseline_median_ns");
      k.current_ns = optional_number<double>(c, "current_median_ns");
      k.change_pct = optional_number<double>(c, "change_pct");
      k.p_value = optional_number<double>(c, "p_value");
      k.n_baseline = c.value("n_baseline", 0);
      k.n_current = c.value("n_current", 0);
      g.checks.push_back(std::move(k));
    }
    return g;
  } catch (const json::exception& e) {
    fail(std::string("malformed gate.json: ") + e.what());
  }
}

GateReport load_gate(const std::string& path) {
  return naming(path, [&] { return gate_from_json(read_json_file(path, "gate")); });
}

}  // namespace cachecheck::reports
