// cachecheck-bench: Google Benchmark families measuring what each cache
// invalidation strategy costs, beside the physical floor (see README.md).
//
// Besides Google Benchmark's own flags (--benchmark_filter, --benchmark_out, …):
//   --backends=memory,redis   register only these backends' benchmarks (default both)
//   --mixed_steps=N           steps of the mixed workload's script (default 2000)
//   --pin=same|cross|off      CPU placement of the benchmark and redis-server (see bench_env.h)
//   --scale                   also issue 15's scale families (bench_scale.cpp)
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "bench_env.h"

namespace {

bool parse_backends(std::string_view list, bench::Selection& sel) {
  sel.memory = sel.redis = false;
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view b = list.substr(0, comma);
    if (b == "memory") sel.memory = true;
    else if (b == "redis") sel.redis = true;
    else if (!b.empty()) return false;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return sel.memory || sel.redis;
}

}  // namespace

int main(int argc, char** argv) {
  bench::Selection sel;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    std::string_view a(argv[i]);
    if (i > 0 && a.rfind("--backends=", 0) == 0) {
      if (!parse_backends(a.substr(11), sel)) {
        std::cerr << "cachecheck-bench: --backends takes a comma-separated list of memory, redis\n";
        return 2;
      }
      continue;
    }
    if (i > 0 && a.rfind("--mixed_steps=", 0) == 0) {
      char* end = nullptr;
      long n = std::strtol(argv[i] + 14, &end, 10);
      if (end == argv[i] + 14 || *end != '\0' || n < 1 || n > 1000000) {
        std::cerr << "cachecheck-bench: --mixed_steps takes an integer from 1 to 1000000\n";
        return 2;
      }
      sel.mixed_steps = static_cast<int>(n);
      continue;
    }
    if (i > 0 && a == "--scale") {
      sel.scale = true;
      continue;
    }
    if (i > 0 && a.rfind("--pin=", 0) == 0) {
      const std::string_view v = a.substr(6);
      if (v == "cross") sel.pin = bench::Pin::cross;
      else if (v == "same") sel.pin = bench::Pin::same;
      else if (v == "off") sel.pin = bench::Pin::off;
      else {
        std::cerr << "cachecheck-bench: --pin takes same, cross or off\n";
        return 2;
      }
      continue;
    }
    if (i > 0 && (a == "--help" || a == "-h"))
      std::cout << "cachecheck-bench [--backends=memory,redis] [--mixed_steps=N] [--pin=same|cross|off] [--scale]\n"
                   "                 [Google Benchmark flags]\n"
                   "Families: floor, invalidate, read-hit, read-miss, mixed, http, blackbox; with --scale\n"
                   "also oracle/judge, store/feed-query, matrix/ops-per-second. Names are\n"
                   "<family>/<strategy>/<backend>[/<more>]. See harness/bench/README.md.\n\n";
    args.push_back(argv[i]);
  }
  args.push_back(nullptr);
  int n = static_cast<int>(args.size()) - 1;
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  benchmark::AddCustomContext("cachecheck_pin", bench::apply_pinning(sel.pin));
  benchmark::AddCustomContext("cachecheck_mixed_steps", std::to_string(sel.mixed_steps));

  bench::register_cache_benchmarks(sel);
  bench::register_mixed_benchmarks(sel);
  bench::register_herd_benchmarks(sel);
  bench::register_http_benchmarks(sel);
  bench::register_blackbox_benchmarks(sel);
  bench::register_scale_benchmarks(sel);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  bench::stop_redis();
  return 0;
}
