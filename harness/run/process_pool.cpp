#include "run/process_pool.h"

#include <sys/wait.h>
#include <csignal>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <chrono>
#include <cstring>

namespace cachecheck {
namespace {

namespace fs = std::filesystem;

// A child's exit codes.
constexpr int kAnswered = 0, kCutShort = 3, kThrew = 4;

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool write_all(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  return static_cast<bool>(out << text) && static_cast<bool>(out.flush());
}

[[noreturn]] void child(std::size_t i, const std::function<std::optional<std::string>(std::size_t)>& task,
                        const fs::path& answer, const fs::path& error) {
  int code = kAnswered;
  try {
    std::optional<std::string> out = task(i);
    if (!out) code = kCutShort;
    else if (!write_all(answer, *out)) {
      write_all(error, "cannot write " + answer.string());
      code = kThrew;
    }
  } catch (const std::exception& e) {
    write_all(error, e.what());
    code = kThrew;
  } catch (...) {
    write_all(error, "unknown error");
    code = kThrew;
  }
  std::fflush(nullptr);
  ::_exit(code);  // no atexit handlers, no parent's buffers flushed twice
}

}  // namespace

std::vector<std::optional<std::string>> run_in_processes(
    std::size_t tasks, const std::function<std::optional<std::string>(std::size_t)>& task, const PoolOptions& o) {
  const fs::path dir = o.scratch_dir;
  fs::create_directories(dir);
  auto answer_of = [&](std::size_t i) { return dir / ("task-" + std::to_string(i) + ".out"); };
  auto error_of = [&](std::size_t i) { return dir / ("task-" + std::to_string(i) + ".err"); };
  const auto stopping = [&] { return o.stop && o.stop->load(); };

  std::vector<std::optional<std::string>> answers(tasks);
  std::map<pid_t, std::size_t> running;
  std::string failure;  // the first task that failed: no new task starts after it
  std::size_t next = 0;
  bool told_to_stop = false;
  const std::size_t jobs = static_cast<std::size_t>(std::max(1, o.jobs));
  while (next < tasks || !running.empty()) {
    while (next < tasks && running.size() < jobs && failure.empty() && !stopping()) {
      std::cout.flush();
      std::cerr.flush();
      std::fflush(nullptr);
      const pid_t pid = ::fork();
      if (pid < 0) {
        failure = std::string("cannot start a job process: ") + std::strerror(errno);
        break;
      }
      if (pid == 0) child(next, task, answer_of(next), error_of(next));
      running[pid] = next++;
    }
    if (running.empty()) break;
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid == 0) {
      // A stop asked of this process alone (kill PID, not the process group): the
      // children are told too, so the cells under way stop after their case.
      if (stopping() && !told_to_stop) {
        for (auto& [child_pid, i] : running) ::kill(child_pid, SIGINT);
        told_to_stop = true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    if (pid < 0) {
      if (errno == EINTR) continue;  // a signal (the stop flag is looked at above)
      failure = std::string("waiting for a job process: ") + std::strerror(errno);
      break;
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;  // not one of ours
    const std::size_t i = it->second;
    running.erase(it);
    if (WIFEXITED(status) && WEXITSTATUS(status) == kAnswered) {
      answers[i] = read_all(answer_of(i));
      if (o.finished) o.finished(i);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == kCutShort) {
      // interrupted: no answer
    } else if (failure.empty()) {
      failure = WIFEXITED(status) && WEXITSTATUS(status) == kThrew ? read_all(error_of(i))
                : WIFSIGNALED(status) ? "a job process died of signal " + std::to_string(WTERMSIG(status))
                                      : "a job process exited with status " + std::to_string(WEXITSTATUS(status));
    }
  }
  for (auto& [pid, i] : running) {  // only after a failure to wait: do not leave them behind
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  if (!failure.empty()) throw std::runtime_error(failure);
  return answers;
}

}  // namespace cachecheck
