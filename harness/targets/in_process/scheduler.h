// Deterministic simulation: concurrent requests run on threads, but only one
// at a time, and they switch only at the application's cache and store accesses
// (calendar::AccessHook). Which one runs next is drawn from one seeded
// generator, so the same seed gives the same interleaving, byte for byte — a
// fill racing a delete is generated, shrunk and replayed exactly.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "calendar/access_hook.h"

namespace cachecheck {

class Scheduler final : public calendar::AccessHook {
 public:
  explicit Scheduler(std::uint64_t seed) : rng_(seed) {}

  struct Step {
    std::size_t task;
    std::string access;  // "cache-read", "cache-write", "store-read", "store-write", "slot"
    std::string what;
  };

  // Runs every task to completion, interleaved at access points. Rethrows the
  // first exception a task threw, after all have finished.
  void run(std::vector<std::function<void()>> tasks);
  // The access points passed, in the order they were allowed to proceed.
  const std::vector<Step>& trace() const { return trace_; }

  void before(calendar::Access access, std::string_view what) override;
  // A task waiting for a worker's free thread slot: it is not scheduled until `ready`
  // holds (evaluated while every task is parked). Recorded in the trace as "wait".
  bool wait_until(const std::function<bool()>& ready) override;

 private:
  enum class State { waiting, running, done };
  void task_main(std::size_t index, const std::function<void()>& fn);

  std::mt19937_64 rng_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<State> states_;
  std::vector<const std::function<bool()>*> blocked_on_;  // per task: a condition it waits for, or null
  void park(std::size_t me, std::unique_lock<std::mutex>& lock);
  static constexpr std::size_t kNobody = static_cast<std::size_t>(-1);
  std::size_t running_ = kNobody;
  std::vector<Step> trace_;
  std::exception_ptr error_;
};

}  // namespace cachecheck
