// A long history made up for the oracle's benchmarks (oracle/judge/*): no target,
// no scheduler — the views show exactly what the store held (by the harness's own
// semantics), except one view in a thousand, which keeps showing an item deleted
// just before (a stale-visible the oracle must find).
//
// 24 users, global visibility, 120 items over a year (a six-week view shows about
// a dozen events, as a month view of a busy team calendar does), 80 % views (one in
// five filtered by type), 8 % edits, 6 % creates, 6 % deletes; each operation takes
// 2 ms of the clock and the next starts 5 ms after the previous one.
#pragma once

#include <cstddef>
#include <cstdint>

#include "model/history.h"

namespace bench {

cachecheck::History synthetic_history(std::size_t ops, std::uint64_t seed);

}  // namespace bench
