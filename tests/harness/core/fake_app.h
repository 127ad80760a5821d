// A small application written to the contract, for testing the harness without
// the reference server: an in-memory store answering the feed, the detail, and
// the writes in the contract's formats, with no cache at all (so it is always
// fresh) — unless one of its deliberate bugs is switched on. The harness must
// judge it by what it answers alone: a bug here that the reference server does
// not share must still be found.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "targets/target.h"

namespace fakeapp {

struct Bugs {
  bool drops_subtask_under_task = false;  // type=task forgets its sub-kind `subtask`
  bool shows_invisible = false;           // ignores is_calendar_visible
  int fail_every = 0;                     // every Nth request gets no answer (status 0); 0: never
  int workers = 1;                        // how many server processes it says serve it
  bool nemesis = false;                   // offers faults (flush only: it has no cache)
};

// Registers the target kinds "fake:correct", "fake:drops-subtask", "fake:shows-invisible",
// "fake:flaky" (every 10th request unanswered), "fake:one-worker" (a running server: not
// built per case, one worker), once; safe to call repeatedly.
void register_fake_targets();

std::unique_ptr<cachecheck::Target> make_fake(const Bugs& bugs);

}  // namespace fakeapp
