// The comparison itself: consistency of every cell, counters of cells and
// benchmarks, and times under the Mann–Whitney U test.
#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "cachecheck_reports/render.h"
#include "gate/gate.h"
#include "gate/mann_whitney.h"

namespace cachecheck::gate {

using reports::GateCheck;
using reports::GateReport;
namespace rd = reports::detail;

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "none" : out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n == 0 ? NAN : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string kind_of(const std::string& entry) { return entry.substr(0, entry.find('@')); }
std::string layer_of(const std::string& entry) {
  auto at = entry.find('@');
  return at == std::string::npos ? "" : entry.substr(at + 1);
}

// What an expected failure shows that it did not: entries outside the
// baseline's signature, and kinds/layers outside the expectation's.
std::vector<std::string> new_in_signature(const reports::Cell& c, const BaselineCell* base, const Expectation* e) {
  std::vector<std::string> out;
  for (auto& entry : c.signature) {
    std::string why;
    if (base) {
      // A baseline without layers compares kinds only.
      bool known = std::any_of(base->signature.begin(), base->signature.end(), [&](const std::string& b) {
        return b == entry || (layer_of(b).empty() && kind_of(b) == kind_of(entry)) ||
               (layer_of(entry).empty() && kind_of(b) == kind_of(entry));
      });
      if (!known) why = "not in the baseline";
    }
    if (e && !e->kinds.empty() && std::find(e->kinds.begin(), e->kinds.end(), kind_of(entry)) == e->kinds.end())
      why = "kind not in the expectation";
    if (e && !e->layers.empty() && !layer_of(entry).empty() &&
        std::find(e->layers.begin(), e->layers.end(), layer_of(entry)) == e->layers.end())
      why = "layer not in the expectation";
    if (!why.empty()) out.push_back(entry + " (" + why + ")");
  }
  return out;
}

void consistency(const Baseline& b, const Inputs& in, const Options& o, GateReport& g) {
  const reports::Results& r = *in.results;
  std::map<std::pair<std::string, std::string>, const BaselineCell*> base;
  for (auto& c : b.cells) base[{c.strategy, c.scenario}] = &c;
  std::set<std::pair<std::string, std::string>> seen;
  for (auto& c : r.runs) {
    const auto key = std::make_pair(c.strategy, c.scenario);
    seen.insert(key);
    const Expectation* e = nullptr;
    std::string expected = c.expected;
    if (in.expectations) {
      auto it = in.expectations->find(key);
      if (it != in.expectations->end()) {
        e = &it->second;
        expected = e->verdict;
      } else {
        expected = "";
      }
    }
    const BaselineCell* bc = base.count(key) ? base[key] : nullptr;
    GateCheck k;
    k.group = "consistency";
    k.subject = rd::cell_title(c);
    k.replay = rd::replay_command(c, r.dir);
    const std::string first = c.first_violation ? ": " + rd::describe_violation(*c.first_violation) : "";
    if (expected.empty()) {
      k.status = "regression";
      k.fails = true;
      k.message = "no expectation for this cell (got " + c.verdict + ")";
    } else if (c.verdict == expected && c.verdict == "fail") {
      auto added = new_in_signature(c, bc, e);
      if (!added.empty()) {
        k.status = "regression";
        k.fails = true;
        k.message = "fails as expected, but with a new violation kind or layer: " + join(added) +
                    " (baseline signature: " + (bc ? join(bc->signature) : std::string("none")) + ")";
      } else {
        k.status = "ok";
        k.message = "fails as expected (" + join(c.signature) + ")";
        k.replay.clear();
      }
    } else if (c.verdict == expected) {
      k.status = "ok";
      k.message = c.verdict + " as expected";
      k.replay.clear();
    } else if (expected == "fail" && c.verdict == "pass") {
      k.status = "improvement";
      k.fails = o.strict;
      k.message = "expected to fail, now passes (" + std::to_string(c.cases_run) + " cases)" +
                  (o.strict ? "; --strict: update scenarios/expectations.json" : "; fails only with --strict");
    } else {
      k.status = "regression";
      k.fails = true;
      k.message = "expected " + expected + ", got " + c.verdict + first;
      if (auto why = rd::why_unjudged(c); !why.empty()) k.message += " — " + why;
    }
    if (!bc && k.status == "ok") k.message += "; new cell, not in the baseline";
    g.checks.push_back(std::move(k));
  }
  for (auto& c : b.cells)
    if (!seen.count({c.strategy, c.scenario}))
      g.checks.push_back({"consistency", c.strategy + " × " + c.scenario, "missing", true,
                          "in the baseline but not in the results", "", {}, {}, {}, {}, {}, 0, 0});
}

// One counters check per subject.
void counters(const std::string& subject, const std::map<std::string, double>& base,
              const std::map<std::string, double>& now, const std::vector<std::string>& noisy, GateReport& g) {
  GateCheck k;
  k.group = "counters";
  k.subject = subject;
  std::string text;
  for (auto& [metric, value] : base) {
    auto it = now.find(metric);
    if (it == now.end()) {
      g.notes.push_back(subject + ": counter " + metric + " is in the baseline but no longer reported");
      continue;
    }
    if (same_counter(value, it->second)) continue;
    k.changes.push_back({metric, value, it->second});
    text += (text.empty() ? "" : "; ") + metric + " " + rd::trimmed(value, 6) + " → " + rd::trimmed(it->second, 6);
  }
  if (k.changes.empty()) {
    k.status = "ok";
    k.message = std::to_string(base.size()) + " counters unchanged";
  } else {
    k.status = "changed";
    k.fails = true;
    k.message = "counters changed: " + text + " (counters are deterministic; if intended, regenerate the baseline)";
  }
  if (!noisy.empty()) k.message += "; not compared (they vary between repetitions): " + join(noisy);
  g.checks.push_back(std::move(k));
}

bool varies(const std::vector<double>& samples) {
  return std::any_of(samples.begin(), samples.end(), [&](double v) { return !same_counter(v, samples.front()); });
}

bool time_derived(const std::string& counter) {
  return counter.size() > 11 && counter.compare(counter.size() - 11, 11, "_per_second") == 0;
}

void benchmarks(const Baseline& b, const Inputs& in, const Options& o, bool enforce, GateReport& g) {
  const reports::Bench& now = *in.bench;
  bool said_too_few = false;
  for (auto& [name, base] : b.benchmarks) {
    const reports::Benchmark* f = now.get(name);
    if (!f || !f->error.empty()) {
      g.checks.push_back({"times", name, "missing", true,
                          f ? "skipped now: " + f->error : "in the baseline but not in bench.json", "", {}, {}, {}, {}, {},
                          static_cast<int>(base.samples_ns.size()), 0});
      continue;
    }
    // Counters: medians compared, those varying between repetitions only reported.
    std::map<std::string, double> bc, nc;
    std::vector<std::string> noisy;
    for (auto& [counter, samples] : base.counters) {
      if (time_derived(counter) || samples.empty()) continue;
      auto it = f->counter_samples.find(counter);
      if (varies(samples) || (it != f->counter_samples.end() && varies(it->second))) {
        noisy.push_back(counter);
        continue;
      }
      bc[counter] = samples.front();
      if (it != f->counter_samples.end() && !it->second.empty()) nc[counter] = it->second.front();
    }
    if (!bc.empty() || !noisy.empty()) counters(name, bc, nc, noisy, g);

    GateCheck k;
    k.group = "times";
    k.subject = name;
    k.n_baseline = static_cast<int>(base.samples_ns.size());
    k.n_current = static_cast<int>(f->samples_ns.size());
    if (base.samples_ns.size() < 2 || f->samples_ns.size() < 2) {
      k.status = "ok";
      k.message = "too few samples to compare (" + std::to_string(k.n_baseline) + " vs " + std::to_string(k.n_current) +
                  "; run the benchmark with --repetitions ≥ 4)";
      g.checks.push_back(std::move(k));
      continue;
    }
    if (!said_too_few && smallest_p(base.samples_ns.size(), f->samples_ns.size()) >= o.alpha) {
      g.notes.push_back("with " + std::to_string(k.n_baseline) + " and " + std::to_string(k.n_current) +
                        " samples no p-value can fall below alpha " + rd::trimmed(o.alpha, 4) +
                        ": times cannot regress (use --repetitions ≥ 4 on both sides)");
      said_too_few = true;
    }
    const UTest t = mann_whitney_u(f->samples_ns, base.samples_ns);
    k.baseline_ns = median(base.samples_ns);
    k.current_ns = median(f->samples_ns);
    k.p_value = t.p;
    if (*k.baseline_ns > 0) k.change_pct = (*k.current_ns - *k.baseline_ns) / *k.baseline_ns * 100;
    const double change = k.change_pct.value_or(0);
    const std::string how = rd::duration_ns(k.baseline_ns) + " → " + rd::duration_ns(k.current_ns) + " (" +
                            (change > 0 ? "+" : "") + rd::fixed(change, 1) + " %), p = " + rd::fixed(t.p, 4) + ", " +
                            std::to_string(k.n_baseline) + " vs " + std::to_string(k.n_current) + " samples";
    if (t.p < o.alpha && change > o.threshold_pct) {
      k.status = enforce ? "regression" : "report-only";
      k.fails = enforce;
      k.message = "slower: " + how + (enforce ? "" : " (times are reported only)");
    } else if (t.p < o.alpha && change < -o.threshold_pct) {
      k.status = "improvement";
      k.message = "faster: " + how;
    } else {
      k.status = "ok";
      k.message = "no significant change: " + how;
    }
    g.checks.push_back(std::move(k));
  }
  for (auto& [name, f] : now.benchmarks)
    if (!b.benchmarks.count(name) && f.error.empty())
      g.notes.push_back("benchmark " + name + " is new (not in the baseline): not compared");
}

}  // namespace

GateReport compare(const Baseline& b, const Inputs& in, const Options& o) {
  GateReport g;
  g.baseline = in.baseline_path;
  g.results = in.results_path;
  g.bench = in.bench_path;
  g.alpha = o.alpha;
  g.threshold_pct = o.threshold_pct;
  g.strict = o.strict;
  g.baseline_machine = b.machine;
  if (in.results) {
    g.version = in.results->version;
    if (!b.matrix) throw std::runtime_error("incompatible baseline: it has no matrix section (regenerate it with --update-baseline)");
    if (auto why = incompatibility(*b.matrix, settings_of(*in.results)); !why.empty())
      throw std::runtime_error("incompatible baseline: the results were made with " + why +
                               " — run with the baseline's settings or regenerate it with --update-baseline");
    if (in.results->interrupted) throw std::runtime_error("the results are of an interrupted run: nothing to compare");
    consistency(b, in, o, g);
    std::map<std::pair<std::string, std::string>, const BaselineCell*> base;
    for (auto& c : b.cells) base[{c.strategy, c.scenario}] = &c;
    for (auto& c : in.results->runs)
      if (auto it = base.find({c.strategy, c.scenario}); it != base.end())
        counters(rd::cell_title(c), it->second->counters, cell_counters(c), {}, g);
  } else if (b.matrix) {
    g.notes.push_back("no results given: the matrix was not compared");
  }
  if (o.times == "enforce") {
    g.times = "enforce";
  } else if (o.times == "report-only") {
    g.times = "report-only";
    g.times_note = "--times report-only";
  } else {
    const bool same = same_machine(b.machine, in.machine);
    g.times = same ? "enforce" : "report-only";
    if (!same) g.times_note = "the baseline was made on another kind of machine (CPU model or count differs)";
  }
  if (in.bench) {
    if (!b.bench) g.notes.push_back("the baseline has no benchmarks: times and bench counters were not compared");
    else benchmarks(b, in, o, g.times == "enforce", g);
  } else if (b.bench) {
    g.notes.push_back("no bench.json given: times and bench counters were not compared");
  }
  return g;
}

}  // namespace cachecheck::gate
