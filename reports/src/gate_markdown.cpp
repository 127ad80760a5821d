// gate.md: the gate's result first, then what regressed (by how much, how sure,
// how to reproduce), what improved, every changed counter, and every benchmark
// with its change and p-value. Fit for a job summary or a pull-request comment.
#include "cachecheck_reports/render.h"

#include <cmath>

namespace cachecheck::reports {

namespace {

using namespace detail;

std::string signed_pct(std::optional<double> pct) {
  if (!pct || !std::isfinite(*pct)) return "—";
  std::string s = *pct > 0 ? "+" : "";
  s += fixed(*pct, 1);
  s += " %";
  return s;
}

std::string p_text(std::optional<double> p) {
  if (!p || !std::isfinite(*p)) return "—";
  return *p < 0.0001 ? "< 0.0001" : fixed(*p, 4);
}

std::string machine(const nlohmann::json& m) {
  if (!m.is_object() || m.empty()) return "";
  std::string out;
  auto add = [&](const char* key, const std::string& text) {
    if (m.contains(key) && !text.empty()) out += (out.empty() ? "" : ", ") + text;
  };
  auto str = [&](const char* key) { return m.contains(key) && m[key].is_string() ? m[key].get<std::string>() : ""; };
  add("cpu_model", str("cpu_model"));
  add("num_cpus", m.contains("num_cpus") ? m["num_cpus"].dump() + " CPUs" : "");
  add("host_name", str("host_name").empty() ? "" : "host " + str("host_name"));
  add("date", str("date").empty() ? "" : "made " + str("date"));
  return out;
}

void item(std::string& out, const GateCheck& c) {
  out += "- **" + md_text(c.group) + " · " + md_text(c.subject) + "** — " + md_text(c.message);
  if (!c.replay.empty()) out += " Reproduce: " + md_code(c.replay);
  out += "\n";
}

}  // namespace

std::string gate_markdown(const GateReport& g) {
  std::string out = "# cachecheck gate: ";
  const std::size_t failing = g.failing(), improvements = g.count("improvement");
  out += g.passed() ? "✅ pass\n\n" : "❌ " + std::to_string(failing) + (failing == 1 ? " regression" : " regressions") + "\n\n";
  out += "**" + std::to_string(g.checks.size()) + " checks: " + std::to_string(g.count("ok")) + " unchanged, " +
         std::to_string(failing) + " failing, " + std::to_string(improvements) + " improved.**\n\n";
  out += "- **baseline:** " + md_code(g.baseline.empty() ? "?" : g.baseline);
  if (auto m = machine(g.baseline_machine); !m.empty()) out += " (" + md_text(m) + ")";
  out += "\n";
  if (!g.results.empty()) out += "- **results:** " + md_code(g.results) + "\n";
  if (!g.bench.empty()) out += "- **bench:** " + md_code(g.bench) + "\n";
  out += "- **times:** " +
         std::string(g.times == "enforce" ? "enforced" : "reported only, they do not fail the gate") + " (two-sided "
         "Mann–Whitney U test, a regression when p < " + trimmed(g.alpha, 4) + " and the median is slower by more than " +
         trimmed(g.threshold_pct, 2) + " %)" + (g.times_note.empty() ? "" : ": " + md_text(g.times_note)) + "\n";
  out += "- **strict:** " + std::string(g.strict ? "yes (an expected failure that now passes fails the gate)" : "no") +
         "\n\n";

  auto section = [&](const char* title, auto pick) {
    std::string body;
    for (auto& c : g.checks)
      if (pick(c)) item(body, c);
    if (!body.empty()) out += "## " + std::string(title) + "\n\n" + body + "\n";
  };
  section("Regressions", [](const GateCheck& c) { return c.fails; });
  section("Improvements", [](const GateCheck& c) { return !c.fails && c.status == "improvement"; });
  section("Reported, not failing", [](const GateCheck& c) {
    return !c.fails && c.status != "ok" && c.status != "improvement";
  });

  std::string counters;
  for (auto& c : g.checks)
    for (auto& ch : c.changes) {
      double pct = ch.baseline != 0 ? (ch.current - ch.baseline) / std::fabs(ch.baseline) * 100 : NAN;
      counters += "| " + md_cell(c.subject) + " | " + md_code(ch.metric) + " | " + trimmed(ch.baseline, 6) + " | " +
                  trimmed(ch.current, 6) + " | " + signed_pct(std::isfinite(pct) ? std::optional(pct) : std::nullopt) +
                  " |\n";
    }
  if (!counters.empty())
    out += "## Counters that changed\n\n| subject | counter | baseline | now | change |\n|---|---|---:|---:|---:|\n" +
           counters + "\n";

  std::string times;
  for (auto& c : g.checks) {
    if (c.group != "times") continue;
    times += "| " + md_code(c.subject) + " | " + duration_ns(c.baseline_ns) + " | " + duration_ns(c.current_ns) + " | " +
             signed_pct(c.change_pct) + " | " + p_text(c.p_value) + " | " + std::to_string(c.n_baseline) + " / " +
             std::to_string(c.n_current) + " | " + (c.fails ? "**" + c.status + "**" : c.status) + " |\n";
  }
  if (!times.empty())
    out += "## Times\n\nMedians of the per-repetition wall-clock samples; p: two-sided Mann–Whitney U test.\n\n"
           "| benchmark | baseline | now | change | p | samples | verdict |\n|---|---:|---:|---:|---:|---:|---|\n" +
           times + "\n";

  if (!g.notes.empty()) {
    out += "## Notes\n\n";
    for (auto& n : g.notes) out += "- " + md_text(n) + "\n";
    out += "\n";
  }
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

}  // namespace cachecheck::reports
