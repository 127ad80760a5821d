#include "targets/in_process/scheduler.h"

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

void Scheduler::before(calendar::Access access, std::string_view what) {
  if (tl_scheduler != this) return;  // not one of this run's tasks: sequential code
  std::size_t me = tl_task;
  std::unique_lock lock(mutex_);
  states_[me] = State::waiting;
  running_ = kNobody;
  cv_.notify_all();
  cv_.wait(lock, [&] { return running_ == me; });
  states_[me] = State::running;
  trace_.push_back({me, access, std::string(what)});
}

void Scheduler::run(std::vector<std::function<void()>> tasks) {
  {
    std::lock_guard lock(mutex_);
    states_.assign(tasks.size(), State::waiting);
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
    for (std::size_t i = 0; i < states_.size(); ++i)
      if (states_[i] == State::waiting) ready.push_back(i);
    if (ready.empty()) break;
    running_ = ready[std::uniform_int_distribution<std::size_t>(0, ready.size() - 1)(rng_)];
    cv_.notify_all();
  }
  for (auto& t : threads) t.join();
  if (error_) std::rethrow_exception(error_);
}

}  // namespace cachecheck
