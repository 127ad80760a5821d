// `sweep`: the seed's fix, exactly. Keys as `ttl-only`; on DELETE only, for the
// acting user only, delete the 100 keys built from month boundaries (today's
// month and the next three × five guessed types × five statuses), one cache
// call per key. FullCalendar never requests month-aligned ranges, so these
// deletes usually hit nothing. `--pipeline` batches them (for the benchmark).
#include "calendar/strategy.h"

namespace calendar {
namespace {

class Sweep final : public Strategy {
 public:
  std::string_view name() const override { return "sweep"; }
  // what the sweep misses lives its TTL.
  double staleness_bound_s(int ttl_s) const override { return static_cast<double>(ttl_s); }
  std::optional<std::string> read_key(StrategyEnv&, UserId user, const FeedQuery& q) override {
    return feed_key(user, q);
  }
  void on_write(StrategyEnv& env, const WriteEvent& event) override {
    if (event.kind != WriteKind::remove) return;
    auto keys = sweep_keys(event.actor, env.clock.today());
    if (env.pipeline) {
      env.cache.del_many(keys);
      return;
    }
    for (auto& key : keys) env.cache.del(key);
  }
};

const bool registered = register_strategy("sweep", 2, [] { return std::make_unique<Sweep>(); });

}  // namespace
}  // namespace calendar
