// `ttl-only`: the seed's "before" and its option 3. The feed is cached under
// `calendar_feed:{uid}:{type}:{status}:{start}:{end}` for the TTL; writes never
// invalidate. Staleness is bounded by the TTL and nothing else.
#include "calendar/strategy.h"

namespace calendar {
namespace {

class TtlOnly final : public Strategy {
 public:
  std::string_view name() const override { return "ttl-only"; }
  // writes never invalidate: an entry lives its TTL.
  double staleness_bound_s(int ttl_s) const override { return static_cast<double>(ttl_s); }
  std::optional<std::string> read_key(StrategyEnv&, UserId user, const FeedQuery& q) override {
    return feed_key(user, q);
  }
  void on_write(StrategyEnv&, const WriteEvent&) override {}
};

const bool registered = register_strategy("ttl-only", 1, [] { return std::make_unique<TtlOnly>(); });

}  // namespace
}  // namespace calendar
