// Test data in the harness's own types (model/domain.h): the contract's demo
// users and work items, as tests/support/fixtures.h builds them for the server.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "model/domain.h"

namespace harnesstest {

// FullCalendar's month view of October 2025 (firstDay 1, UTC+08:00) as the browser's query string.
inline const std::string kOctober = "start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-11-10T00%3A00%3A00%2B08%3A00";

// alice (1), bob (2), carol (3); password = username.
inline std::vector<cachecheck::User> demo_users() {
  return {{1, "alice", "alice"}, {2, "bob", "bob"}, {3, "carol", "carol"}};
}

// The UUID make_item(n, …) uses.
inline std::string item_uuid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

// A calendar-visible item with a deterministic UUID built from `n`.
inline cachecheck::Item make_item(int n, const std::string& start, const std::string& due,
                                  const std::string& work_type = "task", const std::string& status = "in_progress",
                                  cachecheck::UserId owner = 1) {
  cachecheck::Item item;
  item.id = item_uuid(n);
  item.title = "Item " + std::to_string(n);
  item.work_type = work_type;
  item.status = status;
  item.start_date = *cachecheck::Date::parse(start);
  item.due_date = *cachecheck::Date::parse(due);
  item.owner_id = owner;
  return item;
}

}  // namespace harnesstest
