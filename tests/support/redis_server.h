// Starts a private redis-server on a free loopback port in a temporary
// directory, for tests and benchmarks; stops it and removes the directory on
// destruction. Never touches a system Redis.
#pragma once

#include <string>

namespace testsupport {

class RedisServerProcess {
 public:
  // Starts redis-server (no persistence, bound to 127.0.0.1) and waits until it
  // answers PING (timeout 10 s). Throws std::runtime_error with a reason on failure.
  RedisServerProcess();
  ~RedisServerProcess();
  RedisServerProcess(const RedisServerProcess&) = delete;
  RedisServerProcess& operator=(const RedisServerProcess&) = delete;

  int port() const { return port_; }
  std::string url() const;  // "redis://127.0.0.1:<port>"

  void stop();   // terminate the server (SIGTERM, then SIGKILL after 5 s); idempotent
  void start();  // start again on the same port, empty, and wait for PING
  // A hung server: SIGSTOP keeps its port accepting connections (the kernel
  // completes them) while nothing is answered; resume() sends SIGCONT.
  void pause();
  void resume();

 private:
  std::string dir_;
  int port_ = 0;
  int pid_ = -1;
  bool paused_ = false;
};

}  // namespace testsupport
