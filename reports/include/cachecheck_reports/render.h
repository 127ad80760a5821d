// Rendering of a matrix run's results: the terminal table, report.md,
// report.html (self-contained, inline SVG charts) and junit.xml.
//
// Every renderer is a pure function, RunResults in → text out: the same results
// give the same bytes (no clock, no locale, no environment). Only write_all
// touches the file system. Reports read results; they run nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "run/results.h"

namespace cachecheck::reports {

// Where `cachecheck run` writes by default; replay commands and script paths in
// the reports are spelled relative to it unless told otherwise.
inline constexpr const char* default_out_dir = "reports/out";

// The matrix at a glance: rows = strategies, columns = scenarios (abbreviated,
// with a legend, when the full names would make the table too wide). Each cell
// is `pass` / `FAIL`, with a `!` when the verdict differs from the expectation;
// coloured green when as expected, red when not (only when `color`). Ends with
// "N cells, M as expected, K differ" and, when settings_differ is non-empty, a
// line naming those settings. With color=false there are no ANSI codes at all.
std::string terminal_table(const RunResults& r, bool color);

// report.md: the run's header, the matrix, per-strategy cost and staleness, and
// one section per failing cell (the unexpected ones first, flagged) with its
// first violation, counterexample, replay command, curl script and timeline.
// Paths to counterexamples are given under `out_dir`.
std::string markdown_report(const RunResults& r, const std::string& out_dir = default_out_dir);

// report.html: the same story, self-contained (inline CSS and SVG, no scripts,
// no external fonts or URLs), with a colour matrix and three charts (round trips
// per write and hit rate per strategy, max staleness per cell).
std::string html_report(const RunResults& r, const std::string& out_dir = default_out_dir);

// junit.xml: one <testsuite name="cachecheck">, one <testcase> per cell
// (classname = strategy, name = scenario), a <failure> where the verdict differs
// from its expectation (its message: expected vs got and the first violation;
// its body: the replay command and the timeline).
std::string junit_xml(const RunResults& r, const std::string& out_dir = default_out_dir);

// Writes report.md, report.html and junit.xml into out_dir, creating it.
// Throws std::runtime_error naming the path on failure.
void write_all(const RunResults& r, const std::string& out_dir);

// ---- shared by the renderers (and their tests); not a stable interface ----
namespace detail {

// The cells as a grid: strategies and scenarios in order of first appearance in
// the runs (the runner's order, so the reports are deterministic).
struct Matrix {
  std::vector<std::string> strategies, scenarios;
  std::map<std::pair<std::string, std::string>, const CellResult*> cells;  // (strategy, scenario)
  const CellResult* at(const std::string& strategy, const std::string& scenario) const;  // nullptr: not run
};
Matrix matrix_of(const RunResults& r);

struct Tally {
  std::size_t cells = 0, as_expected = 0, differ = 0;
};
Tally tally(const RunResults& r);

// Per strategy, across the scenarios it ran: means of the per-cell rates, the
// worst of the staleness figures, sums of the counts.
struct StrategySummary {
  std::string strategy;
  std::size_t cells = 0, failing = 0;
  std::uint64_t reads = 0, writes = 0;
  double hit_rate = 0;               // mean across scenarios, 0..1
  double cache_ops_per_write = 0;    // mean across scenarios
  double round_trips_per_write = 0;  // mean across scenarios
  double max_staleness_s = 0;        // max across scenarios
  double p99_staleness_s = 0;        // worst scenario's p99
};
std::vector<StrategySummary> strategy_summaries(const RunResults& r);

// The cells a report explains: every failing cell and every cell whose verdict
// differs from its expectation; those that differ first, then run order.
std::vector<const CellResult*> cells_to_explain(const RunResults& r);

// "robust × multi-tab"
std::string cell_title(const CellResult& c);
// "stale-visible of item 1f2e… for user 1 (tab alice-1) at server-cache, 12.0 s stale"
std::string describe_violation(const FirstViolation& v);
// "expected pass, got fail"
std::string expected_vs_got(const CellResult& c);
// "stale-visible ×3, dangling ×1"; "" when none
std::string violation_counts(const std::map<std::string, std::uint64_t>& counts);

// The counterexample's path under out_dir ("" when the cell has none), the
// replay command for it, and the curl script beside it (same name, .sh).
std::string counterexample_path(const CellResult& c, const std::string& out_dir);
std::string replay_command(const CellResult& c, const std::string& out_dir);
std::string curl_script_path(const CellResult& c, const std::string& out_dir);

// Fixed-point, C locale, no "-0"; "n/a" for NaN/inf.
std::string fixed(double v, int decimals);
// Up to `decimals` decimals, trailing zeros trimmed ("2", "2.5", "0.125").
std::string trimmed(double v, int decimals = 3);
// 0.875 → "87.5 %"
std::string percent(double fraction);
// Ops checked per second, 0 when no time elapsed.
double ops_per_second(const RunResults& r);

// Scenario abbreviations for narrow headers: word initials, lengthened where two
// would collide ("concurrent-users" → "CU", "edits"/"eviction" → "ED"/"EV").
std::vector<std::string> abbreviations(const std::vector<std::string>& names);

// & < > " ' escaped; characters XML 1.0 forbids (control characters other than
// tab, newline, carriage return) dropped. Good for HTML text and attributes too.
std::string escape_xml(std::string_view s);
// Like escape_xml, and newlines/tabs as character references, for attribute values
// that must keep them.
std::string escape_xml_attr(std::string_view s);
// A Markdown code span holding `s` verbatim (fenced with enough backticks).
std::string md_code(std::string_view s);
// Text that stays text in Markdown: '<' as "&lt;" (no raw HTML), newlines flattened.
std::string md_text(std::string_view s);
// md_text, safe inside a table cell too (pipes escaped).
std::string md_cell(std::string_view s);

// ---- SVG charts (svg_charts.cpp) -------------------------------------------
struct Bar {
  std::string label;
  double value = 0;
};
struct BarChart {
  std::string title;
  std::string category_axis;  // e.g. "strategy"
  std::string value_axis;     // e.g. "round trips per write (mean across scenarios)"
  std::vector<Bar> bars;
  double fixed_max = 0;  // > 0: the value axis ends here (e.g. 1 for rates); else a round number ≥ the largest bar
  std::function<std::string(double)> format = [](double v) { return trimmed(v); };
};
// A horizontal bar chart: categories down the left, the value axis along the
// bottom with ticks, each bar's value written beside it. Empty data or all zeros
// give a chart that says so, never a division by zero.
std::string svg_bar_chart(const BarChart& chart);

struct HeatMap {
  std::string title;
  std::string row_axis, column_axis;  // e.g. "strategy", "scenario"
  std::vector<std::string> rows, columns;
  std::map<std::pair<std::string, std::string>, double> values;  // (row, column); missing → "–"
  std::function<std::string(double)> format = [](double v) { return trimmed(v, 1); };
};
// A grid of cells shaded by value (white → red, relative to the largest), each
// with its value written in it; row and column labels and axis titles.
std::string svg_heat_map(const HeatMap& map);

}  // namespace detail
}  // namespace cachecheck::reports
