// `cachecheck check HISTORY [--format jsonl|json] [--layers server|all] [--out DIR]`:
// judges a recorded history from any source — ours (a counterexample, or a history
// written by another run), another tool's, a converted access log — with the same
// oracle as `run`, and prints and writes the violations.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "model/history_jsonl.h"
#include "model/oracle.h"

namespace cachecheck::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string format_of(const CheckArgs& a) {
  if (!a.format.empty()) return a.format;
  const std::string ext = fs::path(a.history).extension().string();
  return ext == ".jsonl" || ext == ".ndjson" ? "jsonl" : "json";
}

History load(const CheckArgs& a, const std::string& format) {
  std::ifstream file;
  if (a.history != "-") {
    if (fs::is_directory(a.history)) throw std::runtime_error(a.history + " is a folder, not a history file");
    file.open(a.history, std::ios::binary);
    if (!file) throw std::runtime_error("cannot read " + a.history);
  }
  std::istream& in = a.history == "-" ? std::cin : file;
  const std::string name = a.history == "-" ? "standard input" : a.history;
  try {
    if (format == "jsonl") return history_from_jsonl(in);
    json j = json::parse(in, nullptr, false);
    if (j.is_discarded()) throw std::runtime_error("not valid JSON (for JSON Lines, pass --format jsonl)");
    // A counterexample carries its history: judge that.
    if (j.is_object() && !j.contains("ops") && j.contains("history")) return history_from_json(j["history"]);
    return history_from_json(j);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(name + ": " + e.what());
  }
}

int check(const CheckArgs& a) {
  const std::string format = format_of(a);
  const auto started = std::chrono::steady_clock::now();
  const History h = load(a, format);
  if (!a.quiet) std::cerr << "cachecheck check: judging " << h.ops.size() << " operation(s)\n";
  const Verdict verdict = judge(h);
  const bool all_layers = a.layers == "all";
  const Verdict::Filter counted = [all_layers](const Violation& v) { return all_layers || v.layer != Layer::client_store; };
  const auto counts = verdict.counts(counted);
  std::size_t total = 0;
  for (auto& [kind, n] : counts) total += n;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto layers = [all_layers](Layer l) { return all_layers || l != Layer::client_store; };

  json violations = json::array();
  std::size_t printed = 0;
  constexpr std::size_t kPrinted = 20;
  for (const auto& v : verdict.violations) {
    if (!counted(v)) continue;
    violations.push_back(to_json(v));
    if (printed++ < kPrinted)
      std::cout << "VIOLATION " << to_string(v.kind) << ": item " << v.item_id << ", user " << v.user << ", tab "
                << (v.tab.empty() ? "-" : v.tab) << ", layer " << to_string(v.layer) << ", " << v.staleness_s
                << " s stale (operation " << v.op_index << ")" << (v.detail.empty() ? "" : ": " + v.detail) << "\n";
  }
  if (printed > kPrinted) std::cout << "… and " << printed - kPrinted << " more (all in check.json)\n";
  std::ostringstream summary;
  summary << h.ops.size() << " operation(s), " << verdict.reads_checked << " read(s) judged: ";
  if (total == 0) summary << "no violation";
  else {
    summary << total << " violation(s) (";
    bool first = true;
    for (auto& [kind, n] : counts) {
      summary << (first ? "" : ", ") << kind << " " << n;
      first = false;
    }
    summary << "), max staleness " << verdict.max_staleness(counted) << " s, p99 " << verdict.p99_staleness_s(layers)
            << " s";
  }
  std::cout << summary.str() << "\n";

  if (!a.out.empty()) {
    fs::create_directories(a.out);
    json doc = {{"tool", "cachecheck"},
                {"kind", "check"},
                {"version", CACHECHECK_VERSION},
                {"history", a.history},
                {"format", format},
                {"layers", a.layers},
                {"verdict", total ? "fail" : "pass"},
                {"ops", h.ops.size()},
                {"reads_checked", verdict.reads_checked},
                {"violations_by_kind", counts},
                {"max_staleness_s", verdict.max_staleness(counted)},
                {"p99_staleness_s", verdict.p99_staleness_s(layers)},
                {"elapsed_s", elapsed},
                {"violations", violations}};
    write_atomically(fs::path(a.out) / "check.json", doc.dump(2) + "\n");
    std::ostringstream md;
    md << "# cachecheck check: " << (total ? "❌ " : "✅ ") << a.history << "\n\n" << summary.str() << ".\n";
    if (total) {
      md << "\n| # | kind | item | user | tab | layer | staleness (s) | operation |\n|---|---|---|---|---|---|---|---|\n";
      std::size_t i = 0;
      for (auto& v : violations) {
        if (++i > 100) {
          md << "\n… " << violations.size() - 100 << " more in check.json.\n";
          break;
        }
        md << "| " << i << " | " << v["kind"].get<std::string>() << " | `" << v["item"].get<std::string>() << "` | "
           << v["user"] << " | " << v["tab"].get<std::string>() << " | " << v["layer"].get<std::string>() << " | "
           << v["staleness_s"] << " | " << v["op_index"] << " |\n";
      }
    }
    write_atomically(fs::path(a.out) / "check.md", md.str());
    std::cout << "written: " << a.out << "/check.json, " << a.out << "/check.md\n";
  }
  return total ? 1 : 0;
}

}  // namespace

void add_check_command(CLI::App& app, CheckArgs& a) {
  auto* cmd = app.add_subcommand(
      "check",
      "Judge a recorded history (ours, another tool's, a converted access log) with the oracle of `run`; "
      "exit 0 when no violation, 1 when one shows, 2 for a bad file. Formats: README.md, \"Check a recorded history\"");
  cmd->add_option("history", a.history, "The history file, or - for standard input")->required();
  cmd->add_option("--format", a.format, "jsonl (a header line, then one operation per line) or json (one history "
                                        "object, or a counterexample); default: by extension (.jsonl, .ndjson)")
      ->check(CLI::IsMember({"jsonl", "json"}));
  cmd->add_option("--layers", a.layers, "Layers whose violations count: server (default) or all (client-store too)")
      ->check(CLI::IsMember({"server", "all"}));
  cmd->add_option("--out", a.out, "Also write check.json and check.md here");
  cmd->add_flag("--quiet", a.quiet, "Nothing on stderr but errors");
  cmd->callback([&a] { run_verb("check", [&a] { return check(a); }); });
}

}  // namespace cachecheck::cli
