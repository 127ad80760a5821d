#include "targets/in_process/scheduler.h"

#include <stdexcept>
#include <thread>

namespace cachecheck {
namespace {

// Which scheduler and task the current thread belongs to (none on other threads).
thread_local Scheduler* tl_scheduler = nullptr;
thread_local std::size_t tl_task = 0;

}  // namespace

void Scheduler::task_main(std::size_t index, const std::function<void()>& fn) {
  tl_scheduler = this;
  tl_task = index;
  {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return running_ == index; });
    states_[index] = State::running;
  }
  try {
    fn();
  } catch (...) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::current_exception();
  }
  std::lock_guard lock(mutex_);
  states_[index] = State::done;
  running_ = kNobody;
  tl_scheduler = nullptr;
  cv_.notify_all();
}

namespace {
std::string access_name(calendar::Access a) {
  switch (a) {
    case calendar::Access::cache_read: return "cache-read";
    case calendar::Access::cache_write: return "cache-write";
    case calendar::Access::store_read: return "store-read";
    case calendar::Access::store_write: return "store-write";
  }
  return "?";
}
}  // namespace

void Scheduler::park(std::size_t me, std::unique_lock<std::mutex>& lock) {
  states_[me] = State::waiting;
  running_ = kNobody;
  cv_.notify_all();
  cv_.wait(lock, [&] { return running_ == me; });
  states_[me] = State::running;
}

void Scheduler::before(calendar::Access access, std::string_view what) {
  if (tl_scheduler != this) return;  // not one of this run's tasks: sequential code
  std::size_t me = tl_task;
  std::unique_lock lock(mutex_);
  park(me, lock);
  trace_.push_back({me, access_name(access), std::string(what)});
}

bool Scheduler::wait_until(const std::function<bool()>& ready) {
  if (tl_scheduler != this) return false;
  std::size_t me = tl_task;
  std::unique_lock lock(mutex_);
  blocked_on_[me] = &ready;
  park(me, lock);
  blocked_on_[me] = nullptr;
  trace_.push_back({me, "slot", "a worker thread is free"});
  return true;
}

void Scheduler::run(std::vector<std::function<void()>> tasks) {
  {
    std::lock_guard lock(mutex_);
    states_.assign(tasks.size(), State::waiting);
    blocked_on_.assign(tasks.size(), nullptr);
    running_ = kNobody;
    error_ = nullptr;
  }
  std::vector<std::thread> threads;
  threads.reserve(tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) threads.emplace_back([this, i, &tasks] { task_main(i, tasks[i]); });
  while (true) {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return running_ == kNobody; });
    std::vector<std::size_t> ready;
    bool any_waiting = false;
    for (std::size_t i = 0; i < states_.size(); ++i) {
      if (states_[i] != State::waiting) continue;
      any_waiting = true;
      if (!blocked_on_[i] || (*blocked_on_[i])()) ready.push_back(i);
    }
    if (!any_waiting) break;
    if (ready.empty()) {
      // Every remaining task waits for a slot no running task will free: cannot happen
      // while each slot holder runs to completion; reported rather than hung.
      if (!error_) error_ = std::make_exception_ptr(std::logic_error("scheduler: every task is blocked"));
      for (std::size_t i = 0; i < states_.size(); ++i)
        if (states_[i] == State::waiting) blocked_on_[i] = nullptr;
      continue;
    }
    running_ = ready[std::uniform_int_distribution<std::size_t>(0, ready.size() - 1)(rng_)];
    cv_.notify_all();
  }
  for (auto& t : threads) t.join();
  if (error_) std::rethrow_exception(error_);
}

}  // namespace cachecheck
