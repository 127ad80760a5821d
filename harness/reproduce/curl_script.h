// A counterexample as a shell script: the script's steps as `curl` calls
// against a calendar-server on $BASE (default http://127.0.0.1:8080) started
// with `--admin --clock manual`, so that anyone can replay it without cachecheck.
#pragma once

#include <string>

#include "generate/script.h"

namespace cachecheck {

// A bash script (`set -euo pipefail`; needs bash, curl, awk, sed, grep, mktemp;
// no jq) that
//   - loads the script's setup (POST /__admin/reset), sets the clock, and logs
//     every user in with a cookie jar of its own (in a mktemp directory),
//     reading the csrftoken from the jar;
//   - then, one commented block per step: the feed GET a tab's FullCalendar
//     sends (the exact query string of its current view, tracked through open,
//     navigate and filter; navigating inside the range a tab already fetched
//     sends nothing, as FullCalendar's lazy fetching does; a hard refresh adds
//     `Cache-Control: no-cache` and `Pragma: no-cache`); `look` is a comment
//     only; click → the modal GET; create/edit/delete with the X-CSRFToken
//     header (a create's id is captured from its answer for `$created:N`);
//     advance → POST /__admin/clock {"advance_s": N}; faults → the admin API;
//     a concurrent step → its sub-steps' curls in the background, then `wait`.
// Every feed answer is printed, followed by one line per item deleted so far
// (from the DELETE answers that returned 200, subtrees included):
//   "STALE: <uuid> still shown"   or   "fresh: <uuid> gone";
// reads concurrent with a delete are checked against the deletes completed
// before their step. The script ends with "summary: N stale read(s)" and exits 0
// unless curl fails (unreachable server, setup rejected).
// `title` becomes the header comment (each of its lines prefixed with "# ").
std::string curl_script(const Script& script, const std::string& title);

}  // namespace cachecheck
