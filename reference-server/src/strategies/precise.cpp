// `precise`: `robust`'s freshness, invalidating only what a write can change.
//
// Idea: like `robust`, the invalidation signal lives in the source of truth, but
// instead of one generation for everything the store keeps a change index
// (calendar/change_index.h), updated in the same critical section as each
// write: every write records the item states it replaced and produced — the old
// and the new dates of an edit, every item of a cascade's subtree, the subtree
// of an item whose parent changed (their levels move) — with their kinds,
// statuses and audiences. A feed read asks the store, in ONE lookup, for its
// query's counter: how many recorded states intersect its days and match its
// type and status filters (and its user, under `assigned`). The key is
// `calendar_feed:{uid}:p{epoch}.{counter}:{type}:{status}:{start}:{end}`.
// A write elsewhere in time, of another kind or status, or (under `assigned`)
// of someone else's item, leaves the counter, hence the key, unchanged.
//
// Why each known bug cannot happen:
// - other users, filters, ranges, months, edits, creates, cascades: every state
//   a write replaces or produces is recorded for every audience that sees it, on
//   every filter value it matches, over all its days; any answer it changes has
//   a counter that grows, so every key a reader computes afterwards is new;
// - several workers with private memory caches: each reads the shared store's
//   counter, so nothing has to be sent between processes;
// - evicted or flushed cache state, a Redis restart: the cache holds no
//   invalidation state; losing entries only costs misses;
// - a fill racing a delete: the counter is read BEFORE the store query, so a
//   fill that saw pre-delete data is written under the old counter, which no
//   reader invoked after the delete completes will ask for (counters never go
//   back: the index only grows; a reset starts a new epoch);
// - a Redis that outlives the server: the epoch starts at the store's first
//   generation, random on the real clock, as robust's generations do;
// - Redis down: the base application serves from the store.
// Assumptions: the store's counter read is linearizable with its writes (one
// lock; in a SQL database, the index rows written in the write's transaction),
// and the index is conservative (change_index.h says why clamping and whole-state
// records only ever add increments).
// Cost: read = 1 store lookup (two Fenwick prefix sums) + 1 cache GET; write = 0
// cache operations (the index update is part of the store's write). Misses come
// only from writes that touch a reader's days, filters and audience, and from
// the TTL: the benchmark's `hit_rate_vs_ideal` measures what is left.
#include <string>

#include "calendar/strategy.h"

namespace calendar {
namespace {

class Precise final : public Strategy {
 public:
  std::string_view name() const override { return "precise"; }
  // the key embeds the store's change counter for the query.
  double staleness_bound_s(int) const override { return 0; }

  std::optional<std::string> read_key(StrategyEnv& env, UserId user, const FeedQuery& q) override {
    const Store::FeedVersion v = env.store.feed_version(user, env.visibility, q);
    return "calendar_feed:" + std::to_string(user) + ":p" + std::to_string(v.epoch) + "." +
           std::to_string(v.changes) + ":" + feed_key_suffix(q);
  }

  void on_write(StrategyEnv&, const WriteEvent&) override {}
  // any entry under the current key is fresh for all who compute it (see above).
  bool supports_leases() const override { return true; }
};

const bool registered = register_strategy("precise", 6, [] { return std::make_unique<Precise>(); });

}  // namespace
}  // namespace calendar
