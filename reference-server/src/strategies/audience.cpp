// `audience`: like `versioned`, but a write bumps the version of every user who
// could see the item before or after it, not only the actor's.
//
// Representation: a read gets two counters in ONE round trip (MGET):
// `calendar_version:{uid}` and `calendar_version:global`, and caches under
// `calendar_feed:{uid}:v{user}.{global}:…`. Under `global` visibility every
// user sees every calendar-visible item, so a write bumps only the global
// counter: O(1) per write whatever the number of users. Under `assigned` it
// bumps the owner's and assignees' counters, before and after the write.
//
// Guarantees: fresh across users, filters, ranges and months on one shared cache.
// Assumes the version keys survive: an evicted or flushed version restarts at 0
// and old `v0.0` entries within their TTL come back (the `eviction` scenario);
// a private per-worker memory cache never hears of another worker's bump.
// Cost: read 1 round trip (MGET) + the feed GET; write 1 INCR (global) or one
// per user in the item's audience (assigned).
#include <set>

#include "calendar/strategy.h"

namespace calendar {
namespace {

const std::string kGlobalVersion = kGlobalVersionKey;

class Audience final : public Strategy {
 public:
  std::string_view name() const override { return "audience"; }
  // every reader who could see a written item gets a new version.
  double staleness_bound_s(int) const override { return 0; }

  std::optional<std::string> read_key(StrategyEnv& env, UserId user, const FeedQuery& q) override {
    auto versions = env.cache.get_many({version_key(user), kGlobalVersion});
#if CACHECHECK_MUTANT == 2  // mutant 2 (audience-global-only): an index slip: the key carries the global version twice, never the user's
    std::string v = (versions[1] ? *versions[1] : "0") + "." + (versions[1] ? *versions[1] : "0");
#else
    std::string v = (versions[0] ? *versions[0] : "0") + "." + (versions[1] ? *versions[1] : "0");
#endif
    return versioned_feed_key(user, v, q);
  }

  void on_write(StrategyEnv& env, const WriteEvent& event) override {
    if (env.visibility == Visibility::global) {
#if CACHECHECK_MUTANT == 3  // mutant 3 (audience-actor-under-global): under global visibility bumps the actor's version instead of the global one
      env.cache.incr(version_key(event.actor));
#else
      env.cache.incr(kGlobalVersion);
#endif
      return;
    }
    std::set<UserId> audience;
#if CACHECHECK_MUTANT == 1  // mutant 1 (audience-after-only): bumps the audience the item has after the write, not the one it had before
    for (const auto* items : {&event.after})
#else
    for (const auto* items : {&event.before, &event.after})
#endif
      for (const WorkItem& item : *items) {
#if CACHECHECK_MUTANT == 4  // mutant 4 (audience-no-owner): the audience is the assignees; the owner is left out
#else
        audience.insert(item.owner_id);
#endif
        audience.insert(item.assignee_ids.begin(), item.assignee_ids.end());
      }
#if CACHECHECK_MUTANT == 5  // mutant 5 (audience-no-create): a create is not invalidated ("a new item cannot make anything stale")
    for (UserId u : audience) if (event.kind != WriteKind::create) env.cache.incr(version_key(u));
#else
    for (UserId u : audience) env.cache.incr(version_key(u));
#endif
  }
};

const bool registered = register_strategy("audience", 4, [] { return std::make_unique<Audience>(); });

}  // namespace
}  // namespace calendar
