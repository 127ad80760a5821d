// A web application started as a child process for a test: a program that binds
// a free loopback port itself and prints "… listening on http://127.0.0.1:PORT"
// (calendar-server, taskboard.py). The destructor stops it (SIGTERM, then SIGKILL).
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace spectest {

class AppProcess {
 public:
  // Throws std::runtime_error when it cannot start or prints no URL within `timeout_s`.
  AppProcess(std::vector<std::string> argv, double timeout_s = 20);
  ~AppProcess();
  AppProcess(const AppProcess&) = delete;
  AppProcess& operator=(const AppProcess&) = delete;

  const std::string& url() const { return url_; }  // "http://127.0.0.1:PORT"
  std::string port() const { return url_.substr(url_.rfind(':') + 1); }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string url_;
};

// The Debian python3 (tests/apps/taskboard needs only its standard library).
std::string python3();

// Runs a shell command; its exit code and output (stdout and stderr).
struct Shell {
  int code = -1;
  std::string output;
};
Shell shell(const std::string& command);

}  // namespace spectest
