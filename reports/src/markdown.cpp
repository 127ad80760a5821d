// report.md: the run, the matrix, what each strategy costs, every failure told
// as its narrated reproduction (the unexpected ones first), the bench tables and
// the gate's findings — whichever documents were given.
#include "cachecheck_reports/render.h"

namespace cachecheck::reports {

namespace {

using namespace detail;

std::string matrix_cell(const Cell* c) {
  if (!c) return "—";
  static const std::map<std::string, std::string> icon = {
      {"pass", "✅"}, {"fail", "❌"}, {"unsupported", "⚪"}, {"unknown", "❔"}};
  auto it = icon.find(c->verdict);
  const std::string mark = it == icon.end() ? "❔" : it->second;
  if (c->matches()) return mark + " " + md_cell(c->verdict) + (c->verdict == "fail" ? " (expected)" : "");
  return mark + " **" + md_cell(c->verdict) + ", expected " + md_cell(c->expected) + "** ⚠️";
}

void header(std::string& out, const Results& r) {
  out += "- **tool:** cachecheck " + (r.version.empty() ? std::string("(unknown version)") : md_text(r.version)) +
         "\n";
  out += "- **seed:** " + std::to_string(r.seed) + "\n";
  out += "- **target:** " + md_text(r.target) + "\n";
  out += "- **backend:** " + md_text(r.backend) + "\n";
  out += "- **cases:** " + std::to_string(r.cases) + " per cell (workers " + std::to_string(r.workers) +
         ", HTTP cache " + md_text(r.http_cache) + ", layers " + md_text(r.layers) + ")\n";
  out += "- **elapsed:** " + fixed(r.elapsed_s, 2) + " s\n";
  out += "- **ops checked:** " + std::to_string(r.ops_checked) + " (" + fixed(ops_per_second(r), 1) + " per s)\n\n";

  auto t = tally(r);
  out += "**" + std::to_string(t.cells) + " cells, " + std::to_string(t.as_expected) + " as expected, " +
         std::to_string(t.differ) + " differ.**";
  out += t.differ == 0 ? " ✅\n\n" : " ⚠️\n\n";
  if (r.interrupted) out += "> ⚠️ The run was interrupted: some cells were not judged.\n\n";
  if (!r.settings_differ.empty()) {
    out += "> ⚠️ Settings differ from the defaults the expectations assume: ";
    for (std::size_t i = 0; i < r.settings_differ.size(); ++i)
      out += (i ? ", " : "") + md_code(r.settings_differ[i]);
    out += ".\n\n";
  }
}

void matrix(std::string& out, const Results& r) {
  out += "## Matrix\n\n";
  auto m = matrix_of(r);
  if (m.strategies.empty()) {
    out += "No cells were run.\n\n";
    return;
  }
  out += "| strategy |";
  for (auto& sc : m.scenarios) out.append(" ").append(md_cell(sc)).append(" |");
  out += "\n|---|";
  for (std::size_t j = 0; j < m.scenarios.size(); ++j) out += ":---:|";
  out += "\n";
  for (auto& s : m.strategies) {
    out += "| " + md_cell(s) + " |";
    for (auto& sc : m.scenarios) out.append(" ").append(matrix_cell(m.at(s, sc))).append(" |");
    out += "\n";
  }
  out += "\n✅ pass · ❌ fail · ⚪ unsupported · ❔ unknown · *(expected)* a failure the expectations predict · ⚠️ the "
         "verdict differs from the expectation\n\n";
  auto unjudged = unjudged_cells(r);
  if (!unjudged.empty()) {
    out += "Not judged:\n\n";
    for (auto& [c, why] : unjudged) out += "- **" + md_text(cell_title(*c)) + "** — " + md_text(why) + "\n";
    out += "\n";
  }
}

void stats(std::string& out, const Results& r) {
  out += "## Cost and staleness per strategy\n\n";
  auto rows = strategy_summaries(r);
  if (rows.empty()) {
    out += "No cells were run.\n\n";
    return;
  }
  out += "Rates are means across the strategy's judged scenarios; staleness is the worst scenario's. Ideal: the hit "
         "rate of a perfect invalidator on the same histories (same keys and TTL, each entry valid until its content "
         "would change); × ideal = hit rate / ideal.\n\n";
  out += "| strategy | cells | failing | hit rate | ideal | × ideal | cache ops / write | round trips / write | "
         "max staleness (s) | p99 staleness (s) |\n";
  out += "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (auto& s : rows) {
    out += "| " + md_cell(s.strategy) + " | " + std::to_string(s.cells) + " | " + std::to_string(s.failing) + " | " +
           percent(s.hit_rate) + " | " + (s.ideal_hit_rate ? percent(*s.ideal_hit_rate) : "—") + " | " +
           (s.vs_ideal() ? fixed(*s.vs_ideal(), 2) : "—") + " | " + fixed(s.cache_ops_per_write, 2) + " | " +
           fixed(s.round_trips_per_write, 2) +
           " | " + fixed(s.max_staleness_s, 3) + " | " + fixed(s.p99_staleness_s, 3) + " |\n";
  }
  out += "\n";

  // The staleness distribution, when the results carry histograms.
  const std::vector<double>* bounds = nullptr;
  for (auto& s : rows)
    if (s.staleness && s.staleness->total() > 0) bounds = &s.staleness->bounds_s;
  if (!bounds) return;
  out += "Stale reads by staleness (all scenarios of the strategy):\n\n| strategy | stale reads |";
  for (double b : *bounds) out += " ≤ " + trimmed(b, 3) + " s |";
  out += " > " + trimmed(bounds->back(), 3) + " s |\n|---|---:|";
  for (std::size_t i = 0; i <= bounds->size(); ++i) out += "---:|";
  out += "\n";
  for (auto& s : rows) {
    if (!s.staleness || s.staleness->bounds_s != *bounds) continue;
    out += "| " + md_cell(s.strategy) + " | " + std::to_string(s.staleness->total()) + " |";
    for (std::size_t i = 0; i <= bounds->size(); ++i)
      out += " " + (i < s.staleness->counts.size() ? std::to_string(s.staleness->counts[i]) : std::string("0")) + " |";
    out += "\n";
  }
  out += "\n";
}

void failure(std::string& out, const Documents& d, const Cell& c) {
  const std::string& dir = d.results->dir;
  bool unexpected = !c.matches();
  out += "### " + std::string(unexpected ? "⚠️ " : "") + md_text(cell_title(c)) + "\n\n";
  if (unexpected)
    out += "**Differs from the expectation: " + md_text(expected_vs_got(c)) + ".**\n\n";
  else
    out += "Fails as expected.\n\n";
  if (!c.reason.empty()) out += "> " + md_text(c.reason) + "\n\n";
  if (auto why = why_unjudged(c); !why.empty()) {
    out += "- " + md_text(why) + "\n\n";
    return;
  }
  if (c.verdict == "pass") {
    out += "- ✅ no violation in " + std::to_string(c.cases_run) + " cases\n\n";
    return;
  }
  out += "- ❌ **first violation:** " +
         (c.first_violation ? md_text(describe_violation(*c.first_violation)) : std::string("not recorded")) + "\n";
  if (auto counts = violation_counts(c.violations); !counts.empty())
    out += "- **violations:** " + md_text(counts) + "\n";
  if (!c.signature.empty()) {
    std::string sig;
    for (auto& s : c.signature) sig += (sig.empty() ? "" : ", ") + md_code(s);
    out += "- **signature:** " + sig + "\n";
  }
  if (auto counts = violation_counts(c.client_store_violations); !counts.empty())
    out += "- **client store (beside the verdict):** " + md_text(counts) + "\n";
  out += "- **cases run:** " + std::to_string(c.cases_run) + ", " + std::to_string(c.stats.violating_cases) +
         " with a counted violation; max staleness " + fixed(c.stats.max_staleness_s, 3) + " s, p99 " +
         fixed(c.stats.p99_staleness_s, 3) + " s\n";
  if (auto path = counterexample_path(c, dir); !path.empty()) {
    out += "- **replay:** " + md_code(replay_command(c, dir));
    if (c.counterexample_steps) out += " (" + std::to_string(*c.counterexample_steps) + " steps)";
    out += "\n- **curl script:** " + md_code(curl_script_path(c, dir)) + " (against a `calendar-server` on `$BASE`)\n";
  } else {
    out += "- **counterexample:** none saved\n";
  }
  if (auto it = d.counterexample_errors.find(cell_key(c.strategy, c.scenario)); it != d.counterexample_errors.end())
    out += "- **counterexample file:** " + md_text(it->second) + "\n";
  out += "\n";
  auto steps = reproduction(d, c);
  if (!steps.empty()) {
    out += "Minimal reproduction:\n\n";
    for (std::size_t i = 0; i < steps.size(); ++i) out += std::to_string(i + 1) + ". " + md_code(steps[i]) + "\n";
    out += "\n";
  }
}

}  // namespace

std::string markdown_report(const Documents& d) {
  std::string out = "# cachecheck report\n\n";
  if (d.gate) out += embedded_markdown(gate_markdown(*d.gate), true) + "\n";
  if (d.results) {
    const Results& r = *d.results;
    out += "## Run\n\n";
    header(out, r);
    matrix(out, r);
    stats(out, r);
    auto cells = cells_to_explain(r);
    out += "## Failures\n\n";
    if (cells.empty()) out += "None: no cell failed and every verdict equals its expectation.\n\n";
    for (auto* c : cells) failure(out, d, *c);
  }
  if (d.bench) out += "## Benchmarks\n\n" + embedded_markdown(bench_markdown(*d.bench)) + "\n";
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

}  // namespace cachecheck::reports
