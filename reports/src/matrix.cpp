// The results seen as a grid, and what every report derives from it: the tally,
// per-strategy summaries, which cells need explaining, how to name a violation.
#include "cachecheck_reports/render.h"

#include <algorithm>
#include <cmath>

namespace cachecheck::reports::detail {

const Cell* Matrix::at(const std::string& strategy, const std::string& scenario) const {
  auto it = cells.find({strategy, scenario});
  return it == cells.end() ? nullptr : it->second;
}

Matrix matrix_of(const Results& r) {
  Matrix m;
  for (auto& c : r.runs) {
    if (std::find(m.strategies.begin(), m.strategies.end(), c.strategy) == m.strategies.end())
      m.strategies.push_back(c.strategy);
    if (std::find(m.scenarios.begin(), m.scenarios.end(), c.scenario) == m.scenarios.end())
      m.scenarios.push_back(c.scenario);
    m.cells[{c.strategy, c.scenario}] = &c;  // a repeated cell: the last run wins
  }
  return m;
}

Tally tally(const Results& r) {
  Tally t;
  for (auto& c : r.runs) {
    ++t.cells;
    if (c.matches())
      ++t.as_expected;
    else
      ++t.differ;
  }
  return t;
}

namespace {

double finite_or_zero(double v) { return std::isfinite(v) ? v : 0.0; }

// Adds h into sum; false when the bounds differ (the sum is then meaningless).
bool add_histogram(std::optional<StalenessHistogram>& sum, const StalenessHistogram& h) {
  if (!sum) {
    sum = h;
    return true;
  }
  if (sum->bounds_s != h.bounds_s || sum->counts.size() != h.counts.size()) return false;
  for (std::size_t i = 0; i < h.counts.size(); ++i) sum->counts[i] += h.counts[i];
  return true;
}

}  // namespace

std::vector<StrategySummary> strategy_summaries(const Results& r) {
  auto m = matrix_of(r);
  std::vector<StrategySummary> out;
  for (auto& name : m.strategies) {
    StrategySummary s;
    s.strategy = name;
    bool histograms_agree = true;
    std::size_t judged = 0;  // unsupported and unknown cells have no figures to average
    std::size_t with_ideal = 0;
    double ideal = 0;
    for (auto& c : r.runs) {
      if (c.strategy != name) continue;
      ++s.cells;
      if (c.verdict == "fail") ++s.failing;
      if (c.verdict != "pass" && c.verdict != "fail") continue;
      ++judged;
      s.reads += c.stats.reads;
      s.writes += c.stats.writes;
      s.hit_rate += finite_or_zero(c.stats.hit_rate);
      if (c.stats.ideal_hit_rate) {
        ++with_ideal;
        ideal += finite_or_zero(*c.stats.ideal_hit_rate);
        s.hit_rate_with_ideal += finite_or_zero(c.stats.hit_rate);
      }
      s.cache_ops_per_write += finite_or_zero(c.stats.cache_ops_per_write);
      s.round_trips_per_write += finite_or_zero(c.stats.round_trips_per_write);
      s.max_staleness_s = std::max(s.max_staleness_s, finite_or_zero(c.stats.max_staleness_s));
      s.p99_staleness_s = std::max(s.p99_staleness_s, finite_or_zero(c.stats.p99_staleness_s));
      if (c.staleness) histograms_agree = histograms_agree && add_histogram(s.staleness, *c.staleness);
    }
    if (!histograms_agree) s.staleness.reset();
    if (judged > 0) {
      auto n = static_cast<double>(judged);
      s.hit_rate /= n;
      s.cache_ops_per_write /= n;
      s.round_trips_per_write /= n;
    }
    if (with_ideal > 0) {
      s.ideal_hit_rate = ideal / static_cast<double>(with_ideal);
      s.hit_rate_with_ideal /= static_cast<double>(with_ideal);
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<double> StrategySummary::vs_ideal() const {
  if (!ideal_hit_rate || *ideal_hit_rate <= 0) return std::nullopt;
  return hit_rate_with_ideal / *ideal_hit_rate;
}

std::vector<const Cell*> cells_to_explain(const Results& r) {
  std::vector<const Cell*> out;
  for (auto& c : r.runs)
    if (!c.matches()) out.push_back(&c);
  for (auto& c : r.runs)
    if (c.matches() && c.verdict == "fail") out.push_back(&c);
  return out;
}

std::vector<std::pair<const Cell*, std::string>> unjudged_cells(const Results& r) {
  std::vector<std::pair<const Cell*, std::string>> out;
  for (auto& c : r.runs)
    if (auto why = why_unjudged(c); !why.empty()) out.emplace_back(&c, why);
  return out;
}

std::string cell_key(const std::string& strategy, const std::string& scenario) { return strategy + "--" + scenario; }

std::string cell_title(const Cell& c) { return c.strategy + " × " + c.scenario; }

std::string describe_violation(const FirstViolation& v) {
  std::string out = v.kind.empty() ? std::string("violation") : v.kind;
  if (!v.item.empty()) out += " of item " + v.item;
  out += " for user " + std::to_string(v.user);
  if (!v.tab.empty()) out += " (tab " + v.tab + ")";
  if (!v.layer.empty()) out += " at " + v.layer;
  out += ", " + fixed(v.staleness_s, 3) + " s stale";
  return out;
}

std::string expected_vs_got(const Cell& c) {
  std::string out = "expected " + c.expected + ", got " + c.verdict;
  return c.difference.empty() ? out : out + ", but " + c.difference;
}

std::string violation_counts(const std::map<std::string, std::uint64_t>& counts) {
  std::string out;
  for (auto& [kind, n] : counts) {
    if (!out.empty()) out += ", ";
    out += kind + " ×" + std::to_string(n);
  }
  return out;
}

namespace {
std::string plural(std::uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}
}  // namespace

std::string why_unjudged(const Cell& c) {
  if (c.verdict == "unsupported")
    return "unsupported: " + (c.unsupported_reason.empty() ? std::string("the target lacks a capability the scenario "
                                                                         "needs (no reason given)")
                                                            : c.unsupported_reason);
  if (c.verdict == "unknown") {
    if (!c.indeterminate) return "unknown: too many indeterminate operations to judge";
    return "unknown: " + plural(c.indeterminate->reads, "read", "reads") + " and " +
           plural(c.indeterminate->writes, "write", "writes") +
           " indeterminate (timeout, reset or 5xx) — too many to judge";
  }
  return "";
}

}  // namespace cachecheck::reports::detail
