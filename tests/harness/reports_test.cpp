// The report renderers: a hand-built 2 × 2 run (one failure the expectations
// predict, told with a timeline; one verdict that differs from its expectation)
// rendered as terminal table, Markdown, HTML and JUnit; empty runs, zero and
// non-finite stats; write_all on disk.
#include "cachecheck_reports/render.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace {

using namespace cachecheck;
namespace rp = cachecheck::reports;
namespace fs = std::filesystem;

const char* const injected = "alice-1 creates '<script>alert(\"x\")</script> & co'";

CellResult cell(std::string strategy, std::string scenario, std::string verdict, std::string expected) {
  CellResult c;
  c.strategy = std::move(strategy);
  c.scenario = std::move(scenario);
  c.verdict = std::move(verdict);
  c.expected = std::move(expected);
  c.cases_run = 100;
  c.stats = CellStats{400, 120, 0.75, 1.0, 2.0, 0.0, 0.0};
  c.elapsed_s = 0.25;
  return c;
}

// ttl-only fails multiple-deletions as expected; robust fails multi-tab, which it should pass.
RunResults sample() {
  RunResults r;
  r.version = "0.1.0";
  r.seed = 42;
  r.cases = 100;
  r.elapsed_s = 2.0;
  r.ops_checked = 5000;

  auto a = cell("ttl-only", "multiple-deletions", "fail", "fail");
  a.reason = "a TTL leaves deleted items visible until it expires";
  a.violations = {{"stale-visible", 7}, {"dangling", 2}};
  a.first_violation = FirstViolation{"stale-visible", "1f2e3d4c", "server-cache", 1, "alice-1", 12.5};
  a.counterexample = "counterexamples/ttl-only--multiple-deletions.json";
  a.counterexample_steps = 4;
  a.timeline = {"alice-1 opens the calendar (fullcalendar-month, 2025-10-06, firstDay 1), no filter",
                "alice-1 deletes 1f2e3d4c", injected, "alice-1 refreshes the page (F5)"};
  a.stats.max_staleness_s = 12.5;
  a.stats.p99_staleness_s = 10.0;

  auto b = cell("ttl-only", "multi-tab", "pass", "pass");
  auto c = cell("robust", "multiple-deletions", "pass", "pass");

  auto d = cell("robust", "multi-tab", "fail", "pass");
  d.reason = "needs \"fresh\" reads & <no> stale tabs";
  d.violations = {{"stale-content", 1}};
  d.first_violation = FirstViolation{"stale-content", "item<&>\"1\"", "http-cache", 2, "bob-2", 3.0};
  d.counterexample = "counterexamples/robust--multi-tab.json";
  d.counterexample_steps = 6;
  d.timeline = {"bob-1 opens the calendar", "bob-2 edits item<&>\"1\"", "bob-1 refreshes the page (F5)"};
  d.stats.max_staleness_s = 3.0;
  d.stats.p99_staleness_s = 3.0;

  r.runs = {a, b, c, d};
  return r;
}

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + needle.size())) ++n;
  return n;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string line_starting(const std::string& text, const std::string& prefix) {
  for (auto& l : lines_of(text))
    if (l.rfind(prefix, 0) == 0) return l;
  return "";
}

// A small well-formedness check for generated XML (no DTDs, no CDATA): tags
// balance, attribute values are quoted and hold no '<', every '&' starts a known
// entity or a character reference. Returns "" when fine, else what is wrong.
std::string xml_problem(const std::string& x) {
  std::vector<std::string> stack;
  auto entity_ok = [&](std::size_t i) {
    for (const char* e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"})
      if (x.compare(i, std::string(e).size(), e) == 0) return true;
    return false;
  };
  std::size_t i = 0;
  while (i < x.size()) {
    if (x[i] == '&' && !entity_ok(i)) return "bare & at " + std::to_string(i);
    if (x[i] != '<') {
      if (x[i] == '>') return "bare > at " + std::to_string(i);
      ++i;
      continue;
    }
    if (x.compare(i, 2, "<?") == 0) {
      auto end = x.find("?>", i);
      if (end == std::string::npos) return "unterminated <?";
      i = end + 2;
      continue;
    }
    bool closing = x.compare(i, 2, "</") == 0;
    std::size_t j = i + (closing ? 2 : 1);
    std::string name;
    while (j < x.size() && (std::isalnum(static_cast<unsigned char>(x[j])) || x[j] == '-' || x[j] == '_' || x[j] == ':'))
      name += x[j++];
    if (name.empty()) return "tag without a name at " + std::to_string(i);
    bool self_closing = false;
    while (j < x.size() && x[j] != '>') {
      if (x[j] == '"') {
        auto end = x.find('"', j + 1);
        if (end == std::string::npos) return "unterminated attribute value";
        auto value = x.substr(j + 1, end - j - 1);
        if (value.find('<') != std::string::npos) return "'<' in an attribute value";
        j = end + 1;
        continue;
      }
      if (x[j] == '/' && j + 1 < x.size() && x[j + 1] == '>') self_closing = true;
      if (x[j] == '<') return "'<' inside a tag";
      ++j;
    }
    if (j >= x.size()) return "unterminated tag <" + name;
    if (closing) {
      if (stack.empty() || stack.back() != name) return "</" + name + "> closes nothing open";
      stack.pop_back();
    } else if (!self_closing) {
      stack.push_back(name);
    }
    i = j + 1;
  }
  return stack.empty() ? "" : "<" + stack.back() + "> never closed";
}

// ---- terminal ---------------------------------------------------------------

TEST(TerminalTable, PlainHasNoAnsiAndMarksTheUnexpectedCell) {
  auto t = rp::terminal_table(sample(), false);
  EXPECT_EQ(t.find('\x1b'), std::string::npos) << t;
  auto header = line_starting(t, "strategy");
  EXPECT_NE(header.find("multiple-deletions"), std::string::npos) << t;
  EXPECT_NE(header.find("multi-tab"), std::string::npos) << t;
  auto ttl = line_starting(t, "ttl-only");
  auto robust = line_starting(t, "robust");
  EXPECT_NE(ttl.find("FAIL"), std::string::npos) << t;
  EXPECT_EQ(ttl.find("!"), std::string::npos) << "a failure as expected carries no mark: " << ttl;
  EXPECT_NE(robust.find("FAIL!"), std::string::npos) << t;
  EXPECT_NE(t.find("4 cells, 3 as expected, 1 differ"), std::string::npos) << t;
  EXPECT_NE(t.find("robust × multi-tab (expected pass, got fail)"), std::string::npos) << t;
  EXPECT_EQ(t.find("settings differ"), std::string::npos) << t;
}

TEST(TerminalTable, ColourIsRedWhenUnexpectedGreenWhenAsExpected) {
  auto t = rp::terminal_table(sample(), true);
  EXPECT_NE(t.find("\x1b[1;31mFAIL!\x1b[0m"), std::string::npos) << t;
  EXPECT_NE(t.find("\x1b[32mFAIL\x1b[0m"), std::string::npos) << t;  // the expected failure
  EXPECT_NE(t.find("\x1b[32mpass\x1b[0m"), std::string::npos) << t;
}

TEST(TerminalTable, NamesSettingsThatDiffer) {
  auto r = sample();
  r.settings_differ = {"workers", "http-cache"};
  auto t = rp::terminal_table(r, false);
  EXPECT_NE(t.find("settings differ from the defaults the expectations assume: workers, http-cache"),
            std::string::npos)
      << t;
}

TEST(TerminalTable, AbbreviatesAWideMatrixWithALegend) {
  RunResults r;
  const std::vector<std::string> scenarios = {"concurrent-users", "multi-tab",    "filter-changes",   "cross-month",
                                              "multiple-deletions", "cascade-delete", "edits", "read-delete-race",
                                              "multi-worker",     "eviction",     "ttl-expiry"};
  for (auto* s : {"none", "ttl-only", "sweep", "versioned", "audience", "robust"})
    for (auto& sc : scenarios) r.runs.push_back(cell(s, sc, "pass", "pass"));
  auto t = rp::terminal_table(r, false);
  for (auto& l : lines_of(t)) EXPECT_LE(l.size(), 100u) << l;
  auto header = line_starting(t, "strategy");
  EXPECT_NE(header.find("CU"), std::string::npos) << t;
  EXPECT_NE(header.find("RDR"), std::string::npos) << t;
  EXPECT_NE(t.find("CU = concurrent-users"), std::string::npos) << t;
  EXPECT_NE(t.find("ED = edits"), std::string::npos) << t;
  EXPECT_NE(t.find("EV = eviction"), std::string::npos) << t;
  EXPECT_NE(t.find("66 cells, 66 as expected, 0 differ"), std::string::npos) << t;
}

TEST(Abbreviations, AreUniqueEvenWhenInitialsCollide) {
  auto a = rp::detail::abbreviations({"edits", "eviction", "multi-tab", "multi-tab-x", "a-b", "a-b"});
  ASSERT_EQ(a.size(), 6u);
  EXPECT_EQ(a[0], "ED");
  EXPECT_EQ(a[1], "EV");
  EXPECT_EQ(a[2], "MT");
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = i + 1; j < a.size(); ++j) EXPECT_NE(a[i], a[j]) << i << " " << j;
}

// ---- Markdown -----------------------------------------------------------------

TEST(MarkdownReport, HasHeaderMatrixStatsAndTimelines) {
  auto r = sample();
  auto md = rp::markdown_report(r);
  EXPECT_NE(md.find("- **seed:** 42"), std::string::npos) << md;
  EXPECT_NE(md.find("- **ops checked:** 5000 (2500.0 per s)"), std::string::npos) << md;
  EXPECT_NE(md.find("| strategy | multiple-deletions | multi-tab |"), std::string::npos) << md;
  EXPECT_NE(md.find("| ttl-only | ❌ fail (expected) | ✅ pass |"), std::string::npos) << md;
  EXPECT_NE(md.find("| robust | ✅ pass | ❌ **fail, expected pass** ⚠️ |"), std::string::npos) << md;
  EXPECT_NE(md.find("| ttl-only | 2 | 1 | 75.0 % | 1.00 | 2.00 | 12.500 | 10.000 |"), std::string::npos) << md;
  for (auto& line : r.runs[0].timeline) EXPECT_NE(md.find(line), std::string::npos) << line;
  EXPECT_NE(md.find("1. `alice-1 opens the calendar"), std::string::npos) << md;
  EXPECT_NE(md.find("4. `alice-1 refreshes the page (F5)`"), std::string::npos) << md;
  EXPECT_NE(md.find("`cachecheck replay reports/out/counterexamples/ttl-only--multiple-deletions.json`"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("`reports/out/counterexamples/ttl-only--multiple-deletions.sh`"), std::string::npos) << md;
  EXPECT_NE(md.find("(4 steps)"), std::string::npos) << md;
}

TEST(MarkdownReport, UnexpectedCellsComeFirstAndFlagged) {
  auto md = rp::markdown_report(sample());
  auto unexpected = md.find("### ⚠️ robust × multi-tab");
  auto expected = md.find("### ttl-only × multiple-deletions");
  ASSERT_NE(unexpected, std::string::npos) << md;
  ASSERT_NE(expected, std::string::npos) << md;
  EXPECT_LT(unexpected, expected);
  EXPECT_NE(md.find("Differs from the expectation: expected pass, got fail"), std::string::npos) << md;
  EXPECT_EQ(md.find("### ttl-only × multi-tab"), std::string::npos) << "passing cells get no section";
  EXPECT_NE(md.find("> needs \"fresh\" reads & &lt;no> stale tabs"), std::string::npos) << "no raw HTML: " << md;
}

TEST(MarkdownReport, SpellsPathsUnderTheGivenOutputDirectory) {
  auto md = rp::markdown_report(sample(), "/tmp/run7/");
  EXPECT_NE(md.find("cachecheck replay /tmp/run7/counterexamples/robust--multi-tab.json"), std::string::npos) << md;
  EXPECT_NE(md.find("/tmp/run7/counterexamples/robust--multi-tab.sh"), std::string::npos) << md;
}

// ---- HTML -----------------------------------------------------------------------

TEST(HtmlReport, IsSelfContainedWithChartsAndEscapesText) {
  auto html = rp::html_report(sample());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* external : {"src=\"http", "href=\"http", "src='http", "href='http", "url(", "@import", "<link",
                               "<script", "@font-face"})
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  EXPECT_EQ(count(html, "<svg"), 3u);
  EXPECT_NE(html.find("Round trips per write"), std::string::npos);
  EXPECT_NE(html.find("Cache hit rate"), std::string::npos);
  EXPECT_NE(html.find("Max staleness per cell"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"), std::string::npos);
  EXPECT_NE(html.find("class=\"cell fail unexpected\""), std::string::npos);
  EXPECT_NE(html.find("class=\"cell fail\""), std::string::npos);
  EXPECT_NE(html.find("class=\"cell pass\""), std::string::npos);
  EXPECT_NE(html.find("cachecheck replay reports/out/counterexamples/robust--multi-tab.json"), std::string::npos);
  // The unexpected failure's section comes before the expected one's.
  EXPECT_LT(html.find("id=\"cell-robust--multi-tab\""), html.find("id=\"cell-ttl-only--multiple-deletions\""));
}

TEST(SvgCharts, AreWellFormedWithAxisLabelsAndValues) {
  rp::detail::BarChart c;
  c.title = "Round trips <per> write";
  c.category_axis = "strategy";
  c.value_axis = "round trips per write";
  c.bars = {{"none", 0}, {"sweep", 2.5}, {"robust", 4}};
  auto svg = rp::detail::svg_bar_chart(c);
  EXPECT_EQ(xml_problem(svg), "") << svg;
  EXPECT_NE(svg.find(">strategy</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">round trips per write</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">2.5</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">5</text>"), std::string::npos) << "the axis ends on a round number: " << svg;
  EXPECT_NE(svg.find("Round trips &lt;per&gt; write"), std::string::npos) << svg;

  rp::detail::HeatMap m;
  m.title = "Max staleness";
  m.row_axis = "strategy";
  m.column_axis = "scenario";
  m.rows = {"a", "b"};
  m.columns = {"x", "y"};
  m.values = {{{"a", "x"}, 1.0}, {{"b", "y"}, 0.0}};
  auto heat = rp::detail::svg_heat_map(m);
  EXPECT_EQ(xml_problem(heat), "") << heat;
  EXPECT_NE(heat.find(">scenario</text>"), std::string::npos) << heat;
  EXPECT_NE(heat.find(">–</text>"), std::string::npos) << "a cell not run shows a dash: " << heat;
}

// ---- JUnit ------------------------------------------------------------------------

TEST(JunitXml, OneTestcasePerCellFailuresWhereVerdictDiffers) {
  auto x = rp::junit_xml(sample());
  EXPECT_EQ(xml_problem(x), "") << x;
  EXPECT_EQ(count(x, "<testsuite "), 1u);
  EXPECT_NE(x.find("<testsuite name=\"cachecheck\" tests=\"4\" failures=\"1\""), std::string::npos) << x;
  EXPECT_EQ(count(x, "<testcase "), 4u);
  EXPECT_EQ(count(x, "<failure "), 1u);
  EXPECT_NE(x.find("<testcase classname=\"robust\" name=\"multi-tab\" time=\"0.250\">"), std::string::npos) << x;
  EXPECT_NE(x.find("message=\"expected pass, got fail: stale-content of item item&lt;&amp;&gt;&quot;1&quot;"),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("needs &quot;fresh&quot; reads &amp; &lt;no&gt; stale tabs"), std::string::npos) << x;
  EXPECT_EQ(x.find("item<&>\"1\""), std::string::npos) << x;
  EXPECT_EQ(x.find("<script>"), std::string::npos) << x;
  EXPECT_NE(x.find("<system-out>fails as expected: stale-visible of item 1f2e3d4c"), std::string::npos) << x;
}

TEST(JunitXml, AnUnexpectedPassIsAFailureToo) {
  auto r = sample();
  r.runs[2].expected = "fail";  // robust × multiple-deletions passes where a failure was expected
  auto x = rp::junit_xml(r);
  EXPECT_EQ(xml_problem(x), "") << x;
  EXPECT_NE(x.find("failures=\"2\""), std::string::npos) << x;
  EXPECT_NE(x.find("message=\"expected fail, got pass: no violation in 100 cases\""), std::string::npos) << x;
}

// ---- empty and degenerate results ------------------------------------------------------

TEST(Reports, EmptyResultsRenderWithoutCrashing) {
  RunResults r;
  auto t = rp::terminal_table(r, true);
  EXPECT_NE(t.find("0 cells, 0 as expected, 0 differ"), std::string::npos) << t;
  auto md = rp::markdown_report(r);
  EXPECT_NE(md.find("No cells were run."), std::string::npos) << md;
  auto html = rp::html_report(r);
  EXPECT_NE(html.find("no data"), std::string::npos);
  EXPECT_EQ(html.find("nan"), std::string::npos);
  auto x = rp::junit_xml(r);
  EXPECT_EQ(xml_problem(x), "") << x;
  EXPECT_NE(x.find("tests=\"0\" failures=\"0\""), std::string::npos) << x;
  EXPECT_EQ(count(x, "<testcase "), 0u);
}

TEST(Reports, ZeroAndNonFiniteStatsDrawWithoutDividingByZero) {
  auto r = sample();
  for (auto& c : r.runs) c.stats = CellStats{};
  r.elapsed_s = 0;
  r.runs[1].stats.round_trips_per_write = std::numeric_limits<double>::quiet_NaN();
  r.runs[2].stats.max_staleness_s = std::numeric_limits<double>::infinity();
  auto html = rp::html_report(r);
  for (const char* bad : {"nan", "inf\"", ">inf", "NaN"}) EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  EXPECT_NE(html.find("(0.0 per s)"), std::string::npos);
  auto md = rp::markdown_report(r);
  EXPECT_NE(md.find("| robust | 2 | 1 | 0.0 % | 0.00 | 0.00 | 0.000 | 0.000 |"), std::string::npos) << md;

  rp::detail::BarChart zeros;
  zeros.title = "zeros";
  zeros.bars = {{"a", 0}, {"b", 0}};
  auto svg = rp::detail::svg_bar_chart(zeros);
  EXPECT_EQ(xml_problem(svg), "") << svg;
  EXPECT_EQ(svg.find("nan"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">0</text>"), std::string::npos) << svg;

  rp::detail::BarChart empty;
  empty.title = "empty";
  auto none = rp::detail::svg_bar_chart(empty);
  EXPECT_EQ(xml_problem(none), "") << none;
  EXPECT_NE(none.find("no data"), std::string::npos) << none;
}

TEST(Format, NumbersAreStableAndNeverNegativeZero) {
  EXPECT_EQ(rp::detail::fixed(-0.0001, 1), "0.0");
  EXPECT_EQ(rp::detail::fixed(2.345, 2), "2.35");
  EXPECT_EQ(rp::detail::fixed(std::nan(""), 2), "n/a");
  EXPECT_EQ(rp::detail::trimmed(2.50), "2.5");
  EXPECT_EQ(rp::detail::trimmed(3.0), "3");
  EXPECT_EQ(rp::detail::percent(0.875), "87.5 %");
  EXPECT_EQ(rp::detail::md_code("a `b` c"), "``a `b` c``");
  EXPECT_EQ(rp::detail::escape_xml("a\x01<b>"), "a&lt;b&gt;");
}

// ---- verdicts beyond pass and fail --------------------------------------------------------
//
// A cell may be `unsupported` (the target lacks what its scenario needs) or `unknown`
// (too many operations without an answer), and an expected failure may differ by its
// signature (a kind its expectation does not name). None is a pass; each report says
// which it is and why.

RunResults beyond_pass_and_fail() {
  RunResults r = sample();
  auto u = cell("robust", "multi-worker", "unsupported", "pass");
  u.cases_run = 0;
  u.stats = CellStats{};
  u.unsupported_reason = "it needs at least 2 server processes; the target has 1";
  auto k = cell("robust", "eviction", "unknown", "pass");
  k.unsupported_reason = "40 of 300 requests got no usable answer (indeterminate; more than 5 %)";
  k.indeterminate_reads = 30;
  k.indeterminate_writes = 10;
  auto x = cell("ttl-only", "edits", "fail", "fail");
  x.expected_kinds = {"stale-content"};
  x.violations = {{"stale-content", 3}, {"missing", 1}};
  x.violations_by_layer = {{"stale-content", {{"server-cache", 3}}}, {"missing", {{"server-cache", 1}}}};
  x.first_violation = FirstViolation{"stale-content", "abcd1234", "server-cache", 1, "alice-1", 1.0};
  r.runs.push_back(u);
  r.runs.push_back(k);
  r.runs.push_back(x);
  return r;
}

TEST(BeyondPassAndFail, TheCellsDifferFromTheirExpectations) {
  auto r = beyond_pass_and_fail();
  for (std::size_t i = 4; i < 7; ++i) EXPECT_FALSE(r.runs[i].matches()) << r.runs[i].scenario;
  EXPECT_EQ(r.runs[6].difference(), "fails with missing, which its expectation does not name");
  auto t = rp::terminal_table(r, false);
  EXPECT_NE(t.find("7 cells, 3 as expected, 4 differ"), std::string::npos) << t;
  EXPECT_NE(t.find("unsupported!"), std::string::npos) << t;
  EXPECT_NE(t.find("unknown!"), std::string::npos) << t;
  auto x = rp::junit_xml(r);
  EXPECT_EQ(xml_problem(x), "") << x;
  EXPECT_NE(x.find("failures=\"4\""), std::string::npos) << x;
}

TEST(BeyondPassAndFail, EveryReportNamesTheVerdictNeverAFail) {
  auto r = beyond_pass_and_fail();
  auto md = rp::markdown_report(r);
  EXPECT_NE(md.find("unsupported, expected pass"), std::string::npos) << md;
  EXPECT_NE(md.find("unknown, expected pass"), std::string::npos) << md;
  auto html = rp::html_report(r);
  // The HTML matrix cell of robust × multi-worker shows its verdict, not "fail".
  auto cell_at = html.find("robust × multi-worker: expected pass, got unsupported");
  ASSERT_NE(cell_at, std::string::npos) << html;
  auto td_end = html.find("</td>", cell_at);
  std::string td = html.substr(cell_at, td_end - cell_at);
  EXPECT_NE(td.find("unsupported"), std::string::npos) << td;
  EXPECT_EQ(td.find("fail"), std::string::npos) << "an unsupported cell is not a failure: " << td;
}

TEST(BeyondPassAndFail, EveryReportSaysWhyACellIsUnsupportedOrUnknown) {
  auto r = beyond_pass_and_fail();
  const std::string why_unsupported = "it needs at least 2 server processes; the target has 1";
  const std::string why_unknown = "40 of 300 requests got no usable answer";
  auto md = rp::markdown_report(r);
  EXPECT_NE(md.find(why_unsupported), std::string::npos) << md;
  EXPECT_NE(md.find(why_unknown), std::string::npos) << md;
  EXPECT_EQ(md.find("first violation:** not recorded"), std::string::npos)
      << "a cell that did not run has no violation to record: " << md;
  auto html = rp::html_report(r);
  EXPECT_NE(html.find(why_unsupported), std::string::npos);
  EXPECT_NE(html.find(why_unknown), std::string::npos);
  auto x = rp::junit_xml(r);
  EXPECT_NE(x.find(why_unsupported), std::string::npos) << x;
  EXPECT_NE(x.find(why_unknown), std::string::npos) << x;
}

// The per-strategy means are over the cells that ran: an unsupported cell measured nothing.
TEST(BeyondPassAndFail, AnUnsupportedCellDoesNotDiluteTheStrategysMeans) {
  auto r = beyond_pass_and_fail();  // robust: three cells that ran at 75 % hits, one unsupported
  auto md = rp::markdown_report(r);
  auto row = line_starting(md.substr(md.find("## Cost and staleness")), "| robust |");
  EXPECT_NE(row.find("| 75.0 % |"), std::string::npos) << row;
}

TEST(BeyondPassAndFail, AnExpectedFailureWithAnotherSignatureSaysWhatDiffers) {
  auto r = beyond_pass_and_fail();
  const std::string why = "fails with missing, which its expectation does not name";
  auto md = rp::markdown_report(r);
  EXPECT_NE(md.find(why), std::string::npos) << md;
  EXPECT_EQ(md.find("expected fail, got fail"), std::string::npos) << md;
  auto x = rp::junit_xml(r);
  EXPECT_NE(x.find(why), std::string::npos) << x;
  EXPECT_EQ(x.find("expected fail, got fail"), std::string::npos) << x;
  auto t = rp::terminal_table(r, false);
  EXPECT_EQ(t.find("expected fail, got fail"), std::string::npos) << t;
}

// ---- write_all ---------------------------------------------------------------------------

TEST(WriteAll, WritesTheThreeReportsAndCreatesTheDirectory) {
  auto dir = fs::path(testing::TempDir()) / "cachecheck_reports_test" / "nested" / "out";
  fs::remove_all(dir.parent_path().parent_path());
  rp::write_all(sample(), dir.string());
  for (const char* name : {"report.md", "report.html", "junit.xml"}) {
    ASSERT_TRUE(fs::exists(dir / name)) << name;
    EXPECT_GT(fs::file_size(dir / name), 100u) << name;
  }
  std::ifstream md(dir / "report.md");
  std::string text((std::istreambuf_iterator<char>(md)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("cachecheck replay " + (dir / "counterexamples/robust--multi-tab.json").generic_string()),
            std::string::npos);
  fs::remove_all(dir.parent_path().parent_path());
}

TEST(WriteAll, ThrowsWithThePathWhenItCannotWrite) {
  auto base = fs::path(testing::TempDir()) / "cachecheck_reports_test_file";
  fs::remove_all(base);
  std::ofstream(base) << "a file, not a directory";
  auto dir = (base / "out").string();
  try {
    rp::write_all(sample(), dir);
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(dir), std::string::npos) << e.what();
  }
  fs::remove_all(base);
}

}  // namespace
