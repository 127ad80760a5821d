// The charts of report.html, drawn by gnuplot (svg terminal) from data files:
// the matrix as a heat map, the staleness distribution per strategy (CDF), cost
// per write per strategy on a log scale beside the round-trip floor, hit rate
// and stale-read nines against the write ratio. Each chart leaves its .dat and
// .gp under the work directory (re-run `gnuplot NAME.gp` there to redraw it).
#include "cachecheck_reports/render.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

extern char** environ;

namespace cachecheck::reports {

namespace {

namespace fs = std::filesystem;
using namespace detail;

// A gnuplot string literal: single quotes (only '' is special), no control characters.
std::string gp_string(const std::string& s) {
  std::string out = "'";
  for (char ch : s) {
    if (static_cast<unsigned char>(ch) < 0x20) continue;
    out += ch == '\'' ? std::string("''") : std::string(1, ch);
  }
  return out + "'";
}

// A double-quoted string column in a data file.
std::string dat_string(const std::string& s) {
  std::string out = "\"";
  for (char ch : s)
    if (static_cast<unsigned char>(ch) >= 0x20 && ch != '"' && ch != '\\') out += ch;
  return out + "\"";
}

std::string num(double v) {
  std::ostringstream os;
  os.imbue(std::locale::classic());
  os.precision(10);
  os << (std::isfinite(v) ? v : 0.0);
  return os.str();
}

// Every script starts from gnuplot's defaults: they run one after the other in one gnuplot.
constexpr const char* kTerminal =
    "reset\n"
    "set terminal svg size %W%,%H% noenhanced font 'sans,11' background '#ffffff'\n"
    "set encoding utf8\n";

struct Chart {
  Chart(std::string n, std::string t) : name(std::move(n)), title(std::move(t)) {}
  std::string name, title;
  int width = 720, height = 400;
  std::string data;    // NAME.dat
  std::string script;  // the plot commands (terminal and output are added)
};

std::string terminal(const Chart& c) {
  std::string t = kTerminal;
  t.replace(t.find("%W%"), 3, std::to_string(c.width));
  t.replace(t.find("%H%"), 3, std::to_string(c.height));
  return t + "set output " + gp_string(c.name + ".svg") + "\nset title " + gp_string(c.title) + "\n";
}

// ---- the charts -------------------------------------------------------------

std::optional<Chart> matrix_chart(const Results& r, std::string& why) {
  auto m = matrix_of(r);
  if (m.strategies.empty()) {
    why = "no cells were run";
    return std::nullopt;
  }
  Chart c{"matrix", "The matrix: share of cases with a violation (label: verdict; ! = differs from the expectation)"};
  c.width = std::max(720, 170 + 80 * static_cast<int>(m.scenarios.size()));
  c.height = 200 + 34 * static_cast<int>(m.strategies.size());
  std::string data = "# x y share_of_cases_violating label (strategy, scenario)\n";
  for (std::size_t i = 0; i < m.strategies.size(); ++i)
    for (std::size_t j = 0; j < m.scenarios.size(); ++j) {
      const Cell* cell = m.at(m.strategies[i], m.scenarios[j]);
      if (!cell) continue;
      double share = cell->cases_run > 0 ? static_cast<double>(cell->stats.violating_cases) / cell->cases_run : 0.0;
      if (cell->verdict == "fail" && share == 0) share = 1.0 / std::max(1, cell->cases_run);
      std::string label = cell->verdict == "pass"          ? "pass"
                          : cell->verdict == "fail"        ? "FAIL"
                          : cell->verdict == "unsupported" ? "n/a"
                                                           : "?";
      if (!cell->matches()) label += "!";
      const bool judged = cell->verdict == "pass" || cell->verdict == "fail";
      data += num(static_cast<double>(j)) + " " + num(static_cast<double>(m.strategies.size() - 1 - i)) + " " +
              (judged ? num(share) : std::string("NaN")) + " " + dat_string(label) + "  # " + m.strategies[i] +
              " × " + m.scenarios[j] + "\n";
    }
  std::string xt, yt;
  for (std::size_t j = 0; j < m.scenarios.size(); ++j)
    xt += (j ? ", " : "") + gp_string(m.scenarios[j]) + " " + std::to_string(j);
  for (std::size_t i = 0; i < m.strategies.size(); ++i)
    yt += (i ? ", " : "") + gp_string(m.strategies[i]) + " " + std::to_string(m.strategies.size() - 1 - i);
  c.data = data;
  c.script = "set xtics (" + xt + ") rotate by 35 right nomirror\nset ytics (" + yt +
             ") nomirror\nset xrange [-0.5:" + num(m.scenarios.size() - 0.5) + "]\nset yrange [-0.5:" +
             num(m.strategies.size() - 0.5) +
             "]\nset cbrange [0:1]\nset cblabel 'share of cases with a violation'\n"
             "set palette defined (0 '#e6f4ea', 0.001 '#fde2e1', 1 '#b71c1c')\n"
             "set style fill solid 1.0 border lc rgb '#ffffff'\nset xlabel 'scenario'\nset ylabel 'strategy'\n"
             "set datafile missing 'NaN'\nunset key\nset tics scale 0\n"
             "plot 'matrix.dat' using 1:2:(0.5):(0.5):($3 == $3 ? $3 : 0) with boxxyerror fc palette, \\\n"
             "     '' using 1:2:4 with labels font 'sans,10'\n";
  return c;
}

std::optional<Chart> staleness_chart(const Results& r, std::string& why) {
  auto rows = strategy_summaries(r);
  std::string data, plots, clean;
  int index = 0;
  for (auto& s : rows) {
    if (!s.staleness || s.staleness->bounds_s.empty()) continue;
    const auto& h = *s.staleness;
    const std::uint64_t total = h.total();
    if (total == 0) {
      clean += (clean.empty() ? "" : ", ") + s.strategy;
      continue;
    }
    data += "# " + s.strategy + ": staleness_s cumulative_share (" + std::to_string(total) + " stale reads)\n";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < h.bounds_s.size(); ++i) {
      cumulative += i < h.counts.size() ? h.counts[i] : 0;
      if (h.bounds_s[i] <= 0) continue;  // a log axis: staleness 0 joins the first positive bound
      data += num(h.bounds_s[i]) + " " + num(static_cast<double>(cumulative) / static_cast<double>(total)) + "\n";
    }
    data += "\n\n";
    plots += std::string(plots.empty() ? "plot " : ", \\\n     ") + "'staleness.dat' index " + std::to_string(index++) +
             " using 1:2 with linespoints lw 2 title " + gp_string(s.strategy + " (" + std::to_string(total) + ")");
  }
  if (plots.empty()) {
    why = rows.empty() ? "no cells were run"
          : clean.empty() ? "results.json has no staleness_samples"
                          : "no stale read at all (" + clean + ")";
    return std::nullopt;
  }
  Chart c{"staleness", "Staleness of stale reads per strategy (CDF, all scenarios)" +
                           (clean.empty() ? std::string() : "; no stale read: " + clean)};
  c.data = data;
  c.script = "set logscale x\nset xlabel 'staleness (s, log scale)'\nset ylabel 'share of stale reads at most this stale'\n"
             "set yrange [0:1.05]\nset ytics ('0 %%' 0, '25 %%' 0.25, '50 %%' 0.5, '75 %%' 0.75, '100 %%' 1)\n"
             "set grid\nset key below horizontal\n" +
             plots + "\n";
  return c;
}

// Strategies of a family in bench.json, in the contract's order, then the rest.
std::vector<std::string> bench_strategies(const Bench& b, const std::string& family) {
  static const std::vector<std::string> order = {"none",      "ttl-only", "sweep", "sweep-pipelined",
                                                 "versioned", "audience", "precise", "robust"};
  std::vector<std::string> found;
  for (auto& [name, _] : b.benchmarks) {
    if (name.rfind(family + "/", 0) != 0) continue;
    auto rest = name.substr(family.size() + 1);
    auto s = rest.substr(0, rest.find('/'));
    if (std::find(found.begin(), found.end(), s) == found.end()) found.push_back(s);
  }
  auto rank = [&](const std::string& s) { return std::find(order.begin(), order.end(), s) - order.begin(); };
  std::stable_sort(found.begin(), found.end(), [&](auto& a, auto& b2) { return rank(a) != rank(b2) ? rank(a) < rank(b2) : a < b2; });
  return found;
}

std::optional<double> median_us(const Bench& b, const std::string& name) {
  const Benchmark* f = b.get(name);
  if (!f || !f->error.empty() || !f->real_ns) return std::nullopt;
  return *f->real_ns / 1e3;
}

std::optional<Chart> write_cost_chart(const Bench& b, std::string& why) {
  auto strategies = bench_strategies(b, "invalidate");
  if (strategies.empty()) {
    why = "bench.json has no invalidate/ benchmarks";
    return std::nullopt;
  }
  Chart c{"write-cost", "Cost per write (one DELETE), median time, beside the floor"};
  c.width = std::max(720, 160 + 90 * static_cast<int>(strategies.size()));
  std::string data = "# x strategy memory_us redis_us\n", xt;
  for (std::size_t i = 0; i < strategies.size(); ++i) {
    auto m = median_us(b, "invalidate/" + strategies[i] + "/memory");
    auto r = median_us(b, "invalidate/" + strategies[i] + "/redis");
    data += std::to_string(i) + " " + dat_string(strategies[i]) + " " + (m ? num(*m) : "NaN") + " " +
            (r ? num(*r) : "NaN") + "\n";
    xt += (i ? ", " : "") + gp_string(strategies[i]) + " " + std::to_string(i);
  }
  c.data = data;
  std::string plots = "plot 'write-cost.dat' using ($1-0.2):3 with boxes lc rgb '#0969da' title 'memory', \\\n"
                      "     '' using ($1+0.2):4 with boxes lc rgb '#bf3989' title 'redis'";
  if (auto ping = median_us(b, "floor/ping/redis"))
    plots += ", \\\n     " + num(*ping) + " with lines dt 2 lw 2 lc rgb '#bf3989' title " +
             gp_string("one Redis round trip (PING) " + duration_ns(*ping * 1e3));
  if (auto lookup = median_us(b, "floor/map-lookup/memory"))
    plots += ", \\\n     " + num(*lookup) + " with lines dt 3 lw 2 lc rgb '#0969da' title " +
             gp_string("one in-memory map lookup " + duration_ns(*lookup * 1e3));
  c.script = "set logscale y\nset ylabel 'µs per write (log scale)'\nset xtics (" + xt +
             ") rotate by 25 right nomirror\nset xrange [-0.6:" + num(strategies.size() - 0.4) +
             "]\nset boxwidth 0.38\nset style fill solid 0.8 noborder\nset datafile missing 'NaN'\nset grid ytics\n"
             "set key below horizontal maxrows 2\nset samples 2\n" +
             plots + "\n";
  return c;
}

// The mixed family: mixed/<strategy>/<backend>/<N>pct. One backend (memory when
// there, else redis) so that each strategy is one line.
struct MixedPoint {
  double pct = 0, hit_rate = 0, nines = 0;
  bool lower_bound = false;
};

std::optional<Chart> mixed_chart(const Bench& b, bool nines, std::string& why) {
  std::map<std::string, std::map<std::string, std::vector<MixedPoint>>> by;  // backend → strategy → points
  for (auto& [name, f] : b.benchmarks) {
    if (name.rfind("mixed/", 0) != 0 || !f.error.empty()) continue;
    auto first = name.find('/', 6), second = name.find('/', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    MixedPoint p;
    p.pct = std::atof(name.c_str() + second + 1);
    auto get = [&](const char* k) {
      auto it = f.counters.find(k);
      return it == f.counters.end() ? 0.0 : it->second;
    };
    p.hit_rate = get("hit_rate");
    p.nines = get("nines");
    p.lower_bound = get("nines_lower_bound") > 0.5;
    by[name.substr(first + 1, second - first - 1)][name.substr(6, first - 6)].push_back(p);
  }
  if (by.empty()) {
    why = "bench.json has no mixed/ benchmarks";
    return std::nullopt;
  }
  const std::string backend = by.count("memory") ? "memory" : by.begin()->first;
  std::string data, plots;
  int index = 0;
  for (auto& s : bench_strategies(b, "mixed")) {
    auto it = by[backend].find(s);
    if (it == by[backend].end()) continue;
    auto points = it->second;
    const int i = index++;
    std::sort(points.begin(), points.end(), [](auto& a, auto& c) { return a.pct < c.pct; });
    data += "# " + s + " (" + backend + "): write_pct hit_rate_pct nines point_type(6 = lower bound)\n";
    for (auto& p : points)
      data += num(p.pct) + " " + num(p.hit_rate * 100) + " " + num(p.nines) + " " + (p.lower_bound ? "6" : "7") + "\n";
    data += "\n\n";
    plots += std::string(plots.empty() ? "plot " : ", \\\n     ") + "'" + std::string(nines ? "nines" : "hit-rate") +
             ".dat' index " + std::to_string(i) +
             (nines ? " using 1:3:4 with linespoints pt variable ps 1.3 lw 2"
                    : " using 1:2 with linespoints pt 7 lw 2") +
             // Strategies that coincide stay visible: each its own dash pattern.
             std::string(" dt ") + std::to_string(i % 5 + 1) + " title " +
             gp_string(s);
  }
  Chart c{nines ? "nines" : "hit-rate",
          nines ? "Stale-read nines vs write ratio (" + backend + "; open: a lower bound)"
                : "Hit rate vs write ratio (" + backend + ", mixed workload)"};
  c.width = 560;
  c.height = 420;
  c.data = data;
  c.script = std::string("set xlabel 'writes (% of steps)'\nset grid\nset key below horizontal\nset xtics (1, 5, 10, 20)\n") +
             (nines ? "set ylabel 'nines = -log10(stale-read rate)'\nset yrange [0:*]\n"
                    : "set ylabel 'hit rate (%)'\nset yrange [0:100]\n") +
             plots + "\n";
  return c;
}

// ---- running gnuplot ------------------------------------------------------------

std::string find_gnuplot() {
  if (const char* given = std::getenv("CACHECHECK_GNUPLOT"); given && *given) {
    if (::access(given, X_OK) == 0) return given;
    throw ChartError(std::string("CACHECHECK_GNUPLOT=") + given + " is not an executable gnuplot");
  }
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    auto candidate = (fs::path(dir.empty() ? "." : dir) / "gnuplot").string();
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  throw ChartError("gnuplot not found on PATH: the charts of report.html need it (Debian: apt-get install gnuplot-nox, "
                   "or scripts/install-deps.sh)");
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  if (!f) throw std::runtime_error("cannot write " + path.string());
}

std::string read_text(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Runs `gnuplot -e "cd DIR" SCRIPT…`, its output to DIR/gnuplot.log.
void run_gnuplot(const std::string& gnuplot, const fs::path& dir, const std::vector<std::string>& scripts) {
  const fs::path log = dir / "gnuplot.log";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<std::string> args = {gnuplot, "-e", "cd " + gp_string(fs::absolute(dir).string())};
  args.insert(args.end(), scripts.begin(), scripts.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, gnuplot.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw ChartError("cannot start " + gnuplot + ": " + std::strerror(rc));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw ChartError(std::string("waitpid: ") + std::strerror(errno));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string first = read_text(log);
    first = first.substr(0, first.find('\n', first.find_first_not_of("\n \t")));
    throw ChartError("gnuplot failed on the charts in " + dir.string() + (first.empty() ? "" : ": " + first));
  }
}

// gnuplot's SVG made fit to inline: no XML prolog, ids prefixed with the chart's
// name (several charts share a page), the chart's title as its <title>.
std::string inline_svg(const std::string& svg, const Chart& c) {
  auto start = svg.find("<svg");
  if (start == std::string::npos) throw ChartError("gnuplot wrote no SVG for " + c.name);
  std::string s = svg.substr(start);
  const std::string p = c.name + "-";
  s = std::regex_replace(s, std::regex(R"(\bid=(['"]))"), "id=$1" + p);
  s = std::regex_replace(s, std::regex(R"(href=(['"])#)"), "href=$1#" + p);
  s = std::regex_replace(s, std::regex(R"(url\(#)"), "url(#" + p);
  s = std::regex_replace(s, std::regex(R"(<title>Gnuplot</title>)"), "<title>" + escape_xml(c.title) + "</title>");
  s = std::regex_replace(s, std::regex(R"(<svg\s)"), "<svg class=\"chart\" role=\"img\" aria-label=\"" +
                                                         escape_xml_attr(c.title) + "\" ");
  return s;
}

}  // namespace

Charts render_charts(const Documents& d, const std::string& work_dir) {
  Charts out;
  std::vector<Chart> charts;
  auto add = [&](const char* name, std::optional<Chart> c, const std::string& why) {
    if (c) charts.push_back(std::move(*c));
    else out.missing[name] = why;
  };
  std::string why;
  if (d.results) {
    auto c = matrix_chart(*d.results, why);
    add("matrix", std::move(c), why);
    auto s = staleness_chart(*d.results, why);
    add("staleness", std::move(s), why);
  } else {
    out.missing["matrix"] = out.missing["staleness"] = "no results.json";
  }
  if (d.bench) {
    auto w = write_cost_chart(*d.bench, why);
    add("write-cost", std::move(w), why);
    auto h = mixed_chart(*d.bench, false, why);
    add("hit-rate", std::move(h), why);
    auto n = mixed_chart(*d.bench, true, why);
    add("nines", std::move(n), why);
  } else {
    out.missing["write-cost"] = out.missing["hit-rate"] = out.missing["nines"] = "no bench.json";
  }
  if (charts.empty()) return out;

  const std::string gnuplot = find_gnuplot();
  fs::path dir(work_dir.empty() ? "." : work_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create directory " + dir.string() + ": " + ec.message());
  std::vector<std::string> scripts;
  for (auto& c : charts) {
    write_text(dir / (c.name + ".dat"), c.data);
    write_text(dir / (c.name + ".gp"), terminal(c) + c.script);
    fs::remove(dir / (c.name + ".svg"), ec);
    scripts.push_back(c.name + ".gp");
  }
  run_gnuplot(gnuplot, dir, scripts);
  for (auto& c : charts) out.svg[c.name] = inline_svg(read_text(dir / (c.name + ".svg")), c);
  return out;
}

}  // namespace cachecheck::reports
