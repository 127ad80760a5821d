// A private redis-server for tests and benchmarks (see redis_server.h).
//
// The child is started with PR_SET_PDEATHSIG so that it does not outlive a
// crashed test process. Linux delivers that signal when the *thread* that
// forked exits, so create a RedisServerProcess on a thread that lives as long
// as the object (the main thread, or a SetUpTestSuite).
#include "redis_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

namespace testsupport {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(5);
constexpr int kPortAttempts = 3;

std::string errno_text(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

// Binds 127.0.0.1:0 and returns the port the kernel picked.
int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(errno_text("socket"));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const std::string err = errno_text("bind 127.0.0.1:0");
    ::close(fd);
    throw std::runtime_error(err);
  }
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string err = errno_text("getsockname");
    ::close(fd);
    throw std::runtime_error(err);
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string find_redis_server() {
  if (const char* path = std::getenv("PATH")) {
    std::string_view rest(path);
    while (true) {
      const auto colon = rest.find(':');
      const std::string_view dir = rest.substr(0, colon);
      const std::filesystem::path candidate =
          std::filesystem::path(dir.empty() ? std::string_view(".") : dir) / "redis-server";
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  for (const char* candidate : {"/usr/bin/redis-server", "/usr/local/bin/redis-server",
                                "/usr/sbin/redis-server"}) {
    if (::access(candidate, X_OK) == 0) return candidate;
  }
  throw std::runtime_error(
      "redis-server not found on PATH nor in /usr/bin (install the redis-server package)");
}

std::string log_path(const std::string& dir) { return dir + "/redis.log"; }

std::string log_tail(const std::string& dir, std::size_t max_chars = 3000) {
  std::ifstream in(log_path(dir), std::ios::binary);
  if (!in) return "(no log at " + log_path(dir) + ")";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > max_chars) text = "..." + text.substr(text.size() - max_chars);
  if (text.empty()) return "(empty log)";
  return text;
}

// Whether a redis-server with process id `pid` answers PING on the port. The
// pid check makes sure we are not talking to someone else's server that holds
// the port we picked.
bool answers_ping(int port, int pid) {
  timeval tv{0, 200 * 1000};
  redisContext* ctx = redisConnectWithTimeout("127.0.0.1", port, tv);
  if (ctx == nullptr) return false;
  bool ok = false;
  if (ctx->err == 0 && redisSetTimeout(ctx, tv) == REDIS_OK) {
    auto* ping = static_cast<redisReply*>(redisCommand(ctx, "PING"));
    const bool pong = ping != nullptr && ping->type == REDIS_REPLY_STATUS &&
                      std::string_view(ping->str, ping->len) == "PONG";
    if (ping != nullptr) freeReplyObject(ping);
    if (pong) {
      auto* info = static_cast<redisReply*>(redisCommand(ctx, "INFO server"));
      if (info != nullptr && info->type == REDIS_REPLY_STRING) {
        const std::string text(info->str, info->len);
        ok = text.find("process_id:" + std::to_string(pid) + "\r\n") != std::string::npos;
      }
      if (info != nullptr) freeReplyObject(info);
    }
  }
  redisFree(ctx);
  return ok;
}

enum class StartOutcome { ok, port_taken };

}  // namespace

RedisServerProcess::RedisServerProcess() {
  char tmpl_buf[4096];
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                     "/cachecheck-redis-XXXXXX";
  if (tmpl.size() >= sizeof tmpl_buf) tmpl = "/tmp/cachecheck-redis-XXXXXX";
  std::memcpy(tmpl_buf, tmpl.c_str(), tmpl.size() + 1);
  if (::mkdtemp(tmpl_buf) == nullptr) throw std::runtime_error(errno_text("mkdtemp"));
  dir_ = tmpl_buf;

  std::string last_error;
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    try {
      port_ = free_loopback_port();
      std::error_code ec;
      std::filesystem::remove(log_path(dir_), ec);  // a fresh log for each attempt
      start();
      return;
    } catch (const std::runtime_error& e) {
      last_error = e.what();
      stop();
      // Only a lost race for the port is worth another attempt.
      if (last_error.find("Address already in use") == std::string::npos) break;
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  throw std::runtime_error(last_error);
}

RedisServerProcess::~RedisServerProcess() {
  try {
    stop();
  } catch (...) {
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::string RedisServerProcess::url() const {
  return "redis://127.0.0.1:" + std::to_string(port_);
}

void RedisServerProcess::start() {
  if (pid_ > 0) return;  // already running
  const std::string binary = find_redis_server();
  const std::string port = std::to_string(port_);
  const std::string log = log_path(dir_);

  // Everything the child needs is prepared before fork: after it only
  // async-signal-safe calls are allowed.
  std::vector<std::string> args = {binary,     "--port",       port,   "--bind",
                                   "127.0.0.1", "--save",      "",     "--appendonly",
                                   "no",        "--dir",       dir_,   "--daemonize",
                                   "no",        "--protected-mode", "yes"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error(errno_text(("open " + log).c_str()));
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    ::close(log_fd);
    throw std::runtime_error(errno_text("open /dev/null"));
  }
  const pid_t parent = ::getpid();
  long max_fd = ::sysconf(_SC_OPEN_MAX);
  if (max_fd < 0 || max_fd > 65536) max_fd = 65536;

  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log_fd);
    ::close(null_fd);
    throw std::runtime_error(errno_text("fork"));
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    // Do not let the server inherit the test's sockets and files.
#ifdef SYS_close_range
    if (::syscall(SYS_close_range, 3U, ~0U, 0U) != 0)
#endif
      for (long fd = 3; fd < max_fd; ++fd) ::close(static_cast<int>(fd));
    ::execv(argv[0], argv.data());
    static const char msg[] = "exec redis-server failed\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    ::_exit(127);
  }
  ::close(log_fd);
  ::close(null_fd);
  pid_ = pid;

  const auto deadline = Clock::now() + kStartTimeout;
  while (Clock::now() < deadline) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      std::ostringstream why;
      why << "redis-server on port " << port_ << " exited during startup (";
      if (WIFEXITED(status))
        why << "status " << WEXITSTATUS(status);
      else if (WIFSIGNALED(status))
        why << "signal " << WTERMSIG(status);
      why << "); log tail:\n" << log_tail(dir_);
      throw std::runtime_error(why.str());
    }
    if (answers_ping(port_, pid_)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::string tail = log_tail(dir_);
  stop();
  throw std::runtime_error("redis-server on port " + std::to_string(port_) +
                           " did not answer PING within 10 s; log tail:\n" + tail);
}

void RedisServerProcess::pause() {
  if (pid_ > 0 && !paused_ && ::kill(pid_, SIGSTOP) == 0) paused_ = true;
}

void RedisServerProcess::resume() {
  if (pid_ > 0 && paused_) ::kill(pid_, SIGCONT);
  paused_ = false;
}

void RedisServerProcess::stop() {
  if (pid_ <= 0) return;
  resume();  // a stopped process would not act on SIGTERM
  const pid_t pid = pid_;
  pid_ = -1;
  ::kill(pid, SIGTERM);
  const auto deadline = Clock::now() + kStopTimeout;
  while (true) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return;
    if (r < 0 && errno != EINTR) return;
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace testsupport
