// `robust`: the team's design, meant to pass every scenario.
//
// Idea: the invalidation signal lives in the source of truth, not in the cache.
// The store keeps a generation counter that every write bumps inside the same
// critical section (in a SQL database: a one-row table updated in the write's
// transaction). A feed read first reads the generation (one primary-key
// lookup), then looks up `calendar_feed:{uid}:g{generation}:{type}:{status}:{start}:{end}`.
//
// Why each known bug cannot happen:
// - other users, filters, ranges, months, edits, creates, cascades: every write
//   changes the generation, so every key any reader computes afterwards is new;
// - several workers with private memory caches: each reads the shared store's
//   generation, so nothing has to be sent between processes;
// - evicted or flushed cache state, a Redis restart: the cache holds no
//   invalidation state; losing entries only costs misses;
// - a fill racing a delete: the generation is read BEFORE the store query, so a
//   fill that saw pre-delete data is written under the old generation, which no
//   reader invoked after the delete completes will ask for;
// - Redis down: the base application serves from the store.
// Assumptions: the store's generation read is linearizable (it is the database).
// Cost: read = 1 store lookup + 1 cache GET; write = 0 cache operations (the
// bump is part of the store's write). Every write invalidates every user's
// entries, which lowers the hit rate under write-heavy load (see the benchmark).
#include "calendar/strategy.h"

namespace calendar {
namespace {

class Robust final : public Strategy {
 public:
  std::string_view name() const override { return "robust"; }
  // the key embeds the store's write generation.
  double staleness_bound_s(int) const override { return 0; }

  std::optional<std::string> read_key(StrategyEnv& env, UserId user, const FeedQuery& q) override {
#if CACHECHECK_MUTANT == 101  // gate mutant 101 (robust-sweep): the seed's fix comes back: no generation in the key, a delete sweeps 100 guessed keys
    return feed_key(user, q);
#elif CACHECHECK_MUTANT == 102  // gate mutant 102 (robust-read-round-trip): the read first looks for a cached copy of the generation: one more cache round trip per read
    env.cache.get("calendar_feed:generation");
#endif
#if CACHECHECK_MUTANT == 7  // mutant 7 (robust-key-without-user): the key leaves the user out ("the feed is the same for everyone")
    return "calendar_feed:g" + std::to_string(env.store.generation()) + ":" + feed_key_suffix(q);
#else
    return "calendar_feed:" + std::to_string(user) + ":g" + std::to_string(env.store.generation()) + ":" +
           feed_key_suffix(q);
#endif
  }

#if CACHECHECK_MUTANT == 8  // mutant 8 (robust-fill-after-store): the fill reads the generation again after the store query
  std::string fill_key(StrategyEnv& env, UserId user, const FeedQuery& q, const std::string&) override { return *read_key(env, user, q); }
  void on_write(StrategyEnv&, const WriteEvent&) override {}
#elif CACHECHECK_MUTANT == 101
  void on_write(StrategyEnv& env, const WriteEvent& event) override {
    if (event.kind != WriteKind::remove) return;
    for (auto& key : sweep_keys(event.actor, env.clock.today())) env.cache.del(key);
  }
#else
  void on_write(StrategyEnv&, const WriteEvent&) override {}
#endif
};

const bool registered = register_strategy("robust", 5, [] { return std::make_unique<Robust>(); });

}  // namespace
}  // namespace calendar
