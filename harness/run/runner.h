// The runner: plays a Script's steps against a Target as browser-like clients
// and records the History the oracle judges.
//
// Browser model. Each user has one browser HTTP cache (RFC 9111, shared by the
// user's tabs). Each tab holds FullCalendar's in-memory events and the range it
// last fetched (lazy fetching: a view inside that range, with the same filter,
// shows the in-memory events without a request). Opening a tab, navigating out
// of the fetched range, changing the filter and an F5 refresh fetch the feed in
// the browser's normal cache mode (modern browsers revalidate only the page
// itself on F5; the page's fetch() calls use the default cache mode), so a fresh
// stored response answers them; a hard refresh bypasses the browser cache.
// Deleting from a tab removes that event (only the root, as the page's script
// does) from the tab's events without a refetch.
//
// Time. Every operation takes 1 ms on the target's clock: invoked at t,
// completed at t+1; the next starts at t+2. The operations of a concurrent step
// share one interval, so the oracle may linearize them in any order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/history.h"
#include "generate/script.h"
#include "targets/target.h"

namespace cachecheck {

struct RunOutput {
  History history;
  // Per top-level step: the ops it produced (indices into history.ops) and, for
  // a concurrent step on the in-process target, the interleaving.
  struct StepRecord {
    std::vector<std::size_t> ops;
    std::string note;  // why a step produced no operation
    std::vector<std::string> interleaving;
  };
  std::vector<StepRecord> steps;
  // Cache work done by sequential successful writes (from the target's stats).
  std::uint64_t writes_measured = 0, write_cache_ops = 0, write_round_trips = 0;
};

// Resets the target to the script's setup and plays every step. `seed` drives
// the interleaving of concurrent steps. `bound_s` is recorded in the history
// (the strategy's declared staleness bound). Throws TargetError when the target fails.
RunOutput run_script(Target& target, const Script& script, std::uint64_t seed, std::optional<double> bound_s);

}  // namespace cachecheck
