// `versioned`: the application's follow-up, exactly. A read first gets
// `calendar_version:{uid}` (missing → 0) and caches under
// `calendar_feed:{uid}:v{ver}:…`; create, edit and delete INCR the ACTING user's
// version (missing → 1, no expiry). Other users who see the item keep their old
// version and their stale entries; an evicted version key restarts at 0 and
// brings old `v0` entries back.
#include "calendar/strategy.h"

namespace calendar {
namespace {

class Versioned final : public Strategy {
 public:
  std::string_view name() const override { return "versioned"; }
  // other users' entries live their TTL.
  double staleness_bound_s(int ttl_s) const override { return static_cast<double>(ttl_s); }
  std::optional<std::string> read_key(StrategyEnv& env, UserId user, const FeedQuery& q) override {
    auto version = env.cache.get(version_key(user));
    return versioned_feed_key(user, version ? *version : "0", q);
  }
#if CACHECHECK_MUTANT == 6  // mutant 6 (versioned-delete-only): bumps the version on delete only, as the seed's sweep ran
  void on_write(StrategyEnv& env, const WriteEvent& event) override { if (event.kind == WriteKind::remove) env.cache.incr(version_key(event.actor)); }
#else
  void on_write(StrategyEnv& env, const WriteEvent& event) override { env.cache.incr(version_key(event.actor)); }
#endif
};

const bool registered = register_strategy("versioned", 3, [] { return std::make_unique<Versioned>(); });

}  // namespace
}  // namespace calendar
