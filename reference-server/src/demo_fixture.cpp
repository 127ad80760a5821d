#include "calendar/demo_fixture.h"

#include <optional>
#include <string>

namespace calendar {
namespace {

std::string demo_id(int n) {
  std::string tail = std::to_string(n);
  return "de30f1c5-0000-4000-8000-" + std::string(12 - tail.size(), '0') + tail;
}

WorkItem item(int n, std::string title, std::string work_type, std::string status, const char* start,
              const char* due, std::optional<int> parent, UserId owner, std::vector<UserId> assignees,
              bool visible = true) {
  WorkItem w;
  w.id = demo_id(n);
  w.title = std::move(title);
  w.work_type = std::move(work_type);
  w.status = std::move(status);
  w.start_date = *Date::parse(start);
  w.due_date = *Date::parse(due);
  if (parent) w.parent_id = demo_id(*parent);
  w.owner_id = owner;
  w.assignee_ids = std::move(assignees);
  w.is_calendar_visible = visible;
  return w;
}

}  // namespace

std::vector<User> demo_users() {
  return {{1, "alice", "alice"}, {2, "bob", "bob"}, {3, "carol", "carol"}};
}

std::vector<WorkItem> demo_items() {
  return {
      item(1, "Q4 Community Outreach Program", "project", "in_progress", "2025-10-01", "2025-11-28", {}, 1, {}),
      item(2, "Barangay consultations", "activity", "in_progress", "2025-10-06", "2025-10-24", 1, 1, {2}),
      item(3, "Prepare consultation materials", "task", "not_started", "2025-10-07", "2025-10-09", 2, 1, {}),
      item(4, "Book venues", "task", "at_risk", "2025-10-13", "2025-10-15", 2, 2, {}),
      item(5, "Confirm catering", "subtask", "blocked", "2025-10-14", "2025-10-14", 4, 2, {3}),
      item(6, "Year-end report", "sub_activity", "not_started", "2025-11-03", "2025-11-21", 1, 3, {}),
      item(7, "Collect field data", "task", "not_started", "2025-11-04", "2025-11-07", 6, 3, {1}),
      item(8, "Annual planning", "project", "not_started", "2025-11-10", "2025-11-28", {}, 2, {}),
      item(9, "Staff meeting", "task", "completed", "2025-10-02", "2025-10-02", {}, 3, {}),
      item(10, "Internal audit", "task", "in_progress", "2025-10-20", "2025-10-22", {}, 1, {}, false),
  };
}

}  // namespace calendar
