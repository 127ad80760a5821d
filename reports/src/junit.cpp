// junit.xml: one test case per strategy × scenario; a failure where the verdict
// differs from its expectation (a failure the expectations predict is a pass).
#include "cachecheck_reports/render.h"

namespace cachecheck::reports {

namespace {

using namespace detail;

std::string failure_message(const CellResult& c) {
  std::string msg = expected_vs_got(c);
  if (c.first_violation)
    msg += ": " + describe_violation(*c.first_violation);
  else if (c.verdict == "pass")
    msg += ": no violation in " + std::to_string(c.cases_run) + " cases";
  return msg;
}

// The body of a failure or the system-out of an expected failure: what to run,
// then the timeline.
std::string details(const CellResult& c, const std::string& out_dir) {
  std::string body;
  if (!c.reason.empty()) body += "expectation: " + c.reason + "\n";
  if (auto counts = violation_counts(c.violations); !counts.empty()) body += "violations: " + counts + "\n";
  if (auto counts = violation_counts(c.client_store_violations); !counts.empty())
    body += "client store (beside the verdict): " + counts + "\n";
  if (auto cmd = replay_command(c, out_dir); !cmd.empty()) {
    body += "replay: " + cmd + "\n";
    body += "curl script: " + curl_script_path(c, out_dir) + "\n";
  }
  for (std::size_t i = 0; i < c.timeline.size(); ++i) body += std::to_string(i + 1) + ". " + c.timeline[i] + "\n";
  return body;
}

}  // namespace

std::string junit_xml(const RunResults& r, const std::string& out_dir) {
  auto t = tally(r);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuite name=\"cachecheck\" tests=\"" + std::to_string(t.cells) + "\" failures=\"" +
         std::to_string(t.differ) + "\" errors=\"0\" skipped=\"0\" time=\"" + fixed(r.elapsed_s, 3) + "\">\n";
  out += "  <properties>\n";
  auto prop = [&](const char* name, const std::string& value) {
    out += "    <property name=\"" + std::string(name) + "\" value=\"" + escape_xml_attr(value) + "\"/>\n";
  };
  prop("version", r.version);
  prop("seed", std::to_string(r.seed));
  prop("target", r.target);
  prop("backend", r.backend);
  prop("cases", std::to_string(r.cases));
  prop("workers", std::to_string(r.workers));
  prop("http_cache", r.http_cache);
  prop("layers", r.layers);
  std::string differ;
  for (auto& s : r.settings_differ) differ += (differ.empty() ? "" : ",") + s;
  if (!differ.empty()) prop("settings_differ", differ);
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
             escape_xml(details(c, out_dir)) + "</failure>\n";
    } else {
      out += "    <system-out>" + escape_xml("fails as expected" +
                                                (c.first_violation ? ": " + describe_violation(*c.first_violation) : "") +
                                                "\n" + details(c, out_dir)) +
             "</system-out>\n";
    }
    out += "  </testcase>\n";
  }
  out += "</testsuite>\n";
  return out;
}

}  // namespace cachecheck::reports
