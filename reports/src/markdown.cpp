// report.md: the run, the matrix, what each strategy costs, and every failure
// told as a timeline — the unexpected ones first.
#include "cachecheck_reports/render.h"

namespace cachecheck::reports {

namespace {

using namespace detail;

std::string matrix_cell(const CellResult* c) {
  if (!c) return "—";
  bool pass = c->verdict == "pass";
  if (c->matches()) return pass ? "✅ pass" : "❌ fail (expected)";
  return std::string(pass ? "✅" : "❌") + " **" + md_cell(c->verdict) + ", expected " + md_cell(c->expected) +
         "** ⚠️";
}

void header(std::string& out, const RunResults& r) {
  out += "# cachecheck report\n\n";
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
  if (!r.settings_differ.empty()) {
    out += "> ⚠️ Settings differ from the defaults the expectations assume: ";
    for (std::size_t i = 0; i < r.settings_differ.size(); ++i)
      out += (i ? ", " : "") + md_code(r.settings_differ[i]);
    out += ".\n\n";
  }
}

void matrix(std::string& out, const RunResults& r) {
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
  out += "\n✅ pass · ❌ fail · *(expected)* a failure the expectations predict · ⚠️ the verdict differs from the "
         "expectation\n\n";
}

void stats(std::string& out, const RunResults& r) {
  out += "## Cost and staleness per strategy\n\n";
  auto rows = strategy_summaries(r);
  if (rows.empty()) {
    out += "No cells were run.\n\n";
    return;
  }
  out += "Rates are means across the strategy's scenarios; staleness is the worst scenario's.\n\n";
  out += "| strategy | cells | failing | hit rate | cache ops / write | round trips / write | max staleness (s) | "
         "p99 staleness (s) |\n";
  out += "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (auto& s : rows) {
    out += "| " + md_cell(s.strategy) + " | " + std::to_string(s.cells) + " | " + std::to_string(s.failing) + " | " +
           percent(s.hit_rate) + " | " + fixed(s.cache_ops_per_write, 2) + " | " + fixed(s.round_trips_per_write, 2) +
           " | " + fixed(s.max_staleness_s, 3) + " | " + fixed(s.p99_staleness_s, 3) + " |\n";
  }
  out += "\n";
}

void failure(std::string& out, const CellResult& c, const std::string& out_dir) {
  bool unexpected = !c.matches();
  out += "### " + std::string(unexpected ? "⚠️ " : "") + md_text(cell_title(c)) + "\n\n";
  if (unexpected)
    out += "**Differs from the expectation: " + md_text(expected_vs_got(c)) + ".**\n\n";
  else
    out += "Fails as expected.\n\n";
  if (!c.reason.empty()) out += "> " + md_text(c.reason) + "\n\n";

  if (c.verdict == "pass") {
    out += "- ✅ no violation in " + std::to_string(c.cases_run) + " cases\n\n";
    return;
  }
  if (c.first_violation) {
    auto& v = *c.first_violation;
    out += "- ❌ **first violation:** " + md_code(v.kind) + " — item " + md_code(v.item) + ", user " +
           std::to_string(v.user) + (v.tab.empty() ? "" : ", tab " + md_code(v.tab)) + ", layer " + md_code(v.layer) +
           ", " + fixed(v.staleness_s, 3) + " s stale\n";
  } else {
    out += "- ❌ **first violation:** not recorded\n";
  }
  if (auto counts = violation_counts(c.violations); !counts.empty())
    out += "- **violations:** " + md_text(counts) + "\n";
  if (auto counts = violation_counts(c.client_store_violations); !counts.empty())
    out += "- **client store (beside the verdict):** " + md_text(counts) + "\n";
  out += "- **cases run:** " + std::to_string(c.cases_run) + ", " + std::to_string(c.stats.violating_cases) +
         " with a counted violation; max staleness " + fixed(c.stats.max_staleness_s, 3) + " s, p99 " +
         fixed(c.stats.p99_staleness_s, 3) + " s\n";
  if (auto path = counterexample_path(c, out_dir); !path.empty()) {
    out += "- **counterexample:** " + md_code(path);
    if (c.counterexample_steps) out += " (" + std::to_string(*c.counterexample_steps) + " steps)";
    out += "\n";
    out += "- **replay:** " + md_code(replay_command(c, out_dir)) + "\n";
    out += "- **curl script:** " + md_code(curl_script_path(c, out_dir)) + " (against a `calendar-server` on `$BASE`)\n";
  } else {
    out += "- **counterexample:** none saved\n";
  }
  out += "\n";
  if (!c.timeline.empty()) {
    out += "Timeline:\n\n";
    for (std::size_t i = 0; i < c.timeline.size(); ++i)
      out += std::to_string(i + 1) + ". " + md_code(c.timeline[i]) + "\n";
    out += "\n";
  }
}

}  // namespace

std::string markdown_report(const RunResults& r, const std::string& out_dir) {
  std::string out;
  header(out, r);
  matrix(out, r);
  stats(out, r);
  auto cells = cells_to_explain(r);
  out += "## Failures\n\n";
  if (cells.empty()) {
    out += "None: no cell failed and every verdict equals its expectation.\n";
    return out;
  }
  for (auto* c : cells) failure(out, *c, out_dir);
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

}  // namespace cachecheck::reports
