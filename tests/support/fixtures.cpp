#include "fixtures.h"

#include <cstdio>

namespace testsupport {

std::vector<calendar::User> demo_users() {
  return {{1, "alice", "alice"}, {2, "bob", "bob"}, {3, "carol", "carol"}};
}

std::string item_uuid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

calendar::WorkItem make_item(int n, const std::string& start, const std::string& due, const std::string& work_type,
                             const std::string& status, calendar::UserId owner) {
  calendar::WorkItem item;
  item.id = item_uuid(n);
  item.title = "Item " + std::to_string(n);
  item.work_type = work_type;
  item.status = status;
  item.start_date = *calendar::Date::parse(start);
  item.due_date = *calendar::Date::parse(due);
  item.owner_id = owner;
  return item;
}

}  // namespace testsupport
