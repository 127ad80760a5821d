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
    std::string v = (versions[0] ? *versions[0] : "0") + "." + (versions[1] ? *versions[1] : "0");
    return versioned_feed_key(user, v, q);
  }

  void on_write(StrategyEnv& env, const WriteEvent& event) override {
    if (env.visibility == Visibility::global) {
      env.cache.incr(kGlobalVersion);
      return;
    }
    std::set<UserId> audience;
    for (const auto* items : {&event.before, &event.after})
      for (const WorkItem& item : *items) {
        audience.insert(item.owner_id);
        audience.insert(item.assignee_ids.begin(), item.assignee_ids.end());
      }
    for (UserId u : audience) env.cache.incr(version_key(u));
  }
};

const bool registered = register_strategy("audience", 4, [] { return std::make_unique<Audience>(); });

}  // namespace
}  // namespace calendar
