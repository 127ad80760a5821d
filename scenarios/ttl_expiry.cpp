// ttl-expiry — varies: time passing between reads and writes (seconds to
// hours). Must hold: no read is staler than the strategy's declared bound (the
// TTL); only `bound-exceeded` counts here, so `ttl-only` passes by design.
#include "generate/scenario.h"

namespace cachecheck {
namespace {

Scenario make() {
  Scenario s;
  s.name = "ttl-expiry";
  s.varies = "time passing (10 s to 2 h) between reads, writes and refreshes";
  s.holds = "no read is staler than the declared bound (TTL): only bound-exceeded counts";
  s.params.users = 2;
  s.params.advance_seconds = {10, 120, 299, 301, 900, 7200};
  s.params.mix = StepMix{{"open", 2}, {"refresh", 3}, {"hard_refresh", 1}, {"navigate", 2}, {"look", 1}, {"edit", 1}, {"remove", 2}, {"advance", 3}};
  s.counts_kind = [](const Violation& v) { return v.kind == kBoundExceeded; };
  return s;
}

const bool registered = register_scenario(11, make());

}  // namespace
}  // namespace cachecheck
