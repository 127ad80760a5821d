#include "run/matrix.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include <rapidcheck.h>
#include <rapidcheck/detail/Configuration.h>

#include "generate/scenario.h"
#include "model/ideal.h"
#include "reproduce/counterexample.h"
#include "run/process_pool.h"
#include "reproduce/curl_script.h"
#include "reproduce/narrate.h"
#include "reproduce/spec_curl_script.h"
#include "spec/parse.h"

namespace cachecheck {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// What the cases of one cell add up to (shrinking runs are not counted).
struct Accumulator {
  bool frozen = false;
  int cases = 0, aborted = 0, violating_cases = 0;
  std::string abort_reason;
  std::uint64_t ops = 0, requests = 0, reads = 0, hits = 0, misses = 0, store_queries = 0, probed_reads = 0;
  std::uint64_t read_ops = 0, read_round_trips = 0;
  std::uint64_t writes = 0, write_ops = 0, write_round_trips = 0;
  std::uint64_t indeterminate_reads = 0, indeterminate_writes = 0;
  IdealHits ideal;
  std::map<std::string, std::uint64_t> violations, client_store;
  std::map<std::string, std::map<std::string, std::uint64_t>> by_layer;
  std::vector<double> read_staleness;
  StalenessSamples staleness;
  double max_staleness = 0;

  void add(const History& h, const Verdict& verdict, const std::function<bool(const Violation&)>& counted,
           bool all_layers, int ttl_s) {
    ++cases;
    ideal += ideal_hits(h, ttl_s);
    ops += h.ops.size();
    reads += verdict.reads_checked;
    for (const auto& op : h.ops) {
      bool is_read = op.kind == OpKind::view || op.kind == OpKind::click;
      bool is_write = op.kind == OpKind::create || op.kind == OpKind::edit || op.kind == OpKind::remove;
      bool reached = is_write || op.kind == OpKind::click ||
                     (op.kind == OpKind::view && op.layer && *op.layer != Layer::client_store &&
                      *op.layer != Layer::http_cache);
      requests += reached;
      if (op.outcome == Outcome::indeterminate) {
        if (is_read) ++indeterminate_reads;
        if (is_write) ++indeterminate_writes;
      }
      if (!op.probe) continue;
      if (op.kind == OpKind::view) {
        hits += op.probe->cache_hits;
        misses += op.probe->cache_misses;
        store_queries += op.probe->store_queries;
        read_ops += op.probe->cache_ops();
        read_round_trips += op.probe->round_trips;
        ++probed_reads;
      }
      if (is_write && op.outcome == Outcome::ok) {
        ++writes;
        write_ops += op.probe->cache_ops();
        write_round_trips += op.probe->round_trips;
      }
    }
    if (verdict.first(counted)) ++violating_cases;
    for (const auto& v : verdict.violations) {
      std::string kind(to_string(v.kind));
      if (counted(v)) {
        ++violations[kind];
        ++by_layer[kind][std::string(to_string(v.layer))];
        max_staleness = std::max(max_staleness, v.staleness_s);
      } else if (v.layer == Layer::client_store) {
        ++client_store[kind];
      }
    }
    for (const auto& r : verdict.reads)
      if (r.layer != Layer::client_store || all_layers) {
        read_staleness.push_back(r.staleness_s);
        staleness.add(r.staleness_s);
      }
  }
};

struct Case {
  int workers = 1;
  Script script;
  RunOutput run;
  Verdict verdict;
  bool aborted = false;
};

// Written to a temporary file beside it and renamed: a reader never sees half a file.
void write_file(const fs::path& path, const std::string& text) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp);
    if (!out || !(out << text) || !out.flush()) throw std::runtime_error("cannot write " + path.string());
  }
  fs::rename(tmp, path);
}

double ratio(std::uint64_t a, std::uint64_t b) { return b ? static_cast<double>(a) / static_cast<double>(b) : 0; }

bool stopping(const MatrixOptions& o) { return o.stop && o.stop->load(); }

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
  auto strings = [&](const json& cell, const char* field, const std::string& where) {
    std::vector<std::string> out;
    if (!cell.contains(field)) return out;
    if (!cell[field].is_array()) throw std::runtime_error(path + ": " + where + " \"" + field + "\" must be a list");
    for (const auto& v : cell[field]) {
      if (!v.is_string()) throw std::runtime_error(path + ": " + where + " \"" + field + "\" must list names");
      out.push_back(v.get<std::string>());
    }
    return out;
  };
  Expectations e;
  for (auto& [strategy, row] : j.items()) {
    if (strategy.rfind("_", 0) == 0) continue;  // comments
    if (!row.is_object()) throw std::runtime_error(path + ": '" + strategy + "' must map scenarios to verdicts");
    for (auto& [scenario, cell] : row.items()) {
      std::string where = strategy + " × " + scenario;
      if (!cell.is_object()) throw std::runtime_error(path + ": " + where + " must be an object");
      std::string verdict = cell.value("verdict", "");
      if (verdict != "pass" && verdict != "fail")
        throw std::runtime_error(path + ": " + where + " needs \"verdict\": \"pass\"|\"fail\"");
      Expectation x{verdict, cell.value("reason", ""), strings(cell, "kinds", where), strings(cell, "layers", where)};
      for (const auto& k : x.kinds)
        if (!parse_violation_kind(k)) throw std::runtime_error(path + ": " + where + " names unknown kind '" + k + "'");
      for (const auto& l : x.layers)
        if (!parse_layer(l)) throw std::runtime_error(path + ": " + where + " names unknown layer '" + l + "'");
      e[{strategy, scenario}] = std::move(x);
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
  const TargetKind* kind = find_target_kind(options.target);
  if (!kind) throw TargetError("unknown target '" + options.target + "'");
  auto started = std::chrono::steady_clock::now();
  TargetConfig base = options.config;
  base.strategy = strategy;
  std::uint64_t seed = cell_seed(options.seed, strategy, scenario_name);
  auto counted = [&](const Violation& v) { return scenario->counts(v, options.all_layers); };

  CellResult cell;
  cell.strategy = strategy;
  cell.scenario = scenario_name;
  cell.expected = expectation.verdict;
  cell.reason = expectation.reason;
  cell.expected_kinds = expectation.kinds;
  cell.expected_layers = expectation.layers;

  // A target that connects to a running server is shared by the cell's cases; its
  // capabilities are the server's. One that builds its server declares them per build.
  std::unique_ptr<Target> shared_target;
  Capabilities caps;
  if (kind->builds_server) {
    caps = make_target(options.target, scenario->configure(base, std::max(1, base.workers)))->capabilities();
  } else {
    shared_target = make_target(options.target, base);
    caps = shared_target->capabilities();
    // A running server has one strategy: judging it under another name would mislead.
    if (!caps.strategy.empty() && caps.strategy != strategy)
      throw TargetError(options.target + " runs strategy '" + caps.strategy + "', not '" + strategy +
                        "': pass --strategies " + caps.strategy);
    base.workers = std::max(1, caps.workers);
  }
  cell.unsupported_reason = scenario->unsupported_reason(caps, kind->builds_server);
  if (!cell.unsupported_reason.empty()) {
    cell.verdict = "unsupported";
    cell.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return cell;
  }

  Accumulator acc;
  std::optional<Case> failure;
  // Shrinking keeps the violation the first failing case showed (its kind and
  // layer): a smaller case that fails some other way is not a reduction of it
  // (Hypothesis calls that slippage). So the counterexample shows a violation the
  // cell's counts and signature include.
  std::optional<std::pair<ViolationKind, Layer>> shrinking_to;
  auto reproduces = [&](const Violation& v) {
    return counted(v) && (!shrinking_to || (v.kind == shrinking_to->first && v.layer == shrinking_to->second));
  };
  auto play = [&](std::pair<int, Script> generated) {
    Case c;
    c.workers = generated.first;
    c.script = std::move(generated.second);
    if (stopping(options)) {
      c.aborted = true;
      return c;
    }
    TargetConfig config = scenario->configure(base, c.workers);
    config.start_time = c.script.setup.start_time;
    std::unique_ptr<Target> own = kind->builds_server ? make_target(options.target, config) : nullptr;
    Target& target = own ? *own : *shared_target;
    try {
      c.run = run_script(target, c.script, RunOptions{seed, {}});
    } catch (const TargetError& e) {
      // The target failed under the case (a reset or a fault it could not do).
      if (acc.cases == 0 && acc.aborted == 0) throw;  // the first case: it cannot be used at all
      c.aborted = true;
      if (!acc.frozen) {
        ++acc.aborted;
        if (acc.abort_reason.empty()) acc.abort_reason = e.what();
      }
      return c;
    }
    c.verdict = judge(c.run.history);
    if (!acc.frozen) acc.add(c.run.history, c.verdict, counted, options.all_layers, config.ttl_s);
    return c;
  };
  auto property = [&] {
    if (stopping(options)) return;  // interrupted: the remaining cases are not even generated
    Case c = play(*scenario->generate(base, !kind->builds_server));
    if (c.aborted) return;
    if (const Violation* v = c.verdict.first(reproduces)) {
      acc.frozen = true;
      if (!shrinking_to) shrinking_to = {v->kind, v->layer};
      std::string what = std::string(to_string(v->kind)) + " of " + v->item_id + " for user " + std::to_string(v->user);
      failure = std::move(c);
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
  for (int i = acc.cases + acc.aborted; i < options.cases && !stopping(options); ++i) {
    int size = options.cases > 1 ? i * kMaxSize / (options.cases - 1) : kMaxSize;
    play(scenario->generate(base, !kind->builds_server)(rc::Random(seed + static_cast<std::uint64_t>(i)), size).value());
  }

  cell.cases_run = acc.cases;
  cell.aborted_cases = acc.aborted;
  cell.ops = acc.ops;
  cell.indeterminate_reads = acc.indeterminate_reads;
  cell.indeterminate_writes = acc.indeterminate_writes;
  cell.violations = acc.violations;
  cell.client_store_violations = acc.client_store;
  cell.violations_by_layer = acc.by_layer;
  cell.staleness = acc.staleness;
  cell.stats.violating_cases = acc.violating_cases;
  cell.stats.reads = acc.reads;
  cell.stats.writes = acc.writes;
  cell.stats.hit_rate = ratio(acc.hits, acc.hits + acc.misses);
  cell.stats.store_queries_per_read = ratio(acc.store_queries, acc.probed_reads);
  cell.stats.cache_ops_per_read = ratio(acc.read_ops, acc.probed_reads);
  cell.stats.round_trips_per_read = ratio(acc.read_round_trips, acc.probed_reads);
  cell.stats.ideal_hit_rate = acc.ideal.rate();
  cell.stats.cache_ops_per_write = ratio(acc.write_ops, acc.writes);
  cell.stats.round_trips_per_write = ratio(acc.write_round_trips, acc.writes);
  cell.stats.max_staleness_s = acc.max_staleness;
  if (!acc.read_staleness.empty()) {
    std::sort(acc.read_staleness.begin(), acc.read_staleness.end());
    std::size_t rank = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(acc.read_staleness.size())));
    cell.stats.p99_staleness_s = acc.read_staleness[std::max<std::size_t>(rank, 1) - 1];
  }
  if (ops_checked) *ops_checked += acc.ops;

  std::uint64_t indeterminate = acc.indeterminate_reads + acc.indeterminate_writes;
  if (failure) {
    cell.verdict = "fail";
  } else if (acc.aborted > 0) {
    cell.verdict = "unknown";
    cell.unsupported_reason = std::to_string(acc.aborted) + " case(s) could not finish: " + acc.abort_reason;
  } else if (static_cast<double>(indeterminate) > kMaxIndeterminateFraction * static_cast<double>(acc.requests)) {
    cell.verdict = "unknown";
    cell.unsupported_reason = std::to_string(indeterminate) + " of " + std::to_string(acc.requests) +
                              " requests got no usable answer (indeterminate; more than 5 %): too few answers to judge";
  } else {
    cell.verdict = "pass";
  }
  if (failure) {
    const Case& f = *failure;
    const Violation* v = f.verdict.first(reproduces);
    cell.first_violation = FirstViolation{std::string(to_string(v->kind)), v->item_id,
                                          std::string(to_string(v->layer)), static_cast<int>(v->user), v->tab,
                                          v->staleness_s};
    cell.counterexample_steps = static_cast<int>(f.script.steps.size());
    cell.timeline = narrate(f.script, f.run, f.verdict, counted);
    if (!options.out_dir.empty() && !stopping(options)) {  // a cell cut short is not a result
      Counterexample c;
      c.strategy = strategy;
      c.scenario = scenario_name;
      c.seed = seed;
      c.config = scenario->configure(base, f.workers);
      c.config.start_time = f.script.setup.start_time;
      c.all_layers = options.all_layers;
      if (scenario->counts_kind)
        for (auto k : kViolationKinds)
          if (scenario->counts_kind(Violation{k, "", 0, "", Layer::server_cache, 0, 0, ""}))
            c.counted_kinds.emplace_back(to_string(k));
      c.bound_s = f.run.history.bound_s;
      c.script = f.script;
      c.violation = *v;
      c.history = f.run.history;
      std::string stem = strategy + "--" + scenario_name;
      fs::path dir = fs::path(options.out_dir) / "counterexamples";
      fs::create_directories(dir);
      write_file(dir / (stem + ".json"), to_json(c).dump(2) + "\n");
      const std::string title = strategy + " × " + scenario_name + " (seed " + std::to_string(seed) + ")";
      std::optional<spec::TargetSpec> target_spec;  // a spec target: the script uses the spec's own requests
      if (spec::looks_like_spec_file(options.target)) target_spec = spec::parse_spec_file(options.target).spec;
      write_file(dir / (stem + ".sh"), target_spec
                                           ? spec_curl_script(*target_spec, f.script, f.run, f.verdict, counted, title)
                                           : curl_script(f.script, f.run, f.verdict, counted, title));
      fs::permissions(dir / (stem + ".sh"), fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                      fs::perm_options::add);
      cell.counterexample = "counterexamples/" + stem + ".json";
    }
  }
  cell.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return cell;
}

bool cells_independent(const MatrixOptions& options) {
  const TargetKind* kind = find_target_kind(options.target);
  return kind && kind->builds_server && options.config.backend == "memory";
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
  if (options.config.leases) results.settings_differ.push_back("--leases");
  results.shard = options.shard;

  // The cells this run owns, in matrix order.
  std::vector<std::pair<std::string, std::string>> cells;
  std::size_t position = options.first_position;
  for (auto& strategy : options.strategies)
    for (auto& scenario : options.scenarios)
      if (!options.shard || in_shard(position++, *options.shard)) cells.emplace_back(strategy, scenario);
  const int total = static_cast<int>(cells.size());
  auto expectation_of = [&](const std::pair<std::string, std::string>& cell) {
    auto it = expectations.find(cell);
    return it == expectations.end() ? Expectation{"pass", "no expectation recorded", {}, {}} : it->second;
  };
  auto title = [&](std::size_t i) { return cells[i].first + " × " + cells[i].second; };
  int done = 0;

  if (options.jobs > 1 && cells_independent(options) && total > 1) {
    PoolOptions pool;
    pool.jobs = options.jobs;
    pool.scratch_dir = (fs::path(options.out_dir.empty() ? fs::temp_directory_path() : fs::path(options.out_dir)) /
                        (".cells-" + std::to_string(::getpid())))
                           .string();
    pool.stop = options.stop;
    pool.finished = [&](std::size_t i) {
      if (options.progress) options.progress(title(i), ++done, total);
    };
    auto answers = run_in_processes(
        cells.size(),
        [&](std::size_t i) -> std::optional<std::string> {
          CellResult cell = run_cell(cells[i].first, cells[i].second, options, expectation_of(cells[i]));
          if (stopping(options)) return std::nullopt;  // cut short: not a result
          return cell_to_json(cell).dump();
        },
        pool);
    // In matrix order; a stop leaves the cells under way without a result.
    for (auto& answer : answers) {
      if (!answer) continue;
      results.runs.push_back(cell_from_json(nlohmann::json::parse(*answer)));
      results.ops_checked += results.runs.back().ops;
    }
  } else {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (stopping(options)) break;
      CellResult cell = run_cell(cells[i].first, cells[i].second, options, expectation_of(cells[i]), &results.ops_checked);
      if (stopping(options)) break;  // the cell was cut short: not a result
      results.runs.push_back(std::move(cell));
      if (options.progress) options.progress(title(i), ++done, total);
    }
  }
  results.interrupted = stopping(options);
  results.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return results;
}

}  // namespace cachecheck
