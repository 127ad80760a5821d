#include "app_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>

namespace spectest {

AppProcess::AppProcess(std::vector<std::string> argv, double timeout_s) {
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    setpgid(0, 0);
    dup2(fds[1], 1);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  out_ = fds[0];
  std::string seen;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{out_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[512];
    ssize_t n = read(out_, buf, sizeof buf);
    if (n <= 0) break;
    seen.append(buf, static_cast<std::size_t>(n));
    auto at = seen.find("listening on http://");
    if (at != std::string::npos) {
      auto end = seen.find_first_of(" \n", at + 13);
      if (end != std::string::npos) {
        url_ = seen.substr(at + 13, end - at - 13);
        return;
      }
    }
  }
  kill(-pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  close(out_);
  throw std::runtime_error(argv[0] + " printed no 'listening on http://…' within the timeout: " + seen);
}

AppProcess::~AppProcess() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      close(out_);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(-pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  close(out_);
}

Shell shell(const std::string& command) {
  Shell s;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return s;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) s.output.append(buf, n);
  int status = pclose(p);
  s.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return s;
}

std::string python3() {
  for (const char* candidate : {"/usr/bin/python3", "python3"})
    if (shell(std::string(candidate) + " -c 'import http.server'").code == 0) return candidate;
  throw std::runtime_error("no python3: install it (scripts/install-deps.sh)");
}

}  // namespace spectest
