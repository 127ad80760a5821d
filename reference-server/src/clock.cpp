#include "calendar/clock.h"

#include <chrono>

namespace calendar {

TimeMs RealClock::now() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace calendar
