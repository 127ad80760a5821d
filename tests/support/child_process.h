// A child process for tests of the programs themselves (calendar-server):
// started with fork/exec, its stdout and stderr in files of a private directory,
// killed and reaped on destruction.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

namespace testsupport {

// The calendar-server binary built next to the running test executable.
std::filesystem::path calendar_server_binary();
// A loopback port that was free a moment ago.
int free_port();

class ChildProcess {
 public:
  // Runs `binary` with `args`.
  ChildProcess(const std::filesystem::path& binary, std::vector<std::string> args);
  // Runs calendar-server with `args`.
  explicit ChildProcess(std::vector<std::string> args) : ChildProcess(calendar_server_binary(), std::move(args)) {}
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits up to `timeout`; returns the exit status (WIFEXITED code), or -1 on timeout / signal.
  int wait(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  bool running();
  void signal(int sig);
  std::string out() const;
  std::string err() const;

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  bool exited_ = false;
};

}  // namespace testsupport
