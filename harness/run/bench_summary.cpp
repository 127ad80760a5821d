#include "run/bench_summary.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <locale>
#include <sstream>

namespace cachecheck {
namespace {

// ---------------------------------------------------------------------------
// Running the binary

std::string join_backends(const std::vector<std::string>& backends) {
  std::string out;
  for (const auto& b : backends) out += (out.empty() ? "" : ",") + b;
  return out;
}

std::string format_seconds(double s) {
  std::ostringstream os;
  os.imbue(std::locale::classic());
  os << s;
  return os.str();
}

int fail(std::ostream& progress, const std::string& message) {
  progress << "cachecheck bench: " << message << "\n";
  progress.flush();
  return 2;
}

}  // namespace

std::vector<std::string> bench_command(const BenchOptions& o) {
  std::vector<std::string> backends = o.backends.empty() ? std::vector<std::string>{"memory", "redis"} : o.backends;
  std::vector<std::string> argv = {
      o.bench_binary,
      "--benchmark_out=" + (std::filesystem::path(o.out_dir) / "bench.json").string(),
      "--benchmark_out_format=json",
      "--benchmark_repetitions=" + std::to_string(o.repetitions),
      "--benchmark_min_time=" + format_seconds(o.min_time_s),
      "--benchmark_display_aggregates_only=true",
      "--benchmark_enable_random_interleaving=true",
      "--benchmark_color=false",
      "--backends=" + join_backends(backends)};
  if (!o.filter.empty()) argv.push_back("--benchmark_filter=" + o.filter);
  argv.insert(argv.end(), o.extra_args.begin(), o.extra_args.end());
  return argv;
}

int run_process(const std::vector<std::string>& argv, std::ostream& progress, std::string& error) {
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    return -1;
  }
  progress.flush();
  const pid_t pid = ::fork();
  if (pid < 0) {
    error = std::string("fork: ") + std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    ::execv(cargv[0], cargv.data());
    const char msg[] = "cachecheck: exec failed\n";
    ssize_t ignored = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
    ::_exit(127);
  }
  ::close(fds[1]);
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    progress.write(buf, n);
    progress.flush();
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      error = std::string("waitpid: ") + std::strerror(errno);
      return -1;
    }
  }
  return status;
}

int run_bench(const BenchOptions& o, std::ostream& progress) {
  for (const auto& b : o.backends)
    if (b != "memory" && b != "redis") return fail(progress, "unknown backend '" + b + "' (use memory or redis)");
  if (o.repetitions < 1 || o.repetitions > 1000) return fail(progress, "--repetitions must be between 1 and 1000");
  if (!(o.min_time_s > 0) || !std::isfinite(o.min_time_s) || o.min_time_s > 3600)
    return fail(progress, "--min-time must be a positive number of seconds");
  if (o.bench_binary.empty() || ::access(o.bench_binary.c_str(), X_OK) != 0)
    return fail(progress, "benchmark binary not found or not executable: '" + o.bench_binary +
                              "' (build the cachecheck-bench target)");
  const std::filesystem::path dir(o.out_dir.empty() ? "." : o.out_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(progress, "cannot create '" + dir.string() + "': " + ec.message());
  const std::filesystem::path json_path = dir / "bench.json";
  std::filesystem::remove(json_path, ec);  // never report an older run

  BenchOptions effective = o;
  effective.out_dir = dir.string();
  const auto argv = bench_command(effective);
  progress << "cachecheck bench: running";
  for (const auto& a : argv) progress << ' ' << a;
  progress << "\n";
  std::string error;
  const int status = run_process(argv, progress, error);
  if (status < 0) return fail(progress, error);
  if (WIFSIGNALED(status))
    return fail(progress, o.bench_binary + " was killed by signal " + std::to_string(WTERMSIG(status)));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return fail(progress, o.bench_binary + " exited with status " + std::to_string(WEXITSTATUS(status)));

  std::error_code exists_ec;
  if (!std::filesystem::is_regular_file(json_path, exists_ec))
    return fail(progress, o.bench_binary + " wrote no " + json_path.string());
  return 0;
}

}  // namespace cachecheck
