#include "calendar/reset_data.h"

#include <map>
#include <set>

namespace calendar {

using json = nlohmann::json;

std::optional<ResetData> parse_reset(const json& body, std::string& error) {
  if (!body.is_object()) {
    error = "the reset body must be a JSON object";
    return std::nullopt;
  }
  for (auto& [key, _] : body.items()) {
    if (key != "users" && key != "items" && key != "visibility") {
      error = "unknown field '" + key + "' (expected users, items, visibility)";
      return std::nullopt;
    }
  }
  ResetData data;
  if (!body.contains("users") || !body["users"].is_array()) {
    error = "'users' must be an array of {id, username, password}";
    return std::nullopt;
  }
  std::set<UserId> user_ids;
  std::set<std::string> names;
  for (const json& u : body["users"]) {
    if (!u.is_object()) {
      error = "each user must be an object {id, username, password}";
      return std::nullopt;
    }
    for (auto& [key, _] : u.items()) {
      if (key != "id" && key != "username" && key != "password") {
        error = "unknown user field '" + key + "'";
        return std::nullopt;
      }
    }
    if (!u.contains("id") || !u["id"].is_number_integer() || u["id"].get<long long>() < 1 ||
        u["id"].get<long long>() > 1'000'000'000) {
      error = "a user's 'id' must be an integer from 1 to 1000000000";
      return std::nullopt;
    }
    if (!u.contains("username") || !u["username"].is_string() || u["username"].get<std::string>().empty()) {
      error = "a user's 'username' must be a non-empty string";
      return std::nullopt;
    }
    if (!u.contains("password") || !u["password"].is_string()) {
      error = "a user's 'password' must be a string";
      return std::nullopt;
    }
    User user{static_cast<UserId>(u["id"].get<long long>()), u["username"].get<std::string>(),
              u["password"].get<std::string>()};
    if (!user_ids.insert(user.id).second) {
      error = "duplicate user id " + std::to_string(user.id);
      return std::nullopt;
    }
    if (!names.insert(user.username).second) {
      error = "duplicate username '" + user.username + "'";
      return std::nullopt;
    }
    data.users.push_back(std::move(user));
  }
  if (body.contains("items")) {
    if (!body["items"].is_array()) {
      error = "'items' must be an array of work items";
      return std::nullopt;
    }
    std::size_t index = 0;
    for (const json& j : body["items"]) {
      std::string item_error;
      auto item = item_from_json(j, true, item_error);
      if (!item) {
        error = "item " + std::to_string(index) + ": " + item_error;
        return std::nullopt;
      }
      data.items.push_back(std::move(*item));
      ++index;
    }
  }
  std::map<std::string, const WorkItem*> by_id;
  for (const WorkItem& item : data.items) {
    if (!by_id.emplace(item.id, &item).second) {
      error = "duplicate item id '" + item.id + "'";
      return std::nullopt;
    }
    if (!user_ids.count(item.owner_id)) {
      error = "item '" + item.id + "': unknown owner_id " + std::to_string(item.owner_id);
      return std::nullopt;
    }
    for (UserId a : item.assignee_ids) {
      if (!user_ids.count(a)) {
        error = "item '" + item.id + "': unknown assignee " + std::to_string(a);
        return std::nullopt;
      }
    }
  }
  for (const WorkItem& item : data.items) {
    const WorkItem* cur = &item;
    std::size_t steps = 0;
    while (cur->parent_id) {
      auto it = by_id.find(*cur->parent_id);
      if (it == by_id.end()) {
        error = "item '" + cur->id + "': unknown parent_id '" + *cur->parent_id + "'";
        return std::nullopt;
      }
      cur = it->second;
      if (++steps > data.items.size()) {
        error = "item '" + item.id + "': parent_id makes a cycle";
        return std::nullopt;
      }
    }
  }
  if (body.contains("visibility") && !body["visibility"].is_null()) {
    if (!body["visibility"].is_string() || !parse_visibility(body["visibility"].get<std::string>())) {
      error = "'visibility' must be \"global\" or \"assigned\"";
      return std::nullopt;
    }
    data.visibility = parse_visibility(body["visibility"].get<std::string>());
  }
  return data;
}

json reset_to_json(const ResetData& data) {
  json users = json::array();
  for (const User& u : data.users) users.push_back({{"id", u.id}, {"username", u.username}, {"password", u.password}});
  json items = json::array();
  for (const WorkItem& item : data.items) items.push_back(to_json(item));
  json out{{"users", users}, {"items", items}};
  if (data.visibility) out["visibility"] = std::string(to_string(*data.visibility));
  return out;
}

}  // namespace calendar
