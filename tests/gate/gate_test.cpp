// The gate's rules on synthetic baseline, results and bench documents: an
// unchanged run passes; a broken strategy, a new violation kind or layer in an
// expected failure, a changed counter and a slower benchmark (Mann–Whitney) fail;
// an expected failure that passes is an improvement that fails only with
// --strict; incompatible results are refused. The U test against published values.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "cachecheck_reports/render.h"
#include "gate/gate.h"
#include "gate/mann_whitney.h"

namespace {

namespace g = cachecheck::gate;
namespace rp = cachecheck::reports;
using nlohmann::json;

// ---- the U test ----------------------------------------------------------------------

TEST(MannWhitney, ExactPValuesMatchPublishedOnes) {
  // scipy.stats.mannwhitneyu's documented example (males vs females):
  // U = 17, exact two-sided p = 0.1111111111111111.
  auto t = g::mann_whitney_u({19, 22, 16, 29, 24}, {20, 11, 17, 12});
  EXPECT_TRUE(t.exact);
  EXPECT_DOUBLE_EQ(t.u, 17);
  EXPECT_NEAR(t.p, 0.1111111111111111, 1e-12);
  // Completely separated samples of 5 and 5: p = 2 / C(10, 5) = 2 / 252, either way round.
  EXPECT_NEAR(g::mann_whitney_u({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}).p, 2.0 / 252, 1e-12);
  EXPECT_NEAR(g::mann_whitney_u({6, 7, 8, 9, 10}, {1, 2, 3, 4, 5}).p, 2.0 / 252, 1e-12);
  // 3 and 3 can never be significant at 0.05: the smallest p is 2 / 20.
  EXPECT_NEAR(g::mann_whitney_u({1, 2, 3}, {4, 5, 6}).p, 0.1, 1e-12);
  EXPECT_NEAR(g::smallest_p(3, 3), 0.1, 1e-12);
  EXPECT_NEAR(g::smallest_p(5, 5), 2.0 / 252, 1e-12);
  // Identical distributions: p = 1 at the centre.
  EXPECT_NEAR(g::mann_whitney_u({1, 4}, {2, 3}).p, 1.0, 1e-12);
}

TEST(MannWhitney, NormalApproximationWithContinuityAndTies) {
  // scipy's example with method="asymptotic": p = 0.11134688653314041.
  auto normal = g::mann_whitney_u({19, 22, 16, 29, 24}, {20, 11, 17, 12}, true);
  EXPECT_FALSE(normal.exact);
  EXPECT_NEAR(normal.p, 0.11134688653314041, 1e-12);
  // Ties: x = {1, 2, 2, 3}, y = {2, 3, 3, 4}. Mean ranks 1, 3, 3, 6 | 3, 6, 6, 8: R1 = 13, U1 = 3,
  // U2 = 13; mu = 8; tie term Σ(t³ − t) = 24 + 24; σ² = 16/12 · (9 − 48/56) = 10.857142…;
  // z = (13 − 8 − 0.5) / σ = 1.365698…; p = erfc(z / √2) = 0.172034…
  auto t = g::mann_whitney_u({1, 2, 2, 3}, {2, 3, 3, 4});
  EXPECT_FALSE(t.exact);
  EXPECT_DOUBLE_EQ(t.u, 3);
  const double z = 4.5 / std::sqrt(16.0 / 12 * (9 - 48.0 / 56));
  EXPECT_NEAR(t.p, std::erfc(z / std::sqrt(2.0)), 1e-12);
  EXPECT_NEAR(t.p, 0.172034, 1e-5);
  // All values equal: no evidence at all.
  EXPECT_DOUBLE_EQ(g::mann_whitney_u({5, 5, 5}, {5, 5, 5}).p, 1.0);
  EXPECT_DOUBLE_EQ(g::mann_whitney_u({}, {1, 2}).p, 1.0);
}

TEST(MannWhitney, LargeSamplesUseTheApproximation) {
  std::vector<double> a, b;
  for (int i = 0; i < 60; ++i) {
    a.push_back(i);
    b.push_back(i + 30);
  }
  auto t = g::mann_whitney_u(a, b);
  EXPECT_FALSE(t.exact);
  EXPECT_LT(t.p, 1e-6);
}

// ---- synthetic documents ------------------------------------------------------------------

json cell(const std::string& strategy, const std::string& scenario, const std::string& verdict,
          const std::string& expected, std::vector<std::string> signature = {}) {
  json c = {{"strategy", strategy},
            {"scenario", scenario},
            {"verdict", verdict},
            {"expected", expected},
            {"cases_run", 50},
            {"signature", signature},
            {"stats",
             {{"reads", 300},
              {"writes", 90},
              {"hit_rate", 0.6},
              {"cache_ops_per_write", 1.0},
              {"round_trips_per_write", 2.0},
              {"store_queries_per_read", 0.4}}}};
  if (verdict == "fail") {
    c["first_violation"] = {{"kind", "stale-visible"}, {"item", "i1"}, {"user", 1}, {"tab", "alice-1"},
                            {"layer", "server-cache"}, {"staleness_s", 0.003}};
    c["counterexample"] = "counterexamples/" + strategy + "--" + scenario + ".json";
  }
  return c;
}

json results_json() {
  return {{"tool", "cachecheck"},
          {"version", "0.1.0"},
          {"seed", 7},
          {"cases", 50},
          {"runs",
           {cell("robust", "multi-tab", "pass", "pass"),
            cell("sweep", "multi-tab", "fail", "fail", {"stale-visible@server-cache"}),
            cell("sweep", "edits", "fail", "fail", {"stale-content@server-cache"}),
            cell("robust", "edits", "pass", "pass")}}};
}

rp::Results results(const json& j) {
  auto r = rp::results_from_json(j);
  r.dir = "out";
  return r;
}

rp::Benchmark benchmark(const std::string& name, std::vector<double> samples_ns, std::map<std::string, double> counters) {
  rp::Benchmark b;
  b.name = name;
  b.samples_ns = std::move(samples_ns);
  for (auto& [k, v] : counters) {
    b.counters[k] = v;
    b.counter_samples[k] = std::vector<double>(b.samples_ns.size(), v);
  }
  auto sorted = b.samples_ns;
  std::sort(sorted.begin(), sorted.end());
  b.real_ns = sorted[sorted.size() / 2];
  b.repetitions = static_cast<int>(b.samples_ns.size());
  return b;
}

rp::Bench bench(double robust_scale = 1.0, double robust_round_trips = 0) {
  rp::Bench b;
  b.repetitions = 5;
  auto five = [](double base) {
    return std::vector<double>{base * 0.98, base, base * 1.01, base * 0.99, base * 1.02};
  };
  b.benchmarks["floor/ping/redis"] = benchmark("floor/ping/redis", five(20000), {});
  b.benchmarks["invalidate/robust/redis"] =
      benchmark("invalidate/robust/redis", five(5000 * robust_scale), {{"round_trips", robust_round_trips}, {"cache_ops", 0}});
  b.benchmarks["invalidate/sweep/redis"] =
      benchmark("invalidate/sweep/redis", five(2e6), {{"round_trips", 100}, {"items_per_second", 500}});
  return b;
}

struct Fixture {
  rp::Results base_results = results(results_json());
  rp::Bench base_bench = bench();
  g::Baseline baseline = g::make_baseline(&base_results, nullptr, &base_bench, nullptr, json::object(), "now");

  rp::GateReport run(const json& now, const rp::Bench* b, g::Options o = {}, const g::Expectations* e = nullptr) {
    auto r = results(now);
    g::Inputs in;
    in.results = &r;
    in.bench = b;
    in.expectations = e;
    if (o.times == "auto") o.times = "enforce";
    // The baseline round-trips through its file format, as in CI.
    return g::compare(g::baseline_from_json(g::to_json(baseline)), in, o);
  }
};

const rp::GateCheck* find(const rp::GateReport& r, const std::string& group, const std::string& subject) {
  for (auto& c : r.checks)
    if (c.group == group && c.subject == subject) return &c;
  return nullptr;
}

std::string failing(const rp::GateReport& r) {
  std::string out;
  for (auto& c : r.checks)
    if (c.fails) out += c.group + " " + c.subject + ": " + c.message + "\n";
  return out;
}

TEST(Gate, AnUnchangedRunPasses) {
  Fixture f;
  auto b = bench();
  for (int i = 0; i < 5; ++i) {
    auto r = f.run(results_json(), &b);
    EXPECT_TRUE(r.passed()) << failing(r);
    EXPECT_EQ(r.count("improvement"), 0u);
  }
  auto r = f.run(results_json(), &b);
  // 4 cells × (consistency + counters) + 3 benchmarks' times + 2 with counters.
  EXPECT_EQ(r.checks.size(), 4u * 2 + 3 + 2);
  EXPECT_EQ(r.times, "enforce");
  const auto* t = find(r, "times", "invalidate/robust/redis");
  ASSERT_NE(t, nullptr);
  EXPECT_NEAR(*t->p_value, 1.0, 1e-12);
  EXPECT_NEAR(*t->change_pct, 0.0, 1e-9);
}

TEST(Gate, ABrokenStrategyFailsOnConsistencyWithItsReplay) {
  Fixture f;
  auto now = results_json();
  now["runs"][0] = cell("robust", "multi-tab", "fail", "pass", {"stale-visible@server-cache"});
  auto r = f.run(now, nullptr);
  EXPECT_FALSE(r.passed());
  const auto* c = find(r, "consistency", "robust × multi-tab");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->fails);
  EXPECT_EQ(c->status, "regression");
  EXPECT_NE(c->message.find("expected pass, got fail: stale-visible of item i1"), std::string::npos) << c->message;
  EXPECT_EQ(c->replay, "cachecheck replay out/counterexamples/robust--multi-tab.json");
  auto md = rp::gate_markdown(r);
  EXPECT_NE(md.find("❌ 1 regression"), std::string::npos) << md;
  EXPECT_NE(md.find("Reproduce: `cachecheck replay out/counterexamples/robust--multi-tab.json`"), std::string::npos) << md;
}

TEST(Gate, UnknownAndUnsupportedDiffer) {
  Fixture f;
  auto now = results_json();
  now["runs"][3]["verdict"] = "unknown";
  now["runs"][3]["indeterminate"] = {{"reads", 9}, {"writes", 1}};
  auto r = f.run(now, nullptr);
  const auto* c = find(r, "consistency", "robust × edits");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->fails);
  EXPECT_NE(c->message.find("9 reads and 1 write indeterminate"), std::string::npos) << c->message;
}

TEST(Gate, ANewKindOrLayerInAnExpectedFailureIsARegression) {
  Fixture f;
  auto kind = results_json();
  kind["runs"][1]["signature"] = {"stale-content@server-cache", "stale-visible@server-cache"};
  auto r = f.run(kind, nullptr);
  const auto* c = find(r, "consistency", "sweep × multi-tab");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->fails) << c->message;
  EXPECT_NE(c->message.find("stale-content@server-cache (not in the baseline)"), std::string::npos) << c->message;
  EXPECT_NE(c->message.find("baseline signature: stale-visible@server-cache"), std::string::npos) << c->message;

  auto layer = results_json();
  layer["runs"][1]["signature"] = {"stale-visible@http-cache"};
  EXPECT_TRUE(find(f.run(layer, nullptr), "consistency", "sweep × multi-tab")->fails);

  // Fewer kinds than the baseline: still as expected.
  auto fewer = results_json();
  fewer["runs"][2]["signature"] = json::array();
  EXPECT_FALSE(find(f.run(fewer, nullptr), "consistency", "sweep × edits")->fails);
}

TEST(Gate, TheExpectationsKindsAndLayersBindToo) {
  Fixture f;
  g::Expectations e = {{{"robust", "multi-tab"}, {"pass", "", {}, {}}},
                       {{"sweep", "multi-tab"}, {"fail", "", {"stale-content"}, {}}},
                       {{"sweep", "edits"}, {"fail", "", {"stale-content"}, {"http-cache"}}},
                       {{"robust", "edits"}, {"pass", "", {}, {}}}};
  auto r = f.run(results_json(), nullptr, {}, &e);
  const auto* kind = find(r, "consistency", "sweep × multi-tab");
  EXPECT_TRUE(kind->fails);
  EXPECT_NE(kind->message.find("kind not in the expectation"), std::string::npos) << kind->message;
  const auto* layer = find(r, "consistency", "sweep × edits");
  EXPECT_TRUE(layer->fails);
  EXPECT_NE(layer->message.find("layer not in the expectation"), std::string::npos) << layer->message;
  // A cell the expectations do not know fails.
  e.erase({"robust", "edits"});
  EXPECT_TRUE(find(f.run(results_json(), nullptr, {}, &e), "consistency", "robust × edits")->fails);
}

TEST(Gate, AnExpectedFailureThatPassesIsAnImprovementFailingOnlyWhenStrict) {
  Fixture f;
  auto now = results_json();
  now["runs"][2] = cell("sweep", "edits", "pass", "fail");
  auto lenient = f.run(now, nullptr);
  EXPECT_TRUE(lenient.passed()) << failing(lenient);
  EXPECT_EQ(lenient.count("improvement"), 1u);
  EXPECT_NE(find(lenient, "consistency", "sweep × edits")->message.find("fails only with --strict"), std::string::npos);
  g::Options strict;
  strict.strict = true;
  auto r = f.run(now, nullptr, strict);
  EXPECT_FALSE(r.passed());
  EXPECT_TRUE(find(r, "consistency", "sweep × edits")->fails);
}

TEST(Gate, ACounterChangeBeyondRoundingFailsWhicheverWay) {
  Fixture f;
  auto now = results_json();
  now["runs"][0]["stats"]["round_trips_per_write"] = 3.0;  // one extra round trip per write
  now["runs"][3]["stats"]["hit_rate"] = 0.6 * (1 + 1e-12);  // rounding
  auto r = f.run(now, nullptr);
  const auto* c = find(r, "counters", "robust × multi-tab");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->fails);
  ASSERT_EQ(c->changes.size(), 1u);
  EXPECT_EQ(c->changes[0].metric, "round_trips_per_write");
  EXPECT_NE(c->message.find("round_trips_per_write 2 → 3"), std::string::npos) << c->message;
  EXPECT_FALSE(find(r, "counters", "robust × edits")->fails);
  auto md = rp::gate_markdown(r);
  EXPECT_NE(md.find("| robust × multi-tab | `round_trips_per_write` | 2 | 3 | +50.0 % |"), std::string::npos) << md;

  auto fewer = results_json();
  fewer["runs"][0]["stats"]["round_trips_per_write"] = 1.0;
  EXPECT_TRUE(find(f.run(fewer, nullptr), "counters", "robust × multi-tab")->fails);

  // A bench counter: one extra round trip per write of robust on Redis.
  auto b = bench(1.0, 1);
  auto rb = f.run(results_json(), &b);
  const auto* bc = find(rb, "counters", "invalidate/robust/redis");
  ASSERT_NE(bc, nullptr);
  EXPECT_TRUE(bc->fails);
  EXPECT_NE(bc->message.find("round_trips 0 → 1"), std::string::npos) << bc->message;
  // Rates per second are times, not counters.
  EXPECT_EQ(find(rb, "counters", "invalidate/sweep/redis")->message.find("items_per_second"), std::string::npos);
}

TEST(Gate, ACounterThatVariesBetweenRepetitionsIsOnlyReported) {
  Fixture f;
  f.baseline.benchmarks["invalidate/sweep/redis"].counters["round_trips"] = {100, 101, 100, 100, 100};
  auto b = bench();
  b.benchmarks["invalidate/sweep/redis"].counter_samples["round_trips"] = {150, 150, 150, 150, 150};
  auto r = f.run(results_json(), &b);
  const auto* c = find(r, "counters", "invalidate/sweep/redis");
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->fails);
  EXPECT_NE(c->message.find("not compared (they vary between repetitions): round_trips"), std::string::npos);
}

TEST(Gate, ASlowerBenchmarkFailsUnderTheUTestAndThreshold) {
  Fixture f;
  auto slow = bench(1.5);  // an injected delay: +50 %
  auto r = f.run(results_json(), &slow);
  const auto* t = find(r, "times", "invalidate/robust/redis");
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(t->fails);
  EXPECT_EQ(t->status, "regression");
  EXPECT_NEAR(*t->p_value, 2.0 / 252, 1e-12);
  EXPECT_NEAR(*t->change_pct, 50, 1e-9);
  EXPECT_NE(t->message.find("slower: 5.00 µs → 7.50 µs (+50.0 %), p = 0.0079, 5 vs 5 samples"), std::string::npos)
      << t->message;
  auto md = rp::gate_markdown(r);
  EXPECT_NE(md.find("| `invalidate/robust/redis` | 5.00 µs | 7.50 µs | +50.0 % | 0.0079 | 5 / 5 | **regression** |"),
            std::string::npos)
      << md;

  // Reported only: the same finding does not fail.
  g::Options report_only;
  report_only.times = "report-only";
  auto ro = f.run(results_json(), &slow, report_only);
  EXPECT_TRUE(ro.passed()) << failing(ro);
  EXPECT_EQ(find(ro, "times", "invalidate/robust/redis")->status, "report-only");

  // Significant but within the threshold: not a regression.
  auto a_bit = bench(1.05);
  EXPECT_FALSE(find(f.run(results_json(), &a_bit), "times", "invalidate/robust/redis")->fails);
  // Over the threshold but not significant (overlapping samples).
  f.baseline.benchmarks["invalidate/robust/redis"].samples_ns = {3000, 9000, 5000, 4000, 8000};
  auto noisy = bench(1.2);
  auto rn = f.run(results_json(), &noisy);
  EXPECT_FALSE(find(rn, "times", "invalidate/robust/redis")->fails) << find(rn, "times", "invalidate/robust/redis")->message;
  // Faster: an improvement.
  Fixture g2;
  auto fast = bench(0.5);
  EXPECT_EQ(find(g2.run(results_json(), &fast), "times", "invalidate/robust/redis")->status, "improvement");
}

TEST(Gate, TimesAreEnforcedOnlyOnTheBaselinesKindOfMachine) {
  Fixture f;
  f.baseline.machine = {{"cpu_model", "CPU A"}, {"num_cpus", 2}};
  auto slow = bench(1.5);
  auto r = results(results_json());
  g::Inputs in;
  in.results = &r;
  in.bench = &slow;
  in.machine = {{"cpu_model", "CPU B"}, {"num_cpus", 2}};
  auto other = g::compare(f.baseline, in, {});
  EXPECT_EQ(other.times, "report-only");
  EXPECT_TRUE(other.passed()) << failing(other);
  EXPECT_NE(other.times_note.find("another kind of machine"), std::string::npos);
  in.machine = f.baseline.machine;
  EXPECT_FALSE(g::compare(f.baseline, in, {}).passed());
}

TEST(Gate, MissingCellsAndBenchmarksFailNewOnesAreNoted) {
  Fixture f;
  auto now = results_json();
  now["runs"].erase(3);
  now["runs"].push_back(cell("none", "edits", "pass", "pass"));
  auto b = bench();
  b.benchmarks.erase("floor/ping/redis");
  b.benchmarks["floor/map-lookup/memory"] = benchmark("floor/map-lookup/memory", {100, 101}, {});
  auto r = f.run(now, &b);
  EXPECT_TRUE(find(r, "consistency", "robust × edits")->fails);
  EXPECT_EQ(find(r, "consistency", "robust × edits")->status, "missing");
  EXPECT_FALSE(find(r, "consistency", "none × edits")->fails);
  EXPECT_NE(find(r, "consistency", "none × edits")->message.find("new cell"), std::string::npos);
  EXPECT_TRUE(find(r, "times", "floor/ping/redis")->fails);
  EXPECT_NE(std::find_if(r.notes.begin(), r.notes.end(),
                         [](auto& n) { return n.find("floor/map-lookup/memory is new") != std::string::npos; }),
            r.notes.end());
}

TEST(Gate, IncompatibleResultsAreRefused) {
  Fixture f;
  auto now = results_json();
  now["seed"] = 8;
  try {
    f.run(now, nullptr);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("incompatible baseline: the results were made with seed 8 (baseline: 7)"),
              std::string::npos)
        << e.what();
  }
  now = results_json();
  now["interrupted"] = true;
  EXPECT_THROW(f.run(now, nullptr), std::runtime_error);
  json bad = g::to_json(f.baseline);
  bad["format"] = 99;
  EXPECT_THROW(g::baseline_from_json(bad), std::runtime_error);
  EXPECT_THROW(g::baseline_from_json(json{{"tool", "cachecheck"}}), std::runtime_error);
}

TEST(Gate, GateJsonRoundTripsAndRendersJunit) {
  Fixture f;
  auto slow = bench(1.5);
  auto r = f.run(results_json(), &slow);
  auto back = rp::gate_from_json(rp::to_json(r));
  EXPECT_EQ(rp::to_json(back), rp::to_json(r));
  rp::Documents d;
  d.gate = back;
  auto x = rp::junit_xml(d);
  EXPECT_NE(x.find("<testsuites name=\"cachecheck gate\" tests=\"" + std::to_string(r.checks.size()) +
                   "\" failures=\"1\""),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("<testsuite name=\"gate.times\" tests=\"3\" failures=\"1\""), std::string::npos) << x;
}

}  // namespace
