// The body of POST /__admin/reset, parsed and validated (also written by the
// harness's HTTP target and curl scripts, through reset_to_json).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "calendar/domain.h"

namespace calendar {

struct ResetData {
  std::vector<User> users;
  std::vector<WorkItem> items;
  // nullopt: the server's own --visibility (a reset never keeps an earlier override).
  std::optional<Visibility> visibility;
};
// Validates users (unique ids ≥ 1 and names), items (the domain's rules, unique
// ids, known owners/assignees/parents, no cycles) and the visibility.
std::optional<ResetData> parse_reset(const nlohmann::json& body, std::string& error);
nlohmann::json reset_to_json(const ResetData& data);

}  // namespace calendar
