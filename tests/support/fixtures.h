// Small builders for test data: the contract's demo users and work items.
#pragma once

#include <string>
#include <vector>

#include "calendar/domain.h"

namespace testsupport {

// alice (1), bob (2), carol (3); password = username.
std::vector<calendar::User> demo_users();

// A calendar-visible item with a deterministic UUID built from `n`.
calendar::WorkItem make_item(int n, const std::string& start, const std::string& due,
                             const std::string& work_type = "task", const std::string& status = "in_progress",
                             calendar::UserId owner = 1);

// The UUID make_item(n, …) uses.
std::string item_uuid(int n);

}  // namespace testsupport
