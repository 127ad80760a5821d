// The application as the harness knows it: users, work items, and the feed's
// queries — written from the contract (../shared/spec/reference-server.md),
// sharing no code with any application it checks. What a fresh answer is lives
// beside it in semantics.h; the JSON forms in item_json.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/time.h"

namespace cachecheck {

struct User {
  UserId id = 0;
  std::string username;
  std::string password;
  friend bool operator==(const User&, const User&) = default;
};

// The contract's six kinds and six statuses, in its order.
inline constexpr std::string_view kWorkTypes[] = {"project", "sub_project", "activity",
                                                  "sub_activity", "task", "subtask"};
inline constexpr std::string_view kStatuses[] = {"not_started", "in_progress", "at_risk",
                                                 "blocked", "completed", "cancelled"};
bool is_work_type(std::string_view s);
bool is_status(std::string_view s);

// A work item: its full state as the history last saw it.
struct Item {
  std::string id;  // opaque; a UUID on the reference server
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
  friend bool operator==(const Item&, const Item&) = default;
};

// Who may see a calendar-visible item: everybody logged in, or its owner and assignees.
enum class Visibility { global, assigned };
std::optional<Visibility> parse_visibility(std::string_view s);
std::string_view to_string(Visibility v);

// What a feed read asked for, as the application reads it: the calendar dates
// of its bounds (the rule that relates them to an item is the Semantics'), and
// the filters. Absent parts do not filter.
struct Query {
  std::optional<Date> start;
  std::optional<Date> end;
  std::optional<std::string> type;
  std::optional<std::string> status;
  friend bool operator==(const Query&, const Query&) = default;
};

// What a run starts from: the data a target is reset to, and the clock's start.
struct Fixture {
  std::vector<User> users;
  std::vector<Item> items;
  Visibility visibility = Visibility::global;
  TimeMs start_time = 0;
};

}  // namespace cachecheck
