// ttl-expiry — varies: time passing between reads and writes (seconds to hours),
// and idling past the feed's TTL before reading again. Must hold: every read is
// fresh, and none is staler than the strategy's declared bound (the TTL for the
// strategies that let entries live it, 0 for those that claim freshness). Every
// kind counts: a cell that idles past the TTL is judged for freshness as well as
// for the bound, so `ttl-only` fails here on stale reads within its TTL — and a
// `bound-exceeded` in its signature is a new bug (an entry outliving its TTL).
#include "generate/scenario.h"

namespace cachecheck {
namespace {

Scenario make() {
  Scenario s;
  s.name = "ttl-expiry";
  s.varies = "time passing (10 s to 2 h) between reads, writes and refreshes; idling past the TTL";
  s.holds = "every read is fresh, and none is staler than the declared bound (TTL, or 0)";
  s.params.users = 2;
  s.params.advance_seconds = {10, 120, 299, 301, 900, 7200};
  s.params.waits_past_bound = true;
  s.params.mix = StepMix{{"open", 2}, {"refresh", 3}, {"hard_refresh", 1}, {"navigate", 2}, {"look", 1}, {"edit", 1}, {"remove", 2}, {"advance", 3}, {"idle_ttl", 3}};
  return s;
}

const bool registered = register_scenario(11, make());

}  // namespace
}  // namespace cachecheck
