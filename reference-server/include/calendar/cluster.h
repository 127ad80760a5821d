// Several independent application instances ("workers") behind one entry
// point, sharing the store and, for Redis, the cache server; each has its own
// memory cache. Requests go round-robin, one at a time per worker.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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
  bool pipeline = false;
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
  // Runs `fn(app)` on the next worker in round-robin order (or `pinned` when set),
  // holding that worker's lock.
  template <class Fn>
  auto dispatch(Fn&& fn, std::optional<std::size_t> pinned = std::nullopt) {
    Worker& w = *workers_.at(pinned ? *pinned % workers_.size() : next_++ % workers_.size());
    std::lock_guard lock(w.mutex);
    return fn(w.app);
  }

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
    std::mutex mutex;
  };

  ClusterConfig config_;
  Store& store_;
  SharedSettings settings_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace calendar
