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
// Outcomes. Every operation is recorded with its outcome (model/history.h): a
// feed read or click without a usable answer (no answer, a 5xx, a body that does
// not decode) is indeterminate and shown nothing; a write without an answer is
// indeterminate, and the oracle judges it as possibly done. Nothing is dropped
// and nothing throws out of a case but TargetError from reset or a fault.
//
// Probe. On a target with a probe, every sequential operation carries the cache
// and store work it caused (ProbeCounters), read before and after it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <map>
#include <string>
#include <vector>

#include "generate/script.h"
#include "model/history.h"
#include "targets/target.h"

namespace cachecheck {

struct RunOutput {
  History history;
  // Per top-level step: the ops it produced (indices into history.ops) and, for
  // a concurrent step on the in-process target, the interleaving.
  struct StepRecord {
    std::vector<std::size_t> ops;
    std::string skipped;  // why a step produced no operation
    std::vector<std::string> interleaving;
  };
  std::vector<StepRecord> steps;
  // Client calls made for an operation: the tag current_call_tag() gave during the
  // call → the op's index in history.ops.
  std::map<std::uint64_t, std::size_t> call_ops;
};

struct RunOptions {
  std::uint64_t seed = 0;  // drives the interleaving of concurrent steps and random faults
  // A client to use instead of the target's own, wrapping it (the curl recorder).
  std::function<Client&(Client& target_client)> wrap_client;
};

// Resets the target to the script's setup and plays every step. Throws TargetError
// when the target cannot be reset or a fault fails.
RunOutput run_script(Target& target, const Script& script, const RunOptions& options);

// During a client call made by run_script, a tag naming the operation it is for
// (0 outside any); RunOutput::call_ops maps it to the operation.
std::uint64_t current_call_tag();

}  // namespace cachecheck
