// `cachecheck report`: renders report.html, report.md and junit.xml (and bench.md,
// gate.md) from the JSON files alone; nothing is re-run.
#include <iostream>

#include "cachecheck_reports/render.h"
#include "commands.h"

namespace cachecheck::cli {
namespace {

int report(const ReportArgs& a) {
  reports::Inputs in{a.results, a.bench, a.gate};
  if (in.empty()) {
    in = reports::inputs_in(a.out);
    if (in.empty())
      throw std::runtime_error("nothing to report: no results.json, bench.json or gate.json in " + a.out +
                               " (give --results, --bench or --gate)");
  }
  for (auto& f : reports::write_reports(in, a.out)) std::cout << "wrote " << f << "\n";
  return 0;
}

}  // namespace

void add_report_command(CLI::App& app, ReportArgs& a) {
  auto* cmd = app.add_subcommand(
      "report", "Render report.html (self-contained, gnuplot charts), report.md and junit.xml from results.json, "
                "bench.json and/or gate.json, without re-running anything (default: those found in --out)");
  cmd->add_option("--results", a.results, "A results.json of `cachecheck run` (counterexamples are read beside it)");
  cmd->add_option("--bench", a.bench, "A bench.json of `cachecheck bench`");
  cmd->add_option("--gate", a.gate, "A gate.json of `cachecheck gate`");
  cmd->add_option("--out", a.out, "Output directory (default reports/out)");
  cmd->callback([&a] { run_verb("report", [&a] { return report(a); }); });
}

}  // namespace cachecheck::cli
