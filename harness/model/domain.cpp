#include "model/domain.h"

#include <algorithm>

namespace cachecheck {

bool is_work_type(std::string_view s) {
  return std::find(std::begin(kWorkTypes), std::end(kWorkTypes), s) != std::end(kWorkTypes);
}

bool is_status(std::string_view s) {
  return std::find(std::begin(kStatuses), std::end(kStatuses), s) != std::end(kStatuses);
}

bool Item::involves(UserId user) const {
  return owner_id == user || std::find(assignee_ids.begin(), assignee_ids.end(), user) != assignee_ids.end();
}

std::optional<Visibility> parse_visibility(std::string_view s) {
  if (s == "global") return Visibility::global;
  if (s == "assigned") return Visibility::assigned;
  return std::nullopt;
}

std::string_view to_string(Visibility v) { return v == Visibility::global ? "global" : "assigned"; }

}  // namespace cachecheck
