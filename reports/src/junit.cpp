// junit.xml. A gate: one test case per check, a failure where the check fails
// the gate. Otherwise one test case per strategy × scenario; a failure where the
// verdict differs from its expectation (a failure the expectations predict is a pass).
#include "cachecheck_reports/render.h"

namespace cachecheck::reports {

namespace {

using namespace detail;

std::string failure_message(const Cell& c) {
  std::string msg = expected_vs_got(c);
  if (auto why = why_unjudged(c); !why.empty())
    msg += ": " + why;
  else if (c.first_violation)
    msg += ": " + describe_violation(*c.first_violation);
  else if (c.verdict == "pass")
    msg += ": no violation in " + std::to_string(c.cases_run) + " cases";
  return msg;
}

// The body of a failure or the system-out of an expected failure: what to run,
// then the narrated reproduction.
std::string details(const Documents& d, const Cell& c) {
  const std::string& dir = d.results->dir;
  std::string body;
  if (!c.reason.empty()) body += "expectation: " + c.reason + "\n";
  if (auto counts = violation_counts(c.violations); !counts.empty()) body += "violations: " + counts + "\n";
  if (auto counts = violation_counts(c.client_store_violations); !counts.empty())
    body += "client store (beside the verdict): " + counts + "\n";
  if (auto cmd = replay_command(c, dir); !cmd.empty()) {
    body += "replay: " + cmd + "\n";
    body += "curl script: " + curl_script_path(c, dir) + "\n";
  }
  auto steps = reproduction(d, c);
  for (std::size_t i = 0; i < steps.size(); ++i) body += std::to_string(i + 1) + ". " + steps[i] + "\n";
  return body;
}

std::string prop(const char* name, const std::string& value) {
  return "    <property name=\"" + std::string(name) + "\" value=\"" + escape_xml_attr(value) + "\"/>\n";
}

std::string cells_junit(const Documents& d) {
  const Results& r = *d.results;
  auto t = tally(r);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuite name=\"cachecheck\" tests=\"" + std::to_string(t.cells) + "\" failures=\"" +
         std::to_string(t.differ) + "\" errors=\"0\" skipped=\"0\" time=\"" + fixed(r.elapsed_s, 3) + "\">\n";
  out += "  <properties>\n";
  out += prop("version", r.version) + prop("seed", std::to_string(r.seed)) + prop("target", r.target) +
         prop("backend", r.backend) + prop("cases", std::to_string(r.cases)) + prop("workers", std::to_string(r.workers)) +
         prop("http_cache", r.http_cache) + prop("layers", r.layers);
  std::string differ;
  for (auto& s : r.settings_differ) differ += (differ.empty() ? "" : ",") + s;
  if (!differ.empty()) out += prop("settings_differ", differ);
  out += "  </properties>\n";

  for (auto& c : r.runs) {
    out += "  <testcase classname=\"" + escape_xml_attr(c.strategy) + "\" name=\"" + escape_xml_attr(c.scenario) +
           "\" time=\"" + fixed(c.elapsed_s, 3) + "\"";
    if (c.matches() && c.verdict != "fail") {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    if (!c.matches()) {
      out += "    <failure message=\"" + escape_xml_attr(failure_message(c)) + "\" type=\"unexpected-verdict\">" +
             escape_xml(details(d, c)) + "</failure>\n";
    } else {
      out += "    <system-out>" +
             escape_xml("fails as expected" +
                        (c.first_violation ? ": " + describe_violation(*c.first_violation) : std::string()) + "\n" +
                        details(d, c)) +
             "</system-out>\n";
    }
    out += "  </testcase>\n";
  }
  out += "</testsuite>\n";
  return out;
}

std::string gate_junit(const GateReport& g) {
  static const char* const groups[] = {"consistency", "counters", "times"};
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"cachecheck gate\" tests=\"" + std::to_string(g.checks.size()) + "\" failures=\"" +
         std::to_string(g.failing()) + "\" errors=\"0\">\n";
  for (const char* group : groups) {
    std::size_t tests = 0, failures = 0;
    for (auto& c : g.checks)
      if (c.group == group) {
        ++tests;
        failures += c.fails ? 1 : 0;
      }
    if (tests == 0) continue;
    out += "  <testsuite name=\"gate." + std::string(group) + "\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
           std::to_string(failures) + "\" errors=\"0\" skipped=\"0\">\n";
    if (std::string(group) == "times")
      out += "    <properties>\n  " + prop("times", g.times) + "  " + prop("alpha", trimmed(g.alpha, 4)) + "  " +
             prop("threshold_pct", trimmed(g.threshold_pct, 2)) + "    </properties>\n";
    for (auto& c : g.checks) {
      if (c.group != group) continue;
      out += "    <testcase classname=\"gate." + std::string(group) + "\" name=\"" + escape_xml_attr(c.subject) + "\"";
      std::string body = c.message + (c.replay.empty() ? "" : "\nreplay: " + c.replay) + "\n";
      if (c.fails) {
        out += ">\n      <failure message=\"" + escape_xml_attr(c.message) + "\" type=\"" + escape_xml_attr(c.status) +
               "\">" + escape_xml(body) + "</failure>\n    </testcase>\n";
      } else if (c.status != "ok") {
        out += ">\n      <system-out>" + escape_xml(c.status + ": " + body) + "</system-out>\n    </testcase>\n";
      } else {
        out += "/>\n";
      }
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace

std::string junit_xml(const Documents& d) {
  if (d.gate) return gate_junit(*d.gate);
  if (d.results) return cells_junit(d);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"cachecheck\" tests=\"0\" failures=\"0\" "
         "errors=\"0\" skipped=\"0\"/>\n";
}

}  // namespace cachecheck::reports
