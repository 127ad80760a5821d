// The contract's JSON forms of the domain, as the harness writes and reads them:
// an item in the domain's field names (the admin reset, the item endpoints'
// answers, saved scripts and histories) and a user of the reset fixture.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "model/domain.h"

namespace cachecheck {

// {"id", "title", "work_type", "status", "start_date", "due_date" ("YYYY-MM-DD"),
//  "parent_id" (string or null), "owner_id", "assignee_ids", "is_calendar_visible"}.
nlohmann::json to_json(const Item& item);
// A full item with its id; nullopt with `error` (one line, naming the field) when a
// field is missing, of the wrong type, or not a real date; unknown fields are ignored
// (an application may answer more than the contract names).
std::optional<Item> item_from_json(const nlohmann::json& j, std::string& error);

nlohmann::json to_json(const User& u);  // {"id", "username", "password"}
std::optional<User> user_from_json(const nlohmann::json& j, std::string& error);

// The reference server's reset document: {"users": [...], "items": [...], "visibility"}.
nlohmann::json reset_json(const std::vector<User>& users, const std::vector<Item>& items, Visibility v);

}  // namespace cachecheck
