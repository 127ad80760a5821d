// Injected time: the application never reads the system clock directly.
#pragma once

#include <atomic>

#include "calendar/date.h"

namespace calendar {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs now() const = 0;
  Date today() const { return date_of(now()); }
};

// Wall-clock time.
class RealClock final : public Clock {
 public:
  TimeMs now() const override;
};

// Starts at a given instant and moves only when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimeMs start) : now_(start) {}
  TimeMs now() const override { return now_.load(); }
  void set(TimeMs t) { now_.store(t); }
  void advance_ms(TimeMs delta) { now_.fetch_add(delta); }
  // Moves by `delta` ≥ 0 unless that would pass kLastInstant (date.h); atomic,
  // so concurrent advances cannot together overshoot. False: nothing moved.
  bool advance_within_range(TimeMs delta) {
    TimeMs t = now_.load();
    do {
      if (delta < 0 || t > kLastInstant - delta) return false;
    } while (!now_.compare_exchange_weak(t, t + delta));
    return true;
  }

 private:
  std::atomic<TimeMs> now_;
};

}  // namespace calendar
