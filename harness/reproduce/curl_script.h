// A counterexample as a shell script: the requests a run made, as `curl` calls
// against a calendar-server on $BASE (default http://127.0.0.1:8080) started
// with `--admin --clock manual` and the run's flags, so that anyone can replay
// it without cachecheck.
//
// The script is written from the run itself — the history's operations, in the
// order they were made, with the query string each feed fetch sent — not from a
// second model of the browser. Each feed answer is checked as the oracle judged
// the recorded one:
//   - every item whose delete had completed before the read must be absent
//     (stale-visible);
//   - each violation the oracle found at that read must show again: the item
//     shown (stale-visible, filter-violation, range-violation), absent (missing),
//     shown with the superseded fields (stale-content); a click answering 404
//     (dangling).
// A check that holds prints "violation: <kind> of <item> for user <u>"; the
// script ends as `cachecheck replay` does, with "no violation" (exit 0) or
// "summary: N violation(s)" (exit 1). It exits 2 when the server is unreachable
// or refuses the setup. Reads that the recorded run answered from the browser's
// HTTP cache or the tab's memory are commented: curl has neither.
// Needs bash, curl, awk, sed, grep and mktemp.
#pragma once

#include <functional>
#include <string>

#include "generate/script.h"
#include "model/oracle.h"
#include "run/runner.h"

namespace cachecheck {

// `title` becomes the header comment (each of its lines prefixed with "# ").
std::string curl_script(const Script& script, const RunOutput& run, const Verdict& verdict,
                        const std::function<bool(const Violation&)>& counted, const std::string& title);

}  // namespace cachecheck
