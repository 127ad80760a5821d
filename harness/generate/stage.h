// What a step may do when it is played: the runner's primitives (run/runner.cpp
// implements them). Each primitive records the operations it makes in the
// history; steps compose them (generate/step.h).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "browser/http_cache_model.h"
#include "browser/tab.h"
#include "targets/target.h"

namespace cachecheck {

struct Step;

class Stage {
 public:
  virtual ~Stage() = default;
  virtual Tab& open_tab(const std::string& name, UserId user, const TabSetup& setup,
                        const std::optional<std::string>& type, const std::optional<std::string>& status) = 0;
  virtual Tab& tab(const std::string& name) = 0;
  // A view of the tab's current range and filter: fetched in `mode` (the user's
  // browser cache answers when it may), or, with nullopt, shown from the tab's memory.
  virtual void view(Tab& t, std::optional<BrowserHttpCache::Mode> mode) = 0;
  // Click an event: skipped (and said so) when the tab does not display it.
  virtual void click(UserId user, const std::string& tab, const std::string& item_ref) = 0;
  virtual void create(UserId user, const nlohmann::json& fields) = 0;
  virtual void edit(UserId user, const std::string& item_ref, const nlohmann::json& fields) = 0;
  // Delete; from a tab, the tab drops the event at once (the page's optimistic removal).
  virtual void remove(UserId user, const std::string& tab, const std::string& item_ref) = 0;
  virtual void advance(double seconds) = 0;
  // A fault through the target's nemesis; `params` are the step's (recorded in the
  // history: op.request), `act` does it and returns how many entries it affected
  // (`seed`: for a random choice, derived from the run's seed and the time).
  virtual void fault(Fault kind, const nlohmann::json& params,
                     const std::function<std::optional<std::size_t>(Nemesis&, std::uint64_t seed)>& act) = 0;
  // The steps of `group` at the same time (one task each).
  virtual void concurrently(const std::vector<Step>& group, std::uint64_t schedule_seed) = 0;
};

}  // namespace cachecheck
