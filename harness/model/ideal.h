// The ideal hit rate of a history: the ceiling every invalidation strategy is
// measured against ("× ideal"). It is the hit rate of a perfect invalidator
// replaying the same history: a server-side cache with the same keys (user,
// type, status, start, end), the same TTL and unbounded capacity, whose entry
// stays valid exactly until its content would change, and is refilled on the
// next read after that (or after its TTL).
//
// Computed from the history and the harness's own model of the truth (the
// oracle's rules: model/semantics.h), never from the target:
//   - truth: History::initial_items, then each successful write (outcome ok,
//     2xx) applied at its completion: create/edit set the item to `written`,
//     delete removes every id in `deleted` (or `item_id`);
//   - reads: the views that reached the server (layer store, server-cache or
//     server; outcome ok, status 200), taken at their invocation; a write that
//     completed at or before a read's invocation is applied first (ties: writes
//     first; otherwise history order);
//   - content of a key: for each item the user may see and the query selects,
//     the event it shows (title, kind, status, start, due date, parent) and its
//     depth in the tree (the feed's `level`). A write invalidates exactly the
//     entries whose content differs after it — the items it wrote or deleted, and
//     the subtree of an item whose parent changed (their levels move);
//   - a read hits when its key holds an entry filled less than `ttl_s` ago (the
//     server's expiry: valid while now < fill + TTL).
// Faults (evictions, flushes) do not touch the ideal cache: it is the ceiling.
// Indeterminate writes are not applied (their effect is unknown).
// Complexity: O(n log n + writes × entries × changed items), entries = distinct
// keys read, changed items per write normally 1 or 2.
#pragma once

#include <cstdint>

#include "model/history.h"

namespace cachecheck {

struct IdealHits {
  std::uint64_t reads = 0;  // reads that reached the server
  std::uint64_t hits = 0;   // of which a perfect invalidator would have served from the cache
  double rate() const { return reads ? static_cast<double>(hits) / static_cast<double>(reads) : 0.0; }
  IdealHits& operator+=(const IdealHits& o) {
    reads += o.reads;
    hits += o.hits;
    return *this;
  }
};

IdealHits ideal_hits(const History& h, double ttl_s);

}  // namespace cachecheck
