// Rendering of cachecheck's JSON documents: the terminal table, report.md,
// report.html (self-contained: inline CSS and gnuplot's SVG charts), junit.xml,
// bench.md and gate.md.
//
// Reports are made from the files alone (results.json, bench.json, gate.json and
// the counterexamples results.json names); nothing is re-run. Every renderer is
// a pure function of the documents (no clock, no locale, no environment); only
// render_charts (gnuplot) and write_reports touch the disk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cachecheck_reports/documents.h"

namespace cachecheck::reports {

// Where `cachecheck run` writes by default.
inline constexpr const char* default_out_dir = "reports/out";

// The files a report is made from; "" = not given.
struct Inputs {
  std::string results, bench, gate;
  bool empty() const { return results.empty() && bench.empty() && gate.empty(); }
};
// results.json, bench.json and gate.json of `dir`, those that exist.
Inputs inputs_in(const std::string& dir);

struct Documents {
  std::optional<Results> results;
  std::optional<Bench> bench;
  std::optional<GateReport> gate;
  // Counterexamples of the results' cells, by "strategy--scenario"; a file that
  // cannot be read is listed in counterexample_errors with the reason.
  std::map<std::string, Counterexample> counterexamples;
  std::map<std::string, std::string> counterexample_errors;
};
// Reads every given file (throws std::runtime_error with a one-line reason) and
// the counterexamples results.json refers to, relative to its directory.
Documents load_documents(const Inputs& in);

// The matrix at a glance: rows = strategies, columns = scenarios (abbreviated,
// with a legend, when the full names would make the table too wide). Each cell
// is `pass` / `FAIL` / `unsupported` / `unknown`, with a `!` when the verdict
// differs from the expectation; green when as expected, red when not (only when
// `color`). Ends with "N cells, M as expected, K differ".
std::string terminal_table(const Results& r, bool color);

// report.md: the run, the matrix (expected vs actual, unsupported/unknown
// explained), cost and staleness per strategy, one section per failing cell
// with its narrated reproduction and replay command, the bench tables and the
// gate's findings — whichever documents are there.
std::string markdown_report(const Documents& d);

// Inline SVG charts by name ("matrix", "staleness", "write-cost", "hit-rate",
// "nines"); a chart whose data is missing is absent, with the reason in `missing`.
struct Charts {
  std::map<std::string, std::string> svg;
  std::map<std::string, std::string> missing;
};

// gnuplot is missing or failed: `cachecheck report` exits 2 with this message.
struct ChartError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Writes each chart's data file and gnuplot script under work_dir, runs gnuplot
// (the svg terminal) on them and reads the SVGs back. gnuplot is found on PATH,
// or at $CACHECHECK_GNUPLOT. Throws ChartError when it is missing or fails.
Charts render_charts(const Documents& d, const std::string& work_dir);

// report.html: the Markdown report's story as one page — inline CSS and SVG,
// no scripts, no external URLs, printable.
std::string html_report(const Documents& d, const Charts& charts);

// junit.xml. With a gate document: its checks (one <testcase> each, a
// <failure> where the check fails the gate). Otherwise one <testcase> per
// strategy × scenario, a <failure> where the verdict differs from its expectation.
std::string junit_xml(const Documents& d);

// bench.md: what each strategy costs beside the physical floor and the seed's
// claims, from bench.json. Missing benchmarks show "—".
std::string bench_markdown(const Bench& b);

// gate.md: the gate's result, what regressed, by how much, how sure, how to reproduce.
std::string gate_markdown(const GateReport& g);

// Loads the inputs, renders the charts (into out_dir/charts/) and writes into
// out_dir: report.md and report.html; junit.xml when there are results or a gate;
// bench.md with a bench; gate.md with a gate. Returns the paths written.
// Throws std::runtime_error (ChartError for gnuplot) with a one-line reason.
std::vector<std::string> write_reports(const Inputs& in, const std::string& out_dir);

// ---- shared by the renderers (and their tests); not a stable interface ----
namespace detail {

// The cells as a grid, in order of first appearance in the runs.
struct Matrix {
  std::vector<std::string> strategies, scenarios;
  std::map<std::pair<std::string, std::string>, const Cell*> cells;  // (strategy, scenario)
  const Cell* at(const std::string& strategy, const std::string& scenario) const;  // nullptr: not run
};
Matrix matrix_of(const Results& r);

struct Tally {
  std::size_t cells = 0, as_expected = 0, differ = 0;
};
Tally tally(const Results& r);

// Per strategy, across the scenarios it ran (rates over the judged cells): means of the per-cell rates, the
// worst of the staleness figures, sums of the counts and of the staleness histograms.
struct StrategySummary {
  std::string strategy;
  std::size_t cells = 0, failing = 0;
  std::uint64_t reads = 0, writes = 0;
  double hit_rate = 0;               // mean across scenarios, 0..1
  // Mean across the scenarios whose results carry it (stats.ideal_hit_rate): a perfect
  // invalidator's hit rate on the same histories; nullopt when none does.
  std::optional<double> ideal_hit_rate;
  // hit_rate / ideal_hit_rate over the same scenarios ("× ideal"); nullopt without an ideal.
  std::optional<double> vs_ideal() const;
  double hit_rate_with_ideal = 0;    // mean hit rate over those scenarios only
  double cache_ops_per_write = 0;    // mean across scenarios
  double round_trips_per_write = 0;  // mean across scenarios
  double max_staleness_s = 0;        // max across scenarios
  double p99_staleness_s = 0;        // worst scenario's p99
  std::optional<StalenessHistogram> staleness;  // summed, when every cell with one has the same bounds
};
std::vector<StrategySummary> strategy_summaries(const Results& r);

// The cells a report explains: every cell whose verdict differs from its
// expectation (first), then every other failing cell, in run order.
std::vector<const Cell*> cells_to_explain(const Results& r);

// Cells that are unsupported or unknown, with why.
std::vector<std::pair<const Cell*, std::string>> unjudged_cells(const Results& r);

std::string cell_key(const std::string& strategy, const std::string& scenario);  // "robust--multi-tab"
std::string cell_title(const Cell& c);  // "robust × multi-tab"
// "stale-visible of item 1f2e… for user 1 (tab alice-1) at server-cache, 12.000 s stale"
std::string describe_violation(const FirstViolation& v);
std::string expected_vs_got(const Cell& c);  // "expected pass, got fail"
std::string violation_counts(const std::map<std::string, std::uint64_t>& counts);  // "stale-visible ×3, dangling ×1"
// "unsupported: <reason>" / "unknown: 3 reads and 1 write indeterminate"; "" for pass/fail.
std::string why_unjudged(const Cell& c);

// The counterexample's path spelled under the results' directory ("" when the
// cell has none), the replay command for it, and the curl script beside it.
std::string counterexample_path(const Cell& c, const std::string& results_dir);
std::string replay_command(const Cell& c, const std::string& results_dir);
std::string curl_script_path(const Cell& c, const std::string& results_dir);

// The narrated reproduction of a cell: its counterexample's steps, one line
// each, with what the target answered; the run's own timeline when the file is
// missing; empty when neither.
std::vector<std::string> narrate(const Counterexample& c);
std::vector<std::string> reproduction(const Documents& d, const Cell& c);

// Fixed-point, C locale, no "-0"; "n/a" for NaN/inf.
std::string fixed(double v, int decimals);
// Up to `decimals` decimals, trailing zeros trimmed ("2", "2.5", "0.125").
std::string trimmed(double v, int decimals = 3);
// 0.875 → "87.5 %"
std::string percent(double fraction);
// Ops checked per second, 0 when no time elapsed.
double ops_per_second(const Results& r);
// 1234 ns → "1.23 µs"; nullopt → "—".
std::string duration_ns(std::optional<double> ns);

// Scenario abbreviations for narrow headers: word initials, lengthened where two
// would collide ("concurrent-users" → "CU", "edits"/"eviction" → "ED"/"EV").
std::vector<std::string> abbreviations(const std::vector<std::string>& names);

// & < > " ' escaped; characters XML 1.0 forbids dropped. Good for HTML text and attributes too.
std::string escape_xml(std::string_view s);
// Like escape_xml, and newlines/tabs as character references (attribute values).
std::string escape_xml_attr(std::string_view s);
// A Markdown code span holding `s` verbatim (fenced with enough backticks).
std::string md_code(std::string_view s);
// Text that stays text in Markdown: '<' as "&lt;" (no raw HTML), newlines flattened.
std::string md_text(std::string_view s);
// md_text, safe inside a table cell too (pipes escaped).
std::string md_cell(std::string_view s);
// The Markdown subset bench.md and gate.md use (headings, paragraphs, lists,
// pipe tables, quotes, `code`, **bold**) as escaped HTML.
std::string markdown_to_html(const std::string& md);
// A document to embed in report.md: every heading one level deeper, without
// its "# " title line unless keep_title (then the title heads its section).
std::string embedded_markdown(const std::string& md, bool keep_title = false);

}  // namespace detail
}  // namespace cachecheck::reports
