// cachecheck: finds stale-data bugs in a cached read path, shrinks each to a
// minimal reproduction, and gates CI on them. Verbs: run, replay, bench, report, gate, spec,
// requests, merge, check.
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"cachecheck " CACHECHECK_VERSION
               " — test cache invalidation: find stale reads, shrink them to minimal replayable steps,\n"
               "measure how stale and how often, benchmark what each strategy costs."};
  app.set_version_flag("--version", std::string("cachecheck ") + CACHECHECK_VERSION);
  app.require_subcommand(1);
  app.failure_message(CLI::FailureMessage::help);

  cachecheck::cli::RunArgs run_args;
  cachecheck::cli::add_run_command(app, run_args);
  cachecheck::cli::ReplayArgs replay_args;
  cachecheck::cli::add_replay_command(app, replay_args);
  cachecheck::cli::BenchArgs bench_args;
  cachecheck::cli::add_bench_command(app, bench_args, argv[0]);
  cachecheck::cli::ReportArgs report_args;
  cachecheck::cli::add_report_command(app, report_args);
  cachecheck::cli::GateArgs gate_args;
  cachecheck::cli::add_gate_command(app, gate_args, argv[0]);
  cachecheck::cli::SpecArgs spec_args;  // issue 10
  cachecheck::cli::add_spec_command(app, spec_args);
  cachecheck::cli::MergeArgs merge_args;  // issue 15
  cachecheck::cli::add_merge_command(app, merge_args);
  cachecheck::cli::CheckArgs check_args;  // issue 15
  cachecheck::cli::add_check_command(app, check_args);
  cachecheck::cli::RequestsArgs requests_args;  // issue 13
  cachecheck::cli::add_requests_command(app, requests_args);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "cachecheck: " << e.what() << " (see cachecheck --help)\n";
    return 2;
  }
  return cachecheck::cli::exit_code();
}
