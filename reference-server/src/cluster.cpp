#include "calendar/cluster.h"

#include <algorithm>

#include "calendar/memory_cache.h"
#include "calendar/redis_cache.h"

namespace calendar {

std::unique_ptr<Cache> make_cache(const std::string& spec, const Clock& clock, std::size_t capacity) {
  if (spec == "memory") return std::make_unique<MemoryCache>(clock, capacity);
  if (spec.rfind("redis://", 0) == 0) {
    std::string error;
    auto address = parse_redis_url(spec, error);
    if (!address) throw ConfigError(error);
    return std::make_unique<RedisCache>(*address, clock);
  }
  throw ConfigError("--cache must be 'memory' or redis://HOST:PORT[/DB]: got '" + spec + "'");
}

Cluster::Cluster(const ClusterConfig& config, Store& store, const Clock& clock) : config_(config), store_(store) {
  if (config.workers < 1 || config.workers > 64) throw ConfigError("--workers must be between 1 and 64");
  if (config.ttl_s < 1) throw ConfigError("--ttl must be at least 1 second");
  if (config.worker_threads < 1 || config.worker_threads > 64)
    throw ConfigError("--worker-threads must be between 1 and 64");
  if (!make_strategy(config.strategy)) {
    std::string names;
    for (auto& n : strategy_names()) names += (names.empty() ? "" : ", ") + n;
    throw ConfigError("unknown strategy '" + config.strategy + "' (known: " + names + ")");
  }
  settings_.visibility = config.visibility;
  settings_.ttl_s = config.ttl_s;
  settings_.pipeline = config.pipeline;
  if (config.leases && !make_strategy(config.strategy)->supports_leases())
    throw ConfigError("--leases: strategy '" + config.strategy + "' does not support leases (precise does)");
  settings_.leases = config.leases;
  for (int i = 0; i < config.workers; ++i)
    workers_.push_back(std::make_unique<Worker>(store, clock, settings_,
                                                make_cache(config.cache, clock, config.cache_capacity),
                                                make_strategy(config.strategy)));
}

std::size_t Cluster::pick(std::optional<std::size_t> pinned) {
  if (!pinned) {
    long long r = route_.load();
    if (r >= 0) pinned = static_cast<std::size_t>(r);
  }
  return pinned ? *pinned % workers_.size() : next_++ % workers_.size();
}

void Cluster::route(std::optional<std::size_t> worker) { route_ = worker ? static_cast<long long>(*worker) : -1; }

std::optional<std::size_t> Cluster::routed() const {
  long long r = route_.load();
  if (r < 0) return std::nullopt;
  return static_cast<std::size_t>(r);
}

Cluster::Slot::Slot(Cluster& c, Worker& w) : w_(w) {
  const int threads = c.config_.worker_threads;
  auto free = [&] {
    std::lock_guard lock(w.mutex);
    return w.busy < threads;
  };
  AccessHook* hook = c.hook_.load();
  if (!(hook && hook->wait_until(free))) {
    std::unique_lock lock(w.mutex);
    w.freed.wait(lock, [&] { return w.busy < threads; });
    ++w.busy;
    return;
  }
  std::lock_guard lock(w.mutex);
  ++w.busy;
}

Cluster::Slot::~Slot() {
  {
    std::lock_guard lock(w_.mutex);
    --w_.busy;
  }
  w_.freed.notify_one();
}

bool Cluster::shared_cache() const { return config_.cache != "memory"; }

void Cluster::reset(std::vector<User> users, std::vector<WorkItem> items, std::optional<Visibility> visibility) {
  store_.reset(std::move(users), std::move(items));
  if (visibility) settings_.visibility = *visibility;
  flush_caches();
  for (auto& w : workers_) w->app.cache().reset_stats();
  route(std::nullopt);
  next_ = 0;
}

void Cluster::flush_caches() {
  for (auto& w : workers_) {
    w->app.cache().flush();
    if (shared_cache()) break;  // one Redis for all workers
  }
}

std::size_t Cluster::evict(const std::vector<std::string>& keys) {
  std::size_t n = 0;
  for (auto& w : workers_) {
    n += w->app.cache().evict(keys);
    if (shared_cache()) break;
  }
  return n;
}

std::size_t Cluster::evict_random(std::size_t n, std::uint64_t seed) {
  std::vector<std::pair<std::size_t, std::string>> candidates;
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    for (auto& key : workers_[i]->app.cache().keys()) candidates.emplace_back(i, key);
    if (shared_cache()) break;
  }
  std::mt19937_64 rng(seed);
  std::size_t evicted = 0;
  for (std::size_t k = 0; k < n && !candidates.empty(); ++k) {
    std::size_t pick = std::uniform_int_distribution<std::size_t>(0, candidates.size() - 1)(rng);
    auto [worker, key] = candidates[pick];
    candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(pick));
    evicted += workers_[worker]->app.cache().evict({key});
  }
  return evicted;
}

nlohmann::json Cluster::stats() const {
  CacheStats total;
  std::uint64_t requests = 0;
  for (auto& w : workers_) {
    total += w->app.cache().stats();
    requests += w->app.requests();
  }
  return {{"cache",
           {{"hits", total.hits},
            {"misses", total.misses},
            {"sets", total.sets},
            {"deletes", total.deletes},
            {"incrs", total.incrs},
            {"evictions", total.evictions},
            {"round_trips", total.round_trips},
            {"errors", total.errors},
            {"deletes_present", total.deletes_present}}},
          {"db", {{"queries", store_.queries()}}},
          {"requests", requests},
          {"workers", workers_.size()},
          {"worker_threads", config_.worker_threads},
          {"strategy", config_.strategy},
          {"staleness_bound_s", workers_.front()->app.strategy().staleness_bound_s(config_.ttl_s)},
          {"backend", config_.cache}};
}

void Cluster::set_hook(AccessHook* hook) {
  hook_ = hook;
  store_.set_hook(hook);
  for (auto& w : workers_) w->app.cache().set_hook(hook);
}

}  // namespace calendar
