// The verbs of the cachecheck command line, one file each.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cachecheck {
struct RunResults;
}

namespace cachecheck::cli {

// Exit codes of the contract: 0 as expected, 1 a verdict differs / a violation shows, 2 usage or environment.
constexpr int kUsageError = 2;
void set_exit_code(int code);
int exit_code();
// Runs a verb: its exit code, or a one-line error and exit 2 when it throws.
void run_verb(const char* verb, const std::function<int()>& body);

struct RunArgs {
  std::string strategies, scenarios;
  int cases = 100;
  std::uint64_t seed = 0;
  bool seed_given = false;
  std::string backend = "memory";
  int workers = 1;
  std::string http_cache = "never";
  std::vector<std::string> targets;  // --target, repeatable (none: in-process)
  std::string layers = "server";
  std::string out = "reports/out";
  std::string expectations;
  bool quiet = false;
  double max_wait = 30;  // issue 10: --max-wait S
  int jobs = 0;           // issue 15: --jobs N (0: the machine's cores)
  std::string shard;      // issue 15: --shard K/N ("" = the whole matrix)
  bool leases = false;   // issue 16: --leases
};
void add_run_command(CLI::App& app, RunArgs& args);
// Writes results.json and the reports to `out`, prints the matrix and the replay
// commands; returns how many cells differ from their expectation. (run, merge)
int publish_results(const RunResults& results, const std::string& out);

struct MergeArgs {  // issue 15: `cachecheck merge DIR… [--out DIR]`
  std::vector<std::string> dirs;
  std::string out = "reports/out";
};
void add_merge_command(CLI::App& app, MergeArgs& args);

struct CheckArgs {  // issue 15: `cachecheck check HISTORY [--format jsonl|json] [--out DIR]`
  std::string history, format, out;
  std::string layers = "server";
  bool quiet = false;
};
void add_check_command(CLI::App& app, CheckArgs& args);

struct ReplayArgs {
  std::string file;
  std::string target = "in-process";
  std::string strategy;  // in-process: replay against another strategy
  bool json = false;
  int tries = 1;  // issue 10: --tries N
  bool browser = false;                     // issue 13: --browser
  std::string out = "reports/out/browser";  // issue 13: --out DIR of --browser
};
void add_replay_command(CLI::App& app, ReplayArgs& args);

struct BenchArgs {
  std::string backend = "memory,redis";
  int repetitions = 3;
  double min_time = 0.05;
  std::string out = "reports/out";
  std::string filter;
  std::string self;
};
void add_bench_command(CLI::App& app, BenchArgs& args, const char* argv0);

struct ReportArgs {
  std::string results, bench, gate;
  std::string out = "reports/out";
};
void add_report_command(CLI::App& app, ReportArgs& args);

struct GateArgs {
  std::string baseline, expectations, results, bench;
  double alpha = 0.05, threshold = 10;
  bool strict = false, update_baseline = false;
  std::string times = "auto";
  std::string out = "reports/out/gate";
  // Used to run the matrix and the benchmark (default: the baseline's settings).
  std::string strategies, scenarios, bench_filter, bench_backend;
  std::optional<int> cases, repetitions;
  std::optional<std::uint64_t> seed;
  std::optional<double> min_time;
  bool no_bench = false;
  std::string self;
};
void add_gate_command(CLI::App& app, GateArgs& args, const char* argv0);

struct SpecArgs {  // issue 10: `cachecheck spec check|probe FILE`
  std::string file;
};
void add_spec_command(CLI::App& app, SpecArgs& args);

struct RequestsArgs {  // issue 13: `cachecheck requests`
  std::string client, date, now;
  int first_day = 0;
  std::string time_zone = "local", browser_time_zone = "UTC";
  std::string fixed_week_count;  // "" absent, else true|false
  std::string lazy_fetching = "true";
  std::vector<std::string> extra_params;
  std::string actions;
};
void add_requests_command(CLI::App& app, RequestsArgs& args);

// Splits "a,b,c" (empty or "all" → `known`), checking each name against `known`;
// throws CLI::ValidationError naming the unknown one, or when the list selects nothing.
std::vector<std::string> name_list(const std::string& csv, const std::vector<std::string>& known, const char* what);

// A CLI11 check: digits only ("12", not "-1", "0x10", "1e3" or "12abc").
extern const CLI::Validator decimal_number;

// Writes `text` to a temporary file beside `path` and renames it over `path`.
void write_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace cachecheck::cli
