// A counterexample found through a target spec, as a bash script of curl calls
// made from the spec's own requests — its login (a cookie session, a token read
// from the body, a header or a cookie; a CSRF token sent back), its feed
// parameters and date formats, its write paths and bodies, its detail URL and
// hooks — so that the application's developers can paste it and see the stale
// read against their application, without cachecheck.
//
// Setup: the reset hook with the fixture when the spec has one; without it the
// script works as the harness does, in its own namespace: it creates the
// fixture's items (titles tagged "[cc-curl] "), keeps the ids the application
// gives them in shell variables, and deletes everything it created at the end
// (flushing the application's cache first when the spec has a flush hook).
// A manual clock (the clock hook) is set as the run set it; on a real clock the
// run's waits are `sleep`s. Concurrent steps start in the background together.
//
// Each feed answer is checked as the oracle judged the recorded one (see
// curl_script.h): items deleted before the read must be absent; each counted
// violation at that read must show again. Ends "no violation" (exit 0) or
// "summary: N violation(s)" (exit 1); exit 2 when the application is unreachable
// or refuses the setup. Needs bash, curl, awk, sed, grep and mktemp.
#pragma once

#include <functional>
#include <string>

#include "generate/script.h"
#include "model/oracle.h"
#include "run/runner.h"
#include "spec/target_spec.h"

namespace cachecheck {

std::string spec_curl_script(const spec::TargetSpec& spec, const Script& script, const RunOutput& run,
                             const Verdict& verdict, const std::function<bool(const Violation&)>& counted,
                             const std::string& title);

}  // namespace cachecheck
