// `none`: no feed cache at all. Always fresh; the baseline for cost.
#include "calendar/strategy.h"

namespace calendar {
namespace {

class NoCache final : public Strategy {
 public:
  std::string_view name() const override { return "none"; }
  // no cache: every read is fresh.
  double staleness_bound_s(int) const override { return 0; }
  std::optional<std::string> read_key(StrategyEnv&, UserId, const FeedQuery&) override { return std::nullopt; }
  void on_write(StrategyEnv&, const WriteEvent&) override {}
};

const bool registered = register_strategy("none", 0, [] { return std::make_unique<NoCache>(); });

}  // namespace
}  // namespace calendar
