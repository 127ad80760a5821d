// Several independent application instances ("workers") behind one entry
// point, sharing the store and, for Redis, the cache server; each has its own
// memory cache. The one router of the reference server: requests go round-robin
// (or to the pinned worker), and each worker serves at most `worker_threads` of
// them at the same time — as a threaded server (gunicorn's gthread, Puma) does;
// `worker_threads = 1` is a sync worker, one request at a time. Both the HTTP
// server and the harness's in-process target dispatch through it, so a race the
// harness finds in-process can happen on calendar-server too.
//
// Waiting for a free thread slot is an access point of its own when an
// AccessHook is set (AccessHook::wait_until), so the harness's deterministic
// scheduler can run another request meanwhile instead of deadlocking.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "calendar/access_hook.h"
#include "calendar/app.h"
#include "calendar/cache.h"
#include "calendar/clock.h"
#include "calendar/store.h"

namespace calendar {

struct ClusterConfig {
  std::string strategy = "sweep";
  std::string cache = "memory";  // "memory" or "redis://host:port[/db]"
  std::size_t cache_capacity = 0;  // memory only; 0 = unbounded
  int ttl_s = 300;
  Visibility visibility = Visibility::global;
  int workers = 1;
  int worker_threads = 4;  // requests one worker serves at the same time (1..64)
  bool pipeline = false;
  bool leases = false;  // SharedSettings::leases; only for a strategy that supports them
};

// Thrown for a configuration that cannot work (unknown strategy, bad cache URL).
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Builds one worker's cache from the `--cache` value.
std::unique_ptr<Cache> make_cache(const std::string& spec, const Clock& clock, std::size_t capacity);

class Cluster {
 public:
  Cluster(const ClusterConfig& config, Store& store, const Clock& clock);

  std::size_t size() const { return workers_.size(); }
  CalendarApp& worker(std::size_t i) { return workers_.at(i)->app; }
  // Runs `fn(app)` on the next worker in round-robin order (or the routed one,
  // or `pinned` when given), in one of that worker's thread slots.
  template <class Fn>
  auto dispatch(Fn&& fn, std::optional<std::size_t> pinned = std::nullopt) {
    return dispatch_indexed([&](CalendarApp& app, std::size_t) { return fn(app); }, pinned);
  }
  // The same, telling `fn(app, index)` which worker it runs on.
  template <class Fn>
  auto dispatch_indexed(Fn&& fn, std::optional<std::size_t> pinned = std::nullopt) {
    std::size_t index = pick(pinned);
    Slot slot(*this, *workers_[index]);
    return fn(workers_[index]->app, index);
  }
  // Pins every later request to `worker` (modulo the worker count), or back to round-robin.
  void route(std::optional<std::size_t> worker);
  std::optional<std::size_t> routed() const;

  void reset(std::vector<User> users, std::vector<WorkItem> items, std::optional<Visibility> visibility);
  void flush_caches();
  std::size_t evict(const std::vector<std::string>& keys);
  std::size_t evict_random(std::size_t n, std::uint64_t seed);
  // The admin API's stats document, summed over workers.
  nlohmann::json stats() const;
  void set_hook(AccessHook* hook);

  Store& store() { return store_; }
  SharedSettings& settings() { return settings_; }
  const ClusterConfig& config() const { return config_; }
  bool shared_cache() const;  // true for Redis: one cache server for all workers

 private:
  struct Worker {
    Worker(Store& s, const Clock& c, SharedSettings& st, std::unique_ptr<Cache> cache,
           std::unique_ptr<Strategy> strategy)
        : app(s, c, st, std::move(cache), std::move(strategy)) {}
    CalendarApp app;
    std::mutex mutex;  // guards busy
    std::condition_variable freed;
    int busy = 0;      // requests in progress
  };
  // One of a worker's thread slots, held for one request.
  class Slot {
   public:
    Slot(Cluster& c, Worker& w);
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    Worker& w_;
  };
  std::size_t pick(std::optional<std::size_t> pinned);

  ClusterConfig config_;
  Store& store_;
  SharedSettings settings_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<std::size_t> next_{0};
  std::atomic<long long> route_{-1};  // -1: round-robin
  std::atomic<AccessHook*> hook_{nullptr};
};

}  // namespace calendar
