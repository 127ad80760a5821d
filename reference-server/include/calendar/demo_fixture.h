// The demo fixture of `calendar-server --seed-demo` (and of tests that want a
// small, realistic calendar): users alice (1), bob (2), carol (3) with passwords
// equal to their names, and a small forest of work items in October and
// November 2025 (fixed ids, so URLs in docs and tests stay valid).
#pragma once

#include <vector>

#include "calendar/domain.h"

namespace calendar {

std::vector<User> demo_users();
std::vector<WorkItem> demo_items();

}  // namespace calendar
