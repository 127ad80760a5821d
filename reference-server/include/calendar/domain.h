// The calendar's domain: users, work items, feed queries, and their JSON forms.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "calendar/date.h"

namespace calendar {

using UserId = int;

struct User {
  UserId id = 0;
  std::string username;
  std::string password;
};

inline constexpr std::string_view kWorkTypes[] = {"project",  "sub_project", "activity",
                                                  "sub_activity", "task", "subtask"};
inline constexpr std::string_view kStatuses[] = {"not_started", "in_progress", "at_risk",
                                                 "blocked",     "completed",   "cancelled"};
// Values the feed's `type` filter accepts: the six kinds (exact) and the three
// parents that also match their `sub_` kind.
bool is_work_type(std::string_view s);
bool is_status(std::string_view s);
bool is_type_filter(std::string_view s);
bool type_filter_matches(std::string_view filter, std::string_view work_type);

struct WorkItem {
  std::string id;  // UUID v4 text
  std::string title;
  std::string work_type;
  std::string status;
  Date start_date;
  Date due_date;
  std::optional<std::string> parent_id;
  UserId owner_id = 0;
  std::vector<UserId> assignee_ids;
  bool is_calendar_visible = true;

  bool involves(UserId user) const;  // owner or assignee
  friend bool operator==(const WorkItem&, const WorkItem&) = default;
};

enum class Visibility { global, assigned };
std::optional<Visibility> parse_visibility(std::string_view s);
std::string_view to_string(Visibility v);

// Whether `user` may see `item` on the calendar under `visibility`.
bool can_see(Visibility visibility, UserId user, const WorkItem& item);

// A feed request's parameters, parsed and validated.
struct FeedQuery {
  std::optional<Date> start;  // inclusive
  std::optional<Date> end;    // exclusive
  std::optional<std::string> type;
  std::optional<std::string> status;

  bool matches(const WorkItem& item) const;
};

// Raw parameters as they arrive; `parse_feed_query` validates them per the contract.
struct FeedParams {
  std::optional<std::string> start, end, type, status;
};
struct FeedQueryOrError {
  std::optional<FeedQuery> query;
  std::string error;
};
FeedQueryOrError parse_feed_query(const FeedParams& params);

// JSON in the domain's field names (the admin API and the item endpoints).
nlohmann::json to_json(const WorkItem& item);
// Parses a full item; returns an error message on failure. `require_id` is false
// for creation, where the server assigns the id; there an absent `owner_id`
// becomes `default_owner` (the acting user).
std::optional<WorkItem> item_from_json(const nlohmann::json& j, bool require_id, std::string& error,
                                       UserId default_owner = 0);
// Applies a subset of fields (PATCH). On error leaves `item` unchanged.
bool apply_patch(WorkItem& item, const nlohmann::json& patch, std::string& error);
std::string validate_item(const WorkItem& item);  // "" when valid

bool is_uuid(std::string_view s);

}  // namespace calendar
