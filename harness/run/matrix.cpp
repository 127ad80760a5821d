#include "run/matrix.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <iostream>

#include <rapidcheck.h>
#include <rapidcheck/detail/Configuration.h>

#include "reproduce/counterexample.h"
#include "reproduce/curl_script.h"
#include "reproduce/narrate.h"
#include "generate/scenario.h"

namespace cachecheck {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct Accumulator {
  bool frozen = false;  // after the first failure, shrinking runs are not counted
  int cases = 0;
  std::uint64_t reads = 0, writes = 0, hits = 0, misses = 0, write_ops = 0, write_round_trips = 0, ops = 0;
  int violating_cases = 0;
  std::map<std::string, std::uint64_t> violations, client_store;
  std::vector<double> read_staleness;
  double max_staleness = 0;
};

struct Failure {
  int workers = 1;
  Script script;
  RunOutput run;
  Verdict verdict;
};

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  if (!out || !(out << text)) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

void quiet_rapidcheck() {
  // RapidCheck announces its configuration on stderr the first time it loads it;
  // our seed is the one that matters, and it is reported in the results.
  auto* saved = std::cerr.rdbuf(nullptr);
  rc::detail::configuration();
  std::cerr.rdbuf(saved);
}

Expectations load_expectations(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read expectations " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = json::parse(ss.str(), nullptr, false);
  if (!j.is_object()) throw std::runtime_error(path + " is not a JSON object");
  Expectations e;
  for (auto& [strategy, row] : j.items()) {
    if (strategy.rfind("_", 0) == 0) continue;  // comments
    if (!row.is_object()) throw std::runtime_error(path + ": '" + strategy + "' must map scenarios to verdicts");
    for (auto& [scenario, cell] : row.items()) {
      std::string verdict = cell.value("verdict", "");
      if (verdict != "pass" && verdict != "fail")
        throw std::runtime_error(path + ": " + strategy + " × " + scenario + " needs \"verdict\": \"pass\"|\"fail\"");
      e[{strategy, scenario}] = Expectation{verdict, cell.value("reason", "")};
    }
  }
  return e;
}

std::uint64_t cell_seed(std::uint64_t seed, const std::string& strategy, const std::string& scenario) {
  std::uint64_t h = 1469598103934665603ULL ^ seed;  // FNV-1a over the names
  for (char c : strategy + "×" + scenario) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

CellResult run_cell(const std::string& strategy, const std::string& scenario_name, const MatrixOptions& options,
                    const Expectation& expectation, std::uint64_t* ops_checked) {
  const Scenario* scenario = find_scenario(scenario_name);
  if (!scenario) throw std::runtime_error("unknown scenario '" + scenario_name + "'");
  auto started = std::chrono::steady_clock::now();
  TargetConfig base = options.config;
  base.strategy = strategy;
  std::uint64_t seed = cell_seed(options.seed, strategy, scenario_name);
  auto counted = [&](const Violation& v) { return scenario->counts(v, options.all_layers); };
  bool in_process = options.target == "in-process";
  std::unique_ptr<Target> shared_target;  // an HTTP server keeps its own configuration
  if (!in_process) {
    shared_target = make_target(options.target, base);
    // A running server has one strategy: judging it under another name would mislead.
    auto served = shared_target->stats().value("strategy", strategy);
    if (served != strategy)
      throw std::runtime_error(options.target + " runs strategy '" + served + "', not '" + strategy +
                               "': pass --strategies " + served);
  }

  Accumulator acc;
  std::optional<Failure> last_failure;
  // One case: generate, run, judge; counts it unless shrinking is under way.
  struct Case {
    int workers;
    Script script;
    RunOutput run;
    Verdict verdict;
  };
  auto play = [&](std::pair<int, Script> generated) {
    auto& [workers, script] = generated;
    TargetConfig config = scenario->configure(base, workers);
    config.start_time = script.setup.start_time;
    std::unique_ptr<Target> own = in_process ? make_target("in-process", config) : nullptr;
    Target& target = in_process ? *own : *shared_target;
    RunOutput run = run_script(target, script, seed, declared_bound(config));
    Verdict verdict = judge(run.history);
    if (!acc.frozen) {
      ++acc.cases;
      auto stats = target.stats();
      acc.hits += stats["cache"].value("hits", std::uint64_t{0});
      acc.misses += stats["cache"].value("misses", std::uint64_t{0});
      acc.reads += verdict.reads_checked;
      acc.ops += run.history.ops.size();
      acc.writes += run.writes_measured;
      acc.write_ops += run.write_cache_ops;
      acc.write_round_trips += run.write_round_trips;
      if (verdict.first(counted)) ++acc.violating_cases;
      for (auto& v : verdict.violations) {
        if (counted(v)) {
          ++acc.violations[v.kind];
          acc.max_staleness = std::max(acc.max_staleness, v.staleness_s);
        } else if (v.layer == Layer::client_store) {
          ++acc.client_store[v.kind];
        }
      }
      for (auto& r : verdict.reads)
        if (r.layer != Layer::client_store || options.all_layers) acc.read_staleness.push_back(r.staleness_s);
    }
    return Case{workers, std::move(script), std::move(run), std::move(verdict)};
  };
  auto property = [&] {
    Case c = play(*scenario->generate(base));
    if (const Violation* v = c.verdict.first(counted)) {
      acc.frozen = true;
      std::string what = v->kind + " of " + v->item_id + " for user " + std::to_string(v->user);
      last_failure = Failure{c.workers, std::move(c.script), std::move(c.run), std::move(c.verdict)};
      RC_FAIL(what);
    }
  };
  constexpr int kMaxSize = 40;
  rc::detail::TestParams params;
  params.seed = seed;
  params.maxSuccess = options.cases;
  params.maxSize = kMaxSize;
  auto result = rc::detail::checkTestable(property, rc::detail::TestMetadata{}, params);
  if (result.is<rc::detail::Error>())
    throw std::runtime_error(strategy + " × " + scenario_name + ": " + result.get<rc::detail::Error>().description);
  if (result.is<rc::detail::GaveUpResult>())
    throw std::runtime_error(strategy + " × " + scenario_name + ": " + result.get<rc::detail::GaveUpResult>().description);
  // RapidCheck stops at the first failure. To say how often and how stale, the
  // rest of the cases are still generated (same sizes, seeded) and measured.
  acc.frozen = false;
  for (int i = acc.cases; i < options.cases; ++i) {
    int size = options.cases > 1 ? i * kMaxSize / (options.cases - 1) : kMaxSize;
    play(scenario->generate(base)(rc::Random(seed + static_cast<std::uint64_t>(i)), size).value());
  }

  CellResult cell;
  cell.strategy = strategy;
  cell.scenario = scenario_name;
  cell.expected = expectation.verdict;
  cell.reason = expectation.reason;
  cell.cases_run = acc.cases;
  cell.stats.violating_cases = acc.violating_cases;
  cell.violations = acc.violations;
  cell.client_store_violations = acc.client_store;
  cell.stats.reads = acc.reads;
  cell.stats.writes = acc.writes;
  cell.stats.hit_rate = acc.hits + acc.misses ? static_cast<double>(acc.hits) / static_cast<double>(acc.hits + acc.misses) : 0;
  cell.stats.cache_ops_per_write = acc.writes ? static_cast<double>(acc.write_ops) / static_cast<double>(acc.writes) : 0;
  cell.stats.round_trips_per_write =
      acc.writes ? static_cast<double>(acc.write_round_trips) / static_cast<double>(acc.writes) : 0;
  cell.stats.max_staleness_s = acc.max_staleness;
  if (!acc.read_staleness.empty()) {
    std::sort(acc.read_staleness.begin(), acc.read_staleness.end());
    std::size_t rank = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(acc.read_staleness.size())));
    cell.stats.p99_staleness_s = acc.read_staleness[std::max<std::size_t>(rank, 1) - 1];
  }
  if (ops_checked) *ops_checked += acc.ops;

  cell.verdict = last_failure ? "fail" : "pass";
  if (last_failure) {
    const Failure& f = *last_failure;
    const Violation* v = f.verdict.first(counted);
    cell.first_violation = FirstViolation{v->kind, v->item_id, std::string(to_string(v->layer)), v->user, v->tab,
                                          v->staleness_s};
    cell.counterexample_steps = static_cast<int>(f.script.steps.size());
    cell.timeline = narrate(f.script, f.run, f.verdict, counted);
    if (!options.out_dir.empty()) {
      Counterexample c;
      c.strategy = strategy;
      c.scenario = scenario_name;
      c.seed = seed;
      c.config = scenario->configure(base, f.workers);
      c.config.start_time = f.script.setup.start_time;
      c.all_layers = options.all_layers;
      if (scenario->counts_kind)
        for (auto kind : kViolationKinds)
          if (scenario->counts_kind(Violation{std::string(kind), "", 0, "", Layer::server_cache, 0, 0, ""}))
            c.counted_kinds.emplace_back(kind);
      c.bound_s = declared_bound(c.config);
      c.script = f.script;
      c.violation = *v;
      c.history = f.run.history;
      std::string stem = strategy + "--" + scenario_name;
      fs::path dir = fs::path(options.out_dir) / "counterexamples";
      fs::create_directories(dir);
      write_file(dir / (stem + ".json"), to_json(c).dump(2) + "\n");
      write_file(dir / (stem + ".sh"), curl_script(f.script, strategy + " × " + scenario_name));
      fs::permissions(dir / (stem + ".sh"), fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                      fs::perm_options::add);
      cell.counterexample = "counterexamples/" + stem + ".json";
    }
  }
  cell.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return cell;
}

RunResults run_matrix(const MatrixOptions& options, const Expectations& expectations) {
  quiet_rapidcheck();
  auto started = std::chrono::steady_clock::now();
  RunResults results;
  results.seed = options.seed;
  results.target = options.target;
  results.backend = options.config.backend;
  results.cases = options.cases;
  results.workers = options.config.workers;
  results.http_cache = options.config.http_cache;
  results.layers = options.all_layers ? "all" : "server";
  if (options.config.backend != "memory") results.settings_differ.push_back("--backend " + options.config.backend);
  if (options.config.workers != 1) results.settings_differ.push_back("--workers " + std::to_string(options.config.workers));
  if (options.config.http_cache != "never") results.settings_differ.push_back("--http-cache " + options.config.http_cache);
  if (options.target != "in-process") results.settings_differ.push_back("--target " + options.target);
  if (options.all_layers) results.settings_differ.push_back("--layers all");
  int total = static_cast<int>(options.strategies.size() * options.scenarios.size()), done = 0;
  for (auto& strategy : options.strategies)
    for (auto& scenario : options.scenarios) {
      std::string name = strategy + " × " + scenario;
      auto it = expectations.find({strategy, scenario});
      Expectation e = it == expectations.end() ? Expectation{"pass", "no expectation recorded"} : it->second;
      results.runs.push_back(run_cell(strategy, scenario, options, e, &results.ops_checked));
      ++done;
      if (options.progress) options.progress(name, done, total);
    }
  results.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return results;
}

}  // namespace cachecheck
