// filter-changes — varies: every `type` and `status` value and none, switched
// before and after writes, on FullCalendar's month view and the month-aligned
// range. Must hold: a filtered read after a write is fresh. Reaches: the sweep's
// guessed filter lists (`meeting` does not exist; `at_risk`, `blocked` and the
// `sub_` kinds are never swept).
#include "generate/scenario.h"

namespace cachecheck {
namespace {

// Every value once, and "no filter" as often as all of them together, so that a
// tab often filters on one dimension only (and shows something to delete).
std::vector<std::optional<std::string>> with_none(const auto& values) {
  std::vector<std::optional<std::string>> out;
  for (auto v : values) {
    out.emplace_back(std::string(v));
    out.emplace_back(std::nullopt);
  }
  return out;
}

Scenario make() {
  Scenario s;
  s.name = "filter-changes";
  s.varies = "type and status filters (every value and none), switched before and after writes";
  s.holds = "a filtered read after a write completed shows its effect";
  s.params.users = 1;
  s.params.models = {ClientModel::fullcalendar_month, ClientModel::month_aligned};
  s.params.types = with_none(kWorkTypes);
  s.params.statuses = with_none(kStatuses);
  s.params.min_items = 3;
  s.params.max_items = 8;
  s.params.mix = StepMix{{"open", 2}, {"refresh", 2}, {"hard_refresh", 2}, {"filter", 4}, {"look", 1}, {"edit", 1}, {"remove", 3}};
  return s;
}

const bool registered = register_scenario(3, make());

}  // namespace
}  // namespace cachecheck
