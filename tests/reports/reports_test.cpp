// The renderers, from fixture files only (tests/reports/fixtures): results.json
// with every later field (unsupported and unknown cells, signatures, staleness
// histograms), two counterexamples, a bench.json with per-repetition samples.
// report.md is compared with a golden file (CACHECHECK_UPDATE_GOLDEN=1 rewrites
// it); the HTML's SVGs are parsed by xmllint; junit.xml by junitparser.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "cachecheck_reports/render.h"
#include "junit_count.h"

namespace {

namespace fs = std::filesystem;
using cachecheck::testing::junit_counts;
namespace rp = cachecheck::reports;
using nlohmann::json;

const fs::path kFixtures = fs::path(CACHECHECK_SOURCE_DIR) / "tests/reports/fixtures";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + needle.size())) ++n;
  return n;
}

fs::path temp_dir(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("cachecheck-reports-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// The fixture documents, with paths spelled as `cachecheck run` would (reports/out).
rp::Documents fixture(bool bench = true) {
  auto d = rp::load_documents({(kFixtures / "results.json").string(), bench ? (kFixtures / "bench.json").string() : "", ""});
  d.results->dir = "reports/out";
  return d;
}


bool xmllint_ok(const fs::path& file) {
  return std::system(("xmllint --noout " + file.string() + " 2>/dev/null").c_str()) == 0;
}

// ---- reading ----------------------------------------------------------------------

TEST(Documents, ReadEveryLaterFieldOfResults) {
  auto d = fixture();
  const auto& r = *d.results;
  ASSERT_EQ(r.runs.size(), 6u);
  EXPECT_EQ(r.seed, 42u);
  EXPECT_FALSE(r.interrupted);
  const auto& fail = r.runs[0];
  EXPECT_EQ(fail.signature, (std::vector<std::string>{"dangling@server-cache", "stale-visible@server-cache"}));
  ASSERT_TRUE(fail.staleness);
  EXPECT_EQ(fail.staleness->total(), 7u);
  EXPECT_EQ(fail.violations_by_layer.at("stale-visible").at("server-cache"), 7u);
  ASSERT_TRUE(fail.stats.store_queries_per_read);
  EXPECT_DOUBLE_EQ(*fail.stats.ideal_hit_rate, 0.8);
  EXPECT_EQ(r.runs[2].verdict, "unsupported");
  EXPECT_NE(r.runs[2].unsupported_reason.find("clock"), std::string::npos);
  ASSERT_TRUE(r.runs[5].indeterminate);
  EXPECT_EQ(r.runs[5].indeterminate->reads, 12u);
  EXPECT_EQ(d.counterexamples.size(), 2u);
  EXPECT_TRUE(d.counterexample_errors.empty());
  ASSERT_TRUE(d.bench);
  const auto* sweep = d.bench->get("invalidate/sweep/redis");
  ASSERT_NE(sweep, nullptr);
  EXPECT_EQ(sweep->samples_ns.size(), 5u);
  EXPECT_DOUBLE_EQ(*sweep->real_ns, 2000e3);
  EXPECT_EQ(sweep->counter_samples.at("round_trips").size(), 5u);
}

TEST(Documents, TheFirstFormatStillReads) {
  json old = {{"tool", "cachecheck"},
              {"seed", 1},
              {"runs",
               {{{"strategy", "sweep"},
                 {"scenario", "edits"},
                 {"verdict", "fail"},
                 {"expected", "fail"},
                 {"violations", {{"stale-content", 3}}},
                 {"stats", {{"reads", 10}, {"writes", 2}, {"hit_rate", 0.5}}}}}}};
  auto r = rp::results_from_json(old);
  ASSERT_EQ(r.runs.size(), 1u);
  EXPECT_EQ(r.runs[0].signature, std::vector<std::string>{"stale-content"});  // the layer is not known
  EXPECT_FALSE(r.runs[0].staleness);
  EXPECT_FALSE(r.runs[0].stats.store_queries_per_read);
}

TEST(Documents, BadFilesSayWhichAndWhy) {
  auto dir = temp_dir("bad");
  write(dir / "broken.json", "{\"tool\": ");
  write(dir / "other.json", "{\"tool\": \"something else\"}");
  auto message = [](auto&& f) {
    try {
      f();
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  auto broken = (dir / "broken.json").string(), other = (dir / "other.json").string();
  EXPECT_NE(message([&] { rp::load_results(broken); }).find(broken + " is not valid JSON"), std::string::npos);
  EXPECT_NE(message([&] { rp::load_results(other); }).find("not a cachecheck results.json"), std::string::npos);
  EXPECT_NE(message([&] { rp::load_bench(other); }).find("not Google Benchmark JSON"), std::string::npos);
  EXPECT_NE(message([&] { rp::load_gate(other); }).find("not a cachecheck gate.json"), std::string::npos);
  EXPECT_NE(message([&] { rp::load_results((dir / "absent.json").string()); }).find("cannot read"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Documents, AMissingCounterexampleIsNotedAndTheRunsTimelineTold) {
  auto dir = temp_dir("missing-ce");
  auto j = json::parse(read(kFixtures / "results.json"));
  j["runs"][4]["counterexample"] = "counterexamples/gone.json";
  j["runs"][4]["timeline"] = {"1. bob-1 opens the calendar", "2. bob-2 edits it"};
  write(dir / "results.json", j.dump());
  auto d = rp::load_documents({(dir / "results.json").string(), "", ""});
  ASSERT_EQ(d.counterexample_errors.count("robust--multi-tab"), 1u);
  auto md = rp::markdown_report(d);
  EXPECT_NE(md.find("1. `bob-1 opens the calendar`"), std::string::npos) << md;
  EXPECT_NE(md.find("cannot read counterexample"), std::string::npos) << md;
  fs::remove_all(dir);
}

// Null where a number could stand (a step without a filter, an operation that got no
// answer) is told, never thrown: the report of a run must not fail on its own files.
TEST(Narrate, NullNumbersAndIndeterminateOperationsAreTold) {
  auto j = json::parse(read(kFixtures / "counterexamples/ttl-only--multiple-deletions.json"));
  auto c = rp::counterexample_from_json(j);
  ASSERT_FALSE(c.steps.empty());
  ASSERT_FALSE(c.ops.empty());
  for (auto& step : c.steps)
    if (step.is_object()) step["user"] = nullptr, step["status"] = nullptr, step["seconds"] = nullptr;
  for (auto& op : c.ops) op["status"] = nullptr, op["index"] = nullptr;
  c.ops[0]["index"] = 0;
  c.ops[0]["outcome"] = "indeterminate";
  std::vector<std::string> lines;
  ASSERT_NO_THROW(lines = rp::detail::narrate(c));
  ASSERT_FALSE(lines.empty());
  std::string all;
  for (auto& l : lines) all += l + "\n";
  EXPECT_NE(all.find("indeterminate"), std::string::npos) << all;
}

// ---- terminal ------------------------------------------------------------------------

TEST(TerminalTable, MarksDifferencesAndExplainsUnjudgedCells) {
  auto t = rp::terminal_table(*fixture().results, false);
  EXPECT_EQ(t.find('\x1b'), std::string::npos) << t;
  EXPECT_NE(t.find("FAIL!"), std::string::npos) << t;
  EXPECT_NE(t.find("n/a!"), std::string::npos) << t;
  EXPECT_NE(t.find("?!"), std::string::npos) << t;
  EXPECT_NE(t.find("6 cells, 3 as expected, 3 differ"), std::string::npos) << t;
  EXPECT_NE(t.find("ttl-only × ttl-expiry: unsupported: the target cannot move its clock"), std::string::npos) << t;
  EXPECT_NE(t.find("robust × ttl-expiry: unknown: 12 reads and 3 writes indeterminate"), std::string::npos) << t;
  auto colour = rp::terminal_table(*fixture().results, true);
  EXPECT_NE(colour.find("\x1b[1;31mFAIL!\x1b[0m"), std::string::npos) << colour;
  EXPECT_NE(colour.find("\x1b[32mFAIL\x1b[0m"), std::string::npos) << colour;
}

// ---- Markdown --------------------------------------------------------------------------

TEST(MarkdownReport, MatchesTheGoldenFile) {
  const auto golden = kFixtures / "report.golden.md";
  const std::string md = rp::markdown_report(fixture());
  if (const char* update = std::getenv("CACHECHECK_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    write(golden, md);
    GTEST_SKIP() << "rewrote " << golden;
  }
  ASSERT_TRUE(fs::exists(golden)) << "run with CACHECHECK_UPDATE_GOLDEN=1 to create " << golden;
  EXPECT_EQ(md, read(golden)) << "report.md changed; if intended, rerun with CACHECHECK_UPDATE_GOLDEN=1";
}

TEST(MarkdownReport, TellsEachFailureFromItsCounterexample) {
  const std::string md = rp::markdown_report(fixture());
  // The unexpected failure first, with its replay command and narrated steps.
  auto unexpected = md.find("### ⚠️ robust × multi-tab"), expected = md.find("### ttl-only × multiple-deletions");
  ASSERT_NE(unexpected, std::string::npos) << md;
  ASSERT_NE(expected, std::string::npos) << md;
  EXPECT_LT(unexpected, expected);
  EXPECT_NE(md.find("`cachecheck replay reports/out/counterexamples/robust--multi-tab.json` (3 steps)"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("Minimal reproduction:"), std::string::npos) << md;
  EXPECT_NE(md.find("opens the calendar (fullcalendar-month"), std::string::npos) << md;
  EXPECT_NE(md.find("✗ stale-content of '<script>alert(\"x\")</script> & co' on server-cache"), std::string::npos)
      << "inside a code span, verbatim: " << md;
  EXPECT_NE(md.find("✗ stale-visible of 'Item"), std::string::npos) << md;
  // Unsupported and unknown cells, explained.
  EXPECT_NE(md.find("⚪ **unsupported, expected pass** ⚠️"), std::string::npos) << md;
  EXPECT_NE(md.find("- **robust × ttl-expiry** — unknown: 12 reads and 3 writes indeterminate"), std::string::npos) << md;
  // The staleness histogram and the bench tables.
  EXPECT_NE(md.find("| ttl-only | 7 | 0 | 1 | 2 | 0 | 3 | 1 | 0 | 0 | 0 |"), std::string::npos) << md;
  EXPECT_NE(md.find("## Benchmarks"), std::string::npos) << md;
  EXPECT_NE(md.find("### Cost per write"), std::string::npos) << md;
  // No raw HTML outside code spans.
  EXPECT_NE(md.find("> needs \"fresh\" reads & &lt;no> stale tabs"), std::string::npos) << md;
}

// ---- HTML and charts ----------------------------------------------------------------------

TEST(HtmlReport, IsSelfContainedWithParsableGnuplotCharts) {
  auto dir = temp_dir("html");
  auto d = fixture();
  auto charts = rp::render_charts(d, (dir / "charts").string());
  for (const char* name : {"matrix", "staleness", "write-cost", "hit-rate", "nines"}) {
    ASSERT_EQ(charts.svg.count(name), 1u) << name << ": " << (charts.missing.count(name) ? charts.missing[name] : "");
    EXPECT_TRUE(fs::exists(dir / "charts" / (std::string(name) + ".dat"))) << name;
    EXPECT_TRUE(fs::exists(dir / "charts" / (std::string(name) + ".gp"))) << name;
    write(dir / (std::string(name) + ".svg"), charts.svg[name]);
    EXPECT_TRUE(xmllint_ok(dir / (std::string(name) + ".svg"))) << name << " does not parse as XML";
  }
  const std::string html = rp::html_report(d, charts);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* external : {"src=", "href=\"http", "href='http", "@import", "<link", "<script", "@font-face",
                               "<image", "<iframe"})
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  EXPECT_FALSE(std::regex_search(html, std::regex(R"(url\([^#])"))) << "a url() that is not a fragment";
  EXPECT_EQ(count(html, "<svg"), 5u);
  // Ids are unique on the page (every chart prefixes its own).
  std::set<std::string> ids;
  const std::regex id(R"(\bid=['"]([^'"]+)['"])");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), id); it != std::sregex_iterator(); ++it)
    EXPECT_TRUE(ids.insert((*it)[1]).second) << "duplicate id " << (*it)[1];
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"), std::string::npos);
  EXPECT_NE(html.find("cachecheck replay reports/out/counterexamples/robust--multi-tab.json"), std::string::npos);
  EXPECT_NE(html.find("class=\"cell unsupported unexpected\""), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Charts, AChartWithoutDataSaysWhy) {
  auto d = fixture(false);
  for (auto& c : d.results->runs) c.staleness.reset();
  auto dir = temp_dir("nodata");
  auto charts = rp::render_charts(d, dir.string());
  EXPECT_EQ(charts.svg.count("matrix"), 1u);
  EXPECT_EQ(charts.missing.at("staleness"), "results.json has no staleness_samples");
  EXPECT_EQ(charts.missing.at("write-cost"), "no bench.json");
  auto html = rp::html_report(d, charts);
  EXPECT_NE(html.find("Not drawn:"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Charts, GnuplotMissingIsAClearError) {
  ::setenv("CACHECHECK_GNUPLOT", "/nonexistent/gnuplot", 1);
  auto dir = temp_dir("nognuplot");
  try {
    rp::render_charts(fixture(false), dir.string());
    ADD_FAILURE() << "expected a ChartError";
  } catch (const rp::ChartError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/gnuplot"), std::string::npos) << e.what();
  }
  ::unsetenv("CACHECHECK_GNUPLOT");
  fs::remove_all(dir);
}

// ---- JUnit ----------------------------------------------------------------------------------

TEST(JunitXml, OneCasePerCellParsedByJunitparser) {
  auto dir = temp_dir("junit");
  const std::string x = rp::junit_xml(fixture());
  write(dir / "junit.xml", x);
  EXPECT_TRUE(xmllint_ok(dir / "junit.xml"));
  // 6 cells; the unexpected failure, the unsupported and the unknown cell fail.
  EXPECT_EQ(junit_counts(dir / "junit.xml"), "6 3 6 3");
  EXPECT_NE(x.find("message=\"expected pass, got unsupported: unsupported: the target cannot move its clock"),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("<system-out>fails as expected: stale-visible"), std::string::npos) << x;
  EXPECT_EQ(x.find("<script>"), std::string::npos) << x;
  fs::remove_all(dir);
}

// ---- write_reports ---------------------------------------------------------------------------

TEST(WriteReports, WritesEveryFileForTheGivenDocuments) {
  auto dir = temp_dir("write") / "nested" / "out";
  auto written = rp::write_reports({(kFixtures / "results.json").string(), (kFixtures / "bench.json").string(), ""},
                                   dir.string());
  for (const char* name : {"report.md", "report.html", "junit.xml", "bench.md"}) {
    EXPECT_TRUE(fs::exists(dir / name)) << name;
    EXPECT_NE(std::find(written.begin(), written.end(), (dir / name).string()), written.end()) << name;
  }
  EXPECT_FALSE(fs::exists(dir / "gate.md"));
  // Paths are spelled under the results file's directory.
  EXPECT_NE(read(dir / "report.md").find("cachecheck replay " + kFixtures.generic_string() +
                                         "/counterexamples/robust--multi-tab.json"),
            std::string::npos);
  EXPECT_THROW(rp::write_reports({}, dir.string()), std::runtime_error);
  fs::remove_all(dir.parent_path().parent_path());
}

TEST(MarkdownToHtml, TablesListsAndEscaping) {
  auto h = rp::detail::markdown_to_html(
      "# T\n\nSome **bold** and `a<b>`.\n\n| x | n |\n|---|---:|\n| a\\|b | 2 |\n\n- one\n- <two>\n");
  EXPECT_NE(h.find("<h1>T</h1>"), std::string::npos) << h;
  EXPECT_NE(h.find("<strong>bold</strong>"), std::string::npos) << h;
  EXPECT_NE(h.find("<code>a&lt;b&gt;</code>"), std::string::npos) << h;
  EXPECT_NE(h.find("<td>a|b</td><td class=\"num\">2</td>"), std::string::npos) << h;
  EXPECT_NE(h.find("<li>&lt;two&gt;</li>"), std::string::npos) << h;
}

TEST(Format, NumbersAreStableAndNeverNegativeZero) {
  EXPECT_EQ(rp::detail::fixed(-0.0001, 1), "0.0");
  EXPECT_EQ(rp::detail::fixed(std::nan(""), 2), "n/a");
  EXPECT_EQ(rp::detail::trimmed(2.50), "2.5");
  EXPECT_EQ(rp::detail::percent(0.875), "87.5 %");
  EXPECT_EQ(rp::detail::duration_ns(1234.0), "1.23 µs");
  EXPECT_EQ(rp::detail::md_code("a `b` c"), "``a `b` c``");
  EXPECT_EQ(rp::detail::escape_xml("a\x01<b>"), "a&lt;b&gt;");
  auto a = rp::detail::abbreviations({"edits", "eviction", "multi-tab"});
  EXPECT_EQ(a, (std::vector<std::string>{"ED", "EV", "MT"}));
}

}  // namespace
