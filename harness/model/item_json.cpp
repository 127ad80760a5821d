#include "model/item_json.h"

namespace cachecheck {
namespace {

using nlohmann::json;

bool need(const json& j, const char* name, bool (json::*is)() const, const char* what, std::string& error) {
  auto it = j.find(name);
  if (it == j.end()) {
    error = std::string("missing field '") + name + "'";
    return false;
  }
  if (!((*it).*is)()) {
    error = std::string("field '") + name + "' must be " + what + ", got " + it->dump();
    return false;
  }
  return true;
}

bool date_field(const json& j, const char* name, Date& out, std::string& error) {
  if (!need(j, name, &json::is_string, "a date \"YYYY-MM-DD\"", error)) return false;
  auto d = Date::parse(j[name].get<std::string>());
  if (!d) {
    error = std::string("field '") + name + "' is not a date \"YYYY-MM-DD\": " + j[name].dump();
    return false;
  }
  out = *d;
  return true;
}

bool int_field(const json& v, int& out) {
  if (!v.is_number_integer()) return false;
  auto x = v.get<std::int64_t>();
  if (x < -2147483647 || x > 2147483647) return false;
  out = static_cast<int>(x);
  return true;
}

}  // namespace

json to_json(const Item& i) {
  return {{"id", i.id},
          {"title", i.title},
          {"work_type", i.work_type},
          {"status", i.status},
          {"start_date", i.start_date.iso()},
          {"due_date", i.due_date.iso()},
          {"parent_id", i.parent_id ? json(*i.parent_id) : json(nullptr)},
          {"owner_id", i.owner_id},
          {"assignee_ids", i.assignee_ids},
          {"is_calendar_visible", i.is_calendar_visible}};
}

std::optional<Item> item_from_json(const json& j, std::string& error) {
  if (!j.is_object()) {
    error = "an item must be a JSON object, got " + j.dump().substr(0, 80);
    return std::nullopt;
  }
  Item i;
  for (auto [name, out] : {std::pair{"id", &i.id}, {"title", &i.title}, {"work_type", &i.work_type},
                           {"status", &i.status}}) {
    if (!need(j, name, &json::is_string, "a string", error)) return std::nullopt;
    *out = j[name].get<std::string>();
  }
  if (!date_field(j, "start_date", i.start_date, error) || !date_field(j, "due_date", i.due_date, error))
    return std::nullopt;
  if (auto p = j.find("parent_id"); p != j.end() && !p->is_null()) {
    if (!p->is_string()) {
      error = "field 'parent_id' must be a string or null, got " + p->dump();
      return std::nullopt;
    }
    i.parent_id = p->get<std::string>();
  }
  if (auto o = j.find("owner_id"); o != j.end() && !int_field(*o, i.owner_id)) {
    error = "field 'owner_id' must be an integer, got " + o->dump();
    return std::nullopt;
  }
  if (auto a = j.find("assignee_ids"); a != j.end()) {
    if (!a->is_array()) {
      error = "field 'assignee_ids' must be an array of integers, got " + a->dump();
      return std::nullopt;
    }
    for (auto& v : *a) {
      int id = 0;
      if (!int_field(v, id)) {
        error = "field 'assignee_ids' must be an array of integers, got " + a->dump();
        return std::nullopt;
      }
      i.assignee_ids.push_back(id);
    }
  }
  if (auto v = j.find("is_calendar_visible"); v != j.end()) {
    if (!v->is_boolean()) {
      error = "field 'is_calendar_visible' must be true or false, got " + v->dump();
      return std::nullopt;
    }
    i.is_calendar_visible = v->get<bool>();
  }
  return i;
}

json to_json(const User& u) { return {{"id", u.id}, {"username", u.username}, {"password", u.password}}; }

std::optional<User> user_from_json(const json& j, std::string& error) {
  if (!j.is_object()) {
    error = "a user must be a JSON object";
    return std::nullopt;
  }
  User u;
  if (!j.contains("id") || !int_field(j["id"], u.id)) {
    error = "a user needs an integer \"id\"";
    return std::nullopt;
  }
  for (auto [name, out] : {std::pair{"username", &u.username}, {"password", &u.password}}) {
    if (!need(j, name, &json::is_string, "a string", error)) return std::nullopt;
    *out = j[name].get<std::string>();
  }
  return u;
}

json reset_json(const std::vector<User>& users, const std::vector<Item>& items, Visibility v) {
  json us = json::array(), is = json::array();
  for (auto& u : users) us.push_back(to_json(u));
  for (auto& i : items) is.push_back(to_json(i));
  return {{"users", us}, {"items", is}, {"visibility", std::string(to_string(v))}};
}

}  // namespace cachecheck
