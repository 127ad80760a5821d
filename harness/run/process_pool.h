// Runs independent tasks in forked child processes, at most `jobs` at a time.
//
// Why processes and not threads: a matrix cell is a RapidCheck property, and
// RapidCheck keeps its implicit parameters in process-wide stacks, so two cells
// cannot run on two threads of one process. A forked child gets the parent's
// state copy-on-write, runs one task and hands back its answer as text through a
// file; the parent keeps the answers in task order, so the outcome does not depend
// on which child finished first.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cachecheck {

struct PoolOptions {
  int jobs = 1;
  std::string scratch_dir;  // where children leave their answers (created; emptied after)
  // Set by a signal handler: no new task starts; tasks under way finish or stop on
  // their own (they see the same flag in the child).
  const std::atomic<bool>* stop = nullptr;
  // Called in the parent, in completion order, with the task index.
  std::function<void(std::size_t task)> finished;
};

// task(i) runs in a child and returns its answer, or nullopt when it was cut short
// (an interrupted run). Returns the answers in task order (nullopt: cut short or
// never started because of a stop). Throws std::runtime_error with the child's
// one-line reason when a task throws, or when a child dies (signal, exit code).
// The calling process must have no other threads running when it is called.
std::vector<std::optional<std::string>> run_in_processes(
    std::size_t tasks, const std::function<std::optional<std::string>(std::size_t)>& task, const PoolOptions& options);

}  // namespace cachecheck
