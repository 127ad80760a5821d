// report.html: the Markdown report's story as one self-contained page — inline
// CSS, inline SVG, no scripts, no external fonts or URLs. Every piece of text
// from the results goes through escape_xml.
#include "cachecheck_reports/render.h"

#include <cctype>

namespace cachecheck::reports {

namespace {

using namespace detail;

constexpr const char* css = R"css(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2em auto; max-width: 1200px;
       padding: 0 1em; color: #1f2328; line-height: 1.45; }
h1 { margin-bottom: .2em; }
h2 { border-bottom: 1px solid #d0d7de; padding-bottom: .2em; margin-top: 1.8em; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .92em; }
dl.run { display: grid; grid-template-columns: max-content auto; gap: .15em 1em; }
dl.run dt { font-weight: 600; }
dl.run dd { margin: 0; }
.summary { font-size: 1.1em; font-weight: 600; padding: .4em .7em; border-radius: 6px; display: inline-block; }
.summary.ok { background: #e6f4ea; color: #1e6b2e; }
.summary.bad { background: #fff4e5; color: #8a4b00; }
.warning { background: #fff4e5; border-left: 4px solid #b26a00; padding: .4em .8em; }
table { border-collapse: collapse; margin: .6em 0; }
th, td { border: 1px solid #d0d7de; padding: .3em .6em; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
table.matrix td.cell { text-align: center; min-width: 5.5em; }
table.matrix td.cell a { color: inherit; text-decoration: none; }
td.pass { background: #e6f4ea; color: #1e6b2e; }
td.fail { background: #fde2e1; color: #a50e0e; }
td.missing { background: #f6f8fa; color: #8c959f; }
td.unexpected { outline: 3px dashed #6a1b9a; outline-offset: -4px; font-weight: 700; }
.mark { color: #6a1b9a; }
.legend { color: #57606a; font-size: .92em; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
figure { margin: 0; }
figure svg.chart { border: 1px solid #d0d7de; border-radius: 6px; max-width: 100%; height: auto; }
figcaption { color: #57606a; font-size: .9em; max-width: 720px; }
td.unsupported, td.unknown { background: #f1f3f5; color: #57606a; }
.gate-pass { background: #e6f4ea; color: #1e6b2e; }
.gate-fail { background: #fde2e1; color: #a50e0e; }
@media print {
  body { max-width: none; margin: 0; }
  .scroll { overflow: visible; }
  section.failure, figure, table { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
section.failure { border: 1px solid #d0d7de; border-left: 6px solid #a50e0e; border-radius: 6px; padding: .2em 1em .8em;
                  margin: 1em 0; }
section.failure.unexpected { border-left-color: #6a1b9a; background: #fbf7fd; }
section.failure h3 { margin: .5em 0 .3em; }
ol.timeline li { margin: .15em 0; }
.flow-end { font-weight: 600; color: #a50e0e; }
)css";

std::string esc(std::string_view s) { return escape_xml(s); }

// An id fragment from a cell's names: letters, digits and '-' only.
std::string anchor(const Cell& c) {
  std::string out = "cell-";
  for (char ch : cell_key(c.strategy, c.scenario)) out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '-';
  return out;
}

void header(std::string& out, const Results& r) {
  out += "<h2>Run</h2>\n<dl class=\"run\">\n";
  auto row = [&](const char* k, const std::string& v) { out += "<dt>" + std::string(k) + "</dt><dd>" + v + "</dd>\n"; };
  row("tool", "cachecheck " + esc(r.version.empty() ? "(unknown version)" : r.version));
  row("seed", "<code>" + std::to_string(r.seed) + "</code>");
  row("target", "<code>" + esc(r.target) + "</code>");
  row("backend", "<code>" + esc(r.backend) + "</code>");
  row("cases", std::to_string(r.cases) + " per cell (workers " + std::to_string(r.workers) + ", HTTP cache " +
                   esc(r.http_cache) + ", layers " + esc(r.layers) + ")");
  row("elapsed", fixed(r.elapsed_s, 2) + " s");
  row("ops checked", std::to_string(r.ops_checked) + " (" + fixed(ops_per_second(r), 1) + " per s)");
  out += "</dl>\n";

  auto t = tally(r);
  out += "<p class=\"summary " + std::string(t.differ == 0 ? "ok" : "bad") + "\">" + std::to_string(t.cells) +
         " cells, " + std::to_string(t.as_expected) + " as expected, " + std::to_string(t.differ) + " differ</p>\n";
  if (r.interrupted) out += "<p class=\"warning\">⚠ The run was interrupted: some cells were not judged.</p>\n";
  if (!r.settings_differ.empty()) {
    out += "<p class=\"warning\">⚠ Settings differ from the defaults the expectations assume: ";
    for (std::size_t i = 0; i < r.settings_differ.size(); ++i)
      out += (i ? ", " : "") + std::string("<code>") + esc(r.settings_differ[i]) + "</code>";
    out += ".</p>\n";
  }
}

void matrix(std::string& out, const Results& r) {
  out += "<h2>Matrix</h2>\n";
  auto m = matrix_of(r);
  if (m.strategies.empty()) {
    out += "<p>No cells were run.</p>\n";
    return;
  }
  out += "<div class=\"scroll\">\n<table class=\"matrix\">\n<tr><th>strategy</th>";
  for (auto& sc : m.scenarios) out += "<th>" + esc(sc) + "</th>";
  out += "</tr>\n";
  static const std::map<std::string, std::string> shown = {
      {"pass", "✓ pass"}, {"fail", "✗ fail"}, {"unsupported", "○ unsupported"}, {"unknown", "? unknown"}};
  for (auto& s : m.strategies) {
    out += "<tr><th>" + esc(s) + "</th>";
    for (auto& sc : m.scenarios) {
      const Cell* c = m.at(s, sc);
      if (!c) {
        out += "<td class=\"cell missing\">–</td>";
        continue;
      }
      auto it = shown.find(c->verdict);
      std::string cls = "cell " + (it == shown.end() ? std::string("unknown") : c->verdict) +
                        (c->matches() ? "" : " unexpected");
      std::string tip = cell_title(*c) + ": " + expected_vs_got(*c) + (c->reason.empty() ? "" : " — " + c->reason);
      if (auto why = why_unjudged(*c); !why.empty()) tip += " — " + why;
      std::string body = it == shown.end() ? esc(c->verdict) : it->second;
      if (c->matches() && c->verdict == "fail") body += " <small>(expected)</small>";
      if (!c->matches()) body += "<br><span class=\"mark\">⚠ expected " + esc(c->expected) + "</span>";
      if (c->verdict == "fail" || !c->matches()) body = "<a href=\"#" + anchor(*c) + "\">" + body + "</a>";
      out += "<td class=\"" + cls + "\" title=\"" + escape_xml_attr(tip) + "\">" + body + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</table>\n</div>\n<p class=\"legend\">green: pass · red: fail · grey: unsupported or unknown · <span "
         "class=\"mark\">dashed outline, ⚠</span>: the verdict differs from the expectation · (expected): a failure "
         "the expectations predict</p>\n";
  auto unjudged = unjudged_cells(r);
  if (!unjudged.empty()) {
    out += "<p>Not judged:</p>\n<ul>\n";
    for (auto& [c, why] : unjudged) out += "<li><strong>" + esc(cell_title(*c)) + "</strong> — " + esc(why) + "</li>\n";
    out += "</ul>\n";
  }
}

void charts(std::string& out, const Charts& charts) {
  static const std::pair<const char*, const char*> order[] = {
      {"matrix", "Which strategies fail where, and how often: each cell's share of generated cases with a counted "
                 "violation."},
      {"staleness", "How stale: the distribution of the staleness of every stale read, per strategy."},
      {"write-cost", "At what cost: the median time of one write, per strategy and backend, on a log scale; the "
                     "dashed lines are the floor (one Redis round trip, one in-memory lookup)."},
      {"hit-rate", "What correctness costs in hits as writes grow (the benchmark's mixed workload)."},
      {"nines", "How rarely a read is stale: −log10 of the stale-read rate against the write ratio."}};
  if (charts.svg.empty() && charts.missing.empty()) return;
  out += "<h2>Charts</h2>\n<div class=\"charts\">\n";
  for (auto& [name, caption] : order) {
    if (auto it = charts.svg.find(name); it != charts.svg.end())
      out += "<figure>\n" + it->second + "<figcaption>" + esc(caption) + "</figcaption>\n</figure>\n";
  }
  out += "</div>\n";
  if (!charts.missing.empty()) {
    out += "<p class=\"legend\">Not drawn: ";
    bool first = true;
    for (auto& [name, why] : charts.missing) {
      out += (first ? "" : "; ") + esc(name) + " (" + esc(why) + ")";
      first = false;
    }
    out += ".</p>\n";
  }
}

void stats(std::string& out, const Results& r) {
  out += "<h2>Cost and staleness per strategy</h2>\n";
  auto rows = strategy_summaries(r);
  if (rows.empty()) {
    out += "<p>No cells were run.</p>\n";
    return;
  }
  out += "<p class=\"legend\">Rates are means across the strategy's judged scenarios; staleness is the worst scenario's. "
         "Ideal: the hit rate of a perfect invalidator on the same histories; &times; ideal = hit rate / ideal.</p>\n";
  out += "<table class=\"stats\">\n<tr><th>strategy</th><th>cells</th><th>failing</th><th>hit rate</th>"
         "<th>ideal</th><th>&times; ideal</th>"
         "<th>cache ops / write</th><th>round trips / write</th><th>max staleness (s)</th>"
         "<th>p99 staleness (s)</th></tr>\n";
  for (auto& s : rows) {
    out += "<tr><th>" + esc(s.strategy) + "</th><td class=\"num\">" + std::to_string(s.cells) +
           "</td><td class=\"num\">" + std::to_string(s.failing) + "</td><td class=\"num\">" + percent(s.hit_rate) +
           "</td><td class=\"num\">" + (s.ideal_hit_rate ? percent(*s.ideal_hit_rate) : "&mdash;") +
           "</td><td class=\"num\">" + (s.vs_ideal() ? fixed(*s.vs_ideal(), 2) : "&mdash;") +
           "</td><td class=\"num\">" + fixed(s.cache_ops_per_write, 2) + "</td><td class=\"num\">" +
           fixed(s.round_trips_per_write, 2) + "</td><td class=\"num\">" + fixed(s.max_staleness_s, 3) +
           "</td><td class=\"num\">" + fixed(s.p99_staleness_s, 3) + "</td></tr>\n";
  }
  out += "</table>\n";
}

void failure(std::string& out, const Documents& d, const Cell& c) {
  const std::string& dir = d.results->dir;
  bool unexpected = !c.matches();
  out += "<section class=\"failure" + std::string(unexpected ? " unexpected" : "") + "\" id=\"" + anchor(c) + "\">\n";
  out += "<h3>" + std::string(unexpected ? "⚠ " : "") + esc(cell_title(c)) + "</h3>\n";
  out += unexpected ? "<p><strong>Differs from the expectation: " + esc(expected_vs_got(c)) + ".</strong></p>\n"
                    : std::string("<p>Fails as expected.</p>\n");
  if (!c.reason.empty()) out += "<blockquote>" + esc(c.reason) + "</blockquote>\n";
  if (auto why = why_unjudged(c); !why.empty()) {
    out += "<p>" + esc(why) + "</p>\n</section>\n";
    return;
  }
  if (c.verdict == "pass") {
    out += "<p>✓ no violation in " + std::to_string(c.cases_run) + " cases</p>\n</section>\n";
    return;
  }
  out += "<ul>\n";
  out += "<li><strong>first violation:</strong> " +
         (c.first_violation ? esc(describe_violation(*c.first_violation)) : std::string("not recorded")) + "</li>\n";
  if (auto counts = violation_counts(c.violations); !counts.empty())
    out += "<li><strong>violations:</strong> " + esc(counts) + "</li>\n";
  if (!c.signature.empty()) {
    std::string sig;
    for (auto& s : c.signature) sig += (sig.empty() ? "" : ", ") + std::string("<code>") + esc(s) + "</code>";
    out += "<li><strong>signature:</strong> " + sig + "</li>\n";
  }
  if (auto counts = violation_counts(c.client_store_violations); !counts.empty())
    out += "<li><strong>client store (beside the verdict):</strong> " + esc(counts) + "</li>\n";
  out += "<li><strong>cases run:</strong> " + std::to_string(c.cases_run) + ", " +
         std::to_string(c.stats.violating_cases) + " with a counted violation; max staleness " +
         fixed(c.stats.max_staleness_s, 3) + " s, p99 " + fixed(c.stats.p99_staleness_s, 3) + " s</li>\n";
  if (auto path = counterexample_path(c, dir); !path.empty()) {
    out += "<li><strong>replay:</strong> <code>" + esc(replay_command(c, dir)) + "</code>";
    if (c.counterexample_steps) out += " (" + std::to_string(*c.counterexample_steps) + " steps)";
    out += "</li>\n<li><strong>curl script:</strong> <code>" + esc(curl_script_path(c, dir)) +
           "</code> (against a <code>calendar-server</code> on <code>$BASE</code>)</li>\n";
  } else {
    out += "<li><strong>counterexample:</strong> none saved</li>\n";
  }
  if (auto it = d.counterexample_errors.find(cell_key(c.strategy, c.scenario)); it != d.counterexample_errors.end())
    out += "<li><strong>counterexample file:</strong> " + esc(it->second) + "</li>\n";
  out += "</ul>\n";
  auto steps = reproduction(d, c);
  if (!steps.empty()) {
    out += "<p>Minimal reproduction:</p>\n<ol class=\"timeline\">\n";
    for (auto& line : steps) out += "<li>" + esc(line) + "</li>\n";
    out += "</ol>\n";
  }
  out += "</section>\n";
}

}  // namespace

std::string html_report(const Documents& d, const Charts& c) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>cachecheck report" + (d.results ? " — seed " + std::to_string(d.results->seed) : std::string()) +
         "</title>\n";
  out += "<style>" + std::string(css) + "</style>\n</head>\n<body>\n<h1>cachecheck report</h1>\n";
  if (d.gate) {
    out += "<section class=\"gate\">\n" + markdown_to_html(embedded_markdown(gate_markdown(*d.gate), true)) +
           "</section>\n";
  }
  if (d.results) {
    header(out, *d.results);
    matrix(out, *d.results);
  }
  charts(out, c);
  if (d.results) {
    stats(out, *d.results);
    out += "<h2>Failures</h2>\n";
    auto cells = cells_to_explain(*d.results);
    if (cells.empty()) out += "<p>None: no cell failed and every verdict equals its expectation.</p>\n";
    for (auto* cell : cells) failure(out, d, *cell);
  }
  if (d.bench) {
    out += "<section class=\"bench\">\n" +
           markdown_to_html("## Benchmarks\n\n" + embedded_markdown(bench_markdown(*d.bench))) + "</section>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace cachecheck::reports
