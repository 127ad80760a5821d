#include "calendar/domain.h"

#include <algorithm>
#include <set>

namespace calendar {
namespace {

template <std::size_t N>
bool one_of(std::string_view s, const std::string_view (&values)[N]) {
  return std::find(std::begin(values), std::end(values), s) != std::end(values);
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::optional<std::string> string_field(const nlohmann::json& j, const char* name, std::string& error) {
  if (!j.contains(name)) return std::nullopt;
  if (!j[name].is_string()) { error = std::string("'") + name + "' must be a string"; return std::nullopt; }
  return j[name].get<std::string>();
}

// Each setter returns false (with `error`) when the field is present but wrong.
bool set_date(const nlohmann::json& j, const char* name, Date& out, std::string& error) {
  if (!j.contains(name)) return true;
  auto s = string_field(j, name, error);
  if (!s) return false;
  auto d = Date::parse(*s);
  if (!d) { error = std::string("'") + name + "' must be a date YYYY-MM-DD"; return false; }
  out = *d;
  return true;
}

bool set_user_id(const nlohmann::json& value, UserId& out) {
  if (!value.is_number_integer()) return false;
  auto v = value.get<long long>();
  if (v < 1 || v > 1'000'000'000) return false;
  out = static_cast<UserId>(v);
  return true;
}

bool apply_fields(WorkItem& item, const nlohmann::json& j, std::string& error) {
  if (!j.is_object()) { error = "body must be a JSON object"; return false; }
  static const std::set<std::string> known{"id", "title", "work_type", "status", "start_date", "due_date",
                                           "parent_id", "owner_id", "assignee_ids", "is_calendar_visible"};
  for (auto& [key, _] : j.items())
    if (!known.count(key)) { error = "unknown field '" + key + "'"; return false; }
  if (j.contains("title")) {
    auto s = string_field(j, "title", error);
    if (!s) return false;
    item.title = *s;
  }
  if (j.contains("work_type")) {
    auto s = string_field(j, "work_type", error);
    if (!s) return false;
    item.work_type = *s;
  }
  if (j.contains("status")) {
    auto s = string_field(j, "status", error);
    if (!s) return false;
    item.status = *s;
  }
  if (!set_date(j, "start_date", item.start_date, error)) return false;
  if (!set_date(j, "due_date", item.due_date, error)) return false;
  if (j.contains("parent_id")) {
    if (j["parent_id"].is_null()) item.parent_id.reset();
    else if (j["parent_id"].is_string()) item.parent_id = j["parent_id"].get<std::string>();
    else { error = "'parent_id' must be a UUID string or null"; return false; }
  }
  if (j.contains("owner_id") && !set_user_id(j["owner_id"], item.owner_id)) {
    error = "'owner_id' must be a positive integer";
    return false;
  }
  if (j.contains("assignee_ids")) {
    if (!j["assignee_ids"].is_array()) { error = "'assignee_ids' must be an array of user ids"; return false; }
    std::vector<UserId> ids;
    for (auto& v : j["assignee_ids"]) {
      UserId id = 0;
      if (!set_user_id(v, id)) { error = "'assignee_ids' must be an array of user ids"; return false; }
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
    item.assignee_ids = std::move(ids);
  }
  if (j.contains("is_calendar_visible")) {
    if (!j["is_calendar_visible"].is_boolean()) { error = "'is_calendar_visible' must be a boolean"; return false; }
    item.is_calendar_visible = j["is_calendar_visible"].get<bool>();
  }
  return true;
}

}  // namespace

bool is_work_type(std::string_view s) { return one_of(s, kWorkTypes); }
bool is_status(std::string_view s) { return one_of(s, kStatuses); }
bool is_type_filter(std::string_view s) { return is_work_type(s); }

bool type_filter_matches(std::string_view filter, std::string_view work_type) {
  if (filter == work_type) return true;
  // The three parents also match their sub-kind (note: `subtask` has no underscore).
  return (filter == "project" && work_type == "sub_project") ||
#if CACHECHECK_MUTANT == 19  // mutant 19 (filter-sub-task): `task` selects "sub_task", a kind that does not exist (the real one is `subtask`)
         (filter == "activity" && work_type == "sub_activity") || (filter == "task" && work_type == "sub_task");
#else
         (filter == "activity" && work_type == "sub_activity") || (filter == "task" && work_type == "subtask");
#endif
}

bool WorkItem::involves(UserId user) const {
  return owner_id == user || std::find(assignee_ids.begin(), assignee_ids.end(), user) != assignee_ids.end();
}

std::optional<Visibility> parse_visibility(std::string_view s) {
  if (s == "global") return Visibility::global;
  if (s == "assigned") return Visibility::assigned;
  return std::nullopt;
}

std::string_view to_string(Visibility v) { return v == Visibility::global ? "global" : "assigned"; }

bool can_see(Visibility visibility, UserId user, const WorkItem& item) {
  if (!item.is_calendar_visible) return false;
  return visibility == Visibility::global || item.involves(user);
}

bool FeedQuery::matches(const WorkItem& item) const {
#if CACHECHECK_MUTANT == 17  // mutant 17 (range-inclusive-end): the exclusive end is treated as inclusive
  if (end && *end < item.start_date) return false;
#else
  if (end && !(item.start_date < *end)) return false;
#endif
#if CACHECHECK_MUTANT == 18  // mutant 18 (range-start-inside): an item must start inside the range (one that spans into it is left out)
  if (start && item.start_date < *start) return false;
#else
  if (start && item.due_date < *start) return false;
#endif
  if (type && !type_filter_matches(*type, item.work_type)) return false;
#if CACHECHECK_MUTANT == 20  // mutant 20 (filter-no-status): the status filter is not applied
#else
  if (status && item.status != *status) return false;
#endif
  return true;
}

FeedQueryOrError parse_feed_query(const FeedParams& p) {
  FeedQuery q;
  auto bound = [](const std::optional<std::string>& raw, std::optional<Date>& out, const char* name,
                  std::string& error) {
    if (!raw) return true;
    out = parse_feed_bound(*raw);
    if (!out) error = std::string("'") + name + "' must be an ISO 8601 date or date-time: got '" + *raw + "'";
    return out.has_value();
  };
  std::string error;
  if (!bound(p.start, q.start, "start", error) || !bound(p.end, q.end, "end", error)) return {std::nullopt, error};
  if (q.start && q.end) {
    if (!(*q.start < *q.end)) return {std::nullopt, "'start' must be before 'end'"};
    if (q.end->days() - q.start->days() > 400) return {std::nullopt, "the range may span at most 400 days"};
  }
  if (p.type && !p.type->empty()) {
    if (!is_type_filter(*p.type)) return {std::nullopt, "unknown type '" + *p.type + "'"};
    q.type = *p.type;
  }
  if (p.status && !p.status->empty()) {
    if (!is_status(*p.status)) return {std::nullopt, "unknown status '" + *p.status + "'"};
    q.status = *p.status;
  }
  return {q, ""};
}

nlohmann::json to_json(const WorkItem& item) {
  return {{"id", item.id},
          {"title", item.title},
          {"work_type", item.work_type},
          {"status", item.status},
          {"start_date", item.start_date.iso()},
          {"due_date", item.due_date.iso()},
          {"parent_id", item.parent_id ? nlohmann::json(*item.parent_id) : nlohmann::json(nullptr)},
          {"owner_id", item.owner_id},
          {"assignee_ids", item.assignee_ids},
          {"is_calendar_visible", item.is_calendar_visible}};
}

std::optional<WorkItem> item_from_json(const nlohmann::json& j, bool require_id, std::string& error,
                                       UserId default_owner) {
  if (!j.is_object()) { error = "an item must be a JSON object"; return std::nullopt; }
  for (const char* f : {"title", "work_type", "status", "start_date", "due_date"})
    if (!j.contains(f)) { error = std::string("missing field '") + f + "'"; return std::nullopt; }
  WorkItem item;
  if (require_id) {
    auto id = string_field(j, "id", error);
    if (!id) { if (error.empty()) error = "missing field 'id'"; return std::nullopt; }
    item.id = *id;
  } else if (j.contains("id")) {
    error = "'id' is assigned by the server";
    return std::nullopt;
  }
  nlohmann::json fields = j;
  fields.erase("id");
  if (!apply_fields(item, fields, error)) return std::nullopt;
  if (!j.contains("owner_id")) item.owner_id = default_owner;
  error = validate_item(item);
  if (!error.empty()) return std::nullopt;
  return item;
}

bool apply_patch(WorkItem& item, const nlohmann::json& patch, std::string& error) {
  if (patch.is_object() && patch.contains("id") && patch["id"] != item.id) {
    error = "'id' cannot be changed";
    return false;
  }
  WorkItem copy = item;
  nlohmann::json fields = patch;
  if (fields.is_object()) fields.erase("id");
  if (!apply_fields(copy, fields, error)) return false;
  error = validate_item(copy);
  if (!error.empty()) return false;
  item = std::move(copy);
  return true;
}

std::string validate_item(const WorkItem& item) {
  if (!item.id.empty() && !is_uuid(item.id)) return "'id' must be a UUID";
  if (item.title.empty() || item.title.size() > 500) return "'title' must be 1 to 500 characters";
  if (!is_work_type(item.work_type)) return "unknown work_type '" + item.work_type + "'";
  if (!is_status(item.status)) return "unknown status '" + item.status + "'";
  if (item.due_date < item.start_date) return "'start_date' must not be after 'due_date'";
  if (item.parent_id && !is_uuid(*item.parent_id)) return "'parent_id' must be a UUID";
  if (item.parent_id && *item.parent_id == item.id) return "an item cannot be its own parent";
  if (item.owner_id < 1) return "'owner_id' must be a positive integer";
  return "";
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

}  // namespace calendar
