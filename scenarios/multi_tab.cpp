// multi-tab — varies: one user, several tabs sharing one browser HTTP cache;
// deletes, edits and creates in one tab; refreshes, hard refreshes, navigation and clicks
// in the others; time passes (so a response without Cache-Control becomes
// heuristically fresh). Must hold: a tab that fetches after a write sees it.
// `--http-cache unset` shows the browser-cache layer's bug on every strategy.
#include "generate/scenario.h"

namespace cachecheck {
namespace {

Scenario make() {
  Scenario s;
  s.name = "multi-tab";
  s.varies = "1 user, 2-4 tabs and one browser cache; writes in one tab, refresh/navigate/click in others; time passes";
  s.holds = "a fetch after a write completed shows it (server and browser-cache layers)";
  s.params.users = 1;
  s.params.max_tabs = 4;
  s.params.advance_seconds = {30, 600, 3600};
  s.params.mix = StepMix{{"open", 3}, {"refresh", 3}, {"hard_refresh", 1}, {"navigate", 3}, {"look", 2}, {"click", 2}, {"create", 1}, {"edit", 1}, {"remove", 3}, {"advance", 1}};
  return s;
}

const bool registered = register_scenario(2, make());

}  // namespace
}  // namespace cachecheck
