// Loading the documents a report is made from, and the one function that
// writes the reports: report.md, report.html, junit.xml, bench.md, gate.md.
#include "cachecheck_reports/render.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace cachecheck::reports {

namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw std::runtime_error("cannot write " + path.string());
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  f.close();
  if (!f) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

Inputs inputs_in(const std::string& dir) {
  Inputs in;
  const fs::path d(dir.empty() ? "." : dir);
  std::error_code ec;
  auto present = [&](const char* name) { return fs::is_regular_file(d / name, ec) ? (d / name).string() : std::string(); };
  in.results = present("results.json");
  in.bench = present("bench.json");
  in.gate = present("gate.json");
  return in;
}

Documents load_documents(const Inputs& in) {
  Documents d;
  if (!in.results.empty()) {
    d.results = load_results(in.results);
    for (auto& c : d.results->runs) {
      if (!c.counterexample || c.counterexample->empty()) continue;
      const std::string key = detail::cell_key(c.strategy, c.scenario);
      const std::string path = detail::counterexample_path(c, d.results->dir);
      try {
        d.counterexamples[key] = load_counterexample(path);
      } catch (const std::runtime_error& e) {
        d.counterexample_errors[key] = e.what();
      }
    }
  }
  if (!in.bench.empty()) d.bench = load_bench(in.bench);
  if (!in.gate.empty()) d.gate = load_gate(in.gate);
  return d;
}

std::vector<std::string> write_reports(const Inputs& in, const std::string& out_dir) {
  if (in.empty()) throw std::runtime_error("nothing to report: give --results, --bench or --gate");
  Documents d = load_documents(in);
  const fs::path dir(out_dir.empty() ? "." : out_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw std::runtime_error("cannot create directory " + dir.string() + (ec ? ": " + ec.message() : ""));
  Charts charts = render_charts(d, (dir / "charts").string());
  std::vector<std::string> written;
  auto write = [&](const char* name, const std::string& text) {
    write_file(dir / name, text);
    written.push_back((dir / name).string());
  };
  write("report.md", markdown_report(d));
  write("report.html", html_report(d, charts));
  if (d.results || d.gate) write("junit.xml", junit_xml(d));
  if (d.bench) write("bench.md", bench_markdown(*d.bench));
  if (d.gate) write("gate.md", gate_markdown(*d.gate));
  return written;
}

}  // namespace cachecheck::reports
