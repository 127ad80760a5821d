// The in-process target (see in_process_target.h).
#include "targets/in_process/in_process_target.h"

#include <algorithm>
#include <cctype>

#include "browser/query_string.h"
#include "calendar/cluster.h"
#include "calendar/feed_headers.h"
#include "calendar/http_server.h"
#include "calendar/redis_cache.h"
#include "calendar/strategy.h"
#include "model/item_json.h"
#include "targets/in_process/scheduler.h"

namespace cachecheck {

struct InProcessTarget::Server {
  explicit Server(TimeMs start) : clock(start), store(clock) {}
  calendar::ManualClock clock;
  calendar::Store store;
  calendar::HttpCachePolicy http_cache;
  std::unique_ptr<calendar::Cluster> cluster;
};

namespace {

Response to_response(const calendar::AppResponse& r, const calendar::HeaderList& extra = {}) {
  Response out;
  out.status = r.status;
  out.body = r.body;
  auto add = [&](const std::string& name, const std::string& value) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    out.headers[lower] = value;
  };
  for (auto& [k, v] : r.headers) add(k, v);
  for (auto& [k, v] : extra) add(k, v);
  return out;
}

// A worker's answer with the X-Worker header calendar-server adds to every dispatched request.
Response with_worker(const calendar::AppResponse& r, std::size_t worker) {
  return to_response(r, {{"X-Worker", std::to_string(worker)}});
}

double browser_max_age_s(const std::string& http_cache) {
  if (http_cache.rfind("max-age=", 0) != 0) return 0;
  return std::stod(http_cache.substr(8));
}

void check_config(const TargetConfig& config) {
  std::string error;
  if (!calendar::parse_http_cache(config.http_cache, error)) throw TargetError("--http-cache: " + error);
  if (config.backend == "memory") return;
  if (config.backend.rfind("redis://", 0) != 0) throw TargetError("--backend must be memory or redis://HOST:PORT[/DB]");
  auto address = calendar::parse_redis_url(config.backend, error);
  if (!address) throw TargetError("--backend: " + error);
  calendar::RealClock clock;
  calendar::RedisCache probe(*address, clock);
  if (!probe.ping()) throw TargetError("cannot reach Redis at " + config.backend);
}

const bool registered = register_target_kind(TargetKind{
    "in-process",
    [](const std::string& spec) { return spec == "in-process"; },
    [](const std::string&, const TargetConfig& config) -> std::unique_ptr<Target> {
      return std::make_unique<InProcessTarget>(config);
    },
    reference_strategies,
    check_config,
    /*builds_server=*/true,
});

}  // namespace

std::vector<std::string> reference_strategies() { return calendar::strategy_names(); }

InProcessTarget::InProcessTarget(const TargetConfig& config) : server_(std::make_unique<Server>(config.start_time)) {
  std::string error;
  auto policy = calendar::parse_http_cache(config.http_cache, error);
  if (!policy) throw TargetError(error);
  server_->http_cache = *policy;
  calendar::ClusterConfig cc;
  cc.strategy = config.strategy;
  cc.cache = config.backend;
  cc.cache_capacity = config.cache_capacity;
  cc.ttl_s = config.ttl_s;
  cc.workers = config.workers;
  cc.worker_threads = config.worker_threads;
  if (auto strategy = calendar::make_strategy(config.strategy))
    cc.leases = config.leases && strategy->supports_leases();
  try {
    server_->cluster = std::make_unique<calendar::Cluster>(cc, server_->store, server_->clock);
  } catch (const calendar::ConfigError& e) {
    throw TargetError(e.what());
  }
  cluster_ = server_->cluster.get();
  caps_.reset = true;
  caps_.manual_clock = true;
  caps_.faults = {Fault::evict, Fault::evict_version, Fault::evict_random, Fault::flush, Fault::route};
  caps_.workers = config.workers;
  caps_.probe = true;
  caps_.deterministic = true;
  caps_.strategy = config.strategy;
  caps_.staleness_bound_s =
      cluster_->worker(0).strategy().staleness_bound_s(config.ttl_s) + browser_max_age_s(config.http_cache);
}

InProcessTarget::~InProcessTarget() = default;

void InProcessTarget::reset(const Fixture& fixture) {
  std::string error;
  auto data = calendar::parse_reset(reset_json(fixture.users, fixture.items, fixture.visibility), error);
  if (!data) throw TargetError("the reference server refuses the fixture: " + error);
  server_->clock.set(fixture.start_time);
  cluster_->reset(data->users, data->items, data->visibility);
}

TimeMs InProcessTarget::now() { return server_->clock.now(); }
void InProcessTarget::set_now(TimeMs t) { server_->clock.set(std::max(t, server_->clock.now())); }

Response InProcessTarget::feed(UserId user, const FeedRequest& request) {
  auto params = parse_query_string(request.query_string);
  calendar::FeedParams p{param(params, "start"), param(params, "end"), param(params, "type"), param(params, "status")};
  return cluster_->dispatch_indexed([&](calendar::CalendarApp& app, std::size_t w) {
    auto r = app.feed(user, p);
    return to_response(r, calendar::feed_response_headers(server_->http_cache, r, server_->clock.now(), w));
  });
}

Response InProcessTarget::detail(UserId user, const std::string& id) {
  return cluster_->dispatch_indexed(
      [&](calendar::CalendarApp& app, std::size_t w) { return with_worker(app.modal(user, id), w); });
}

Response InProcessTarget::create(UserId user, const nlohmann::json& fields) {
  return cluster_->dispatch_indexed(
      [&](calendar::CalendarApp& app, std::size_t w) { return with_worker(app.create(user, fields), w); });
}

Response InProcessTarget::edit(UserId user, const std::string& id, const nlohmann::json& fields) {
  return cluster_->dispatch_indexed(
      [&](calendar::CalendarApp& app, std::size_t w) { return with_worker(app.patch(user, id, fields), w); });
}

Response InProcessTarget::remove(UserId user, const std::string& id) {
  return cluster_->dispatch_indexed(
      [&](calendar::CalendarApp& app, std::size_t w) { return with_worker(app.remove(user, id), w); });
}

std::optional<std::size_t> InProcessTarget::evict(const std::vector<std::string>& keys) { return cluster_->evict(keys); }

std::optional<std::size_t> InProcessTarget::evict_version(std::optional<UserId> user) {
  return cluster_->evict({user ? calendar::version_key(*user) : std::string(calendar::kGlobalVersionKey)});
}

std::optional<std::size_t> InProcessTarget::evict_random(std::size_t n, std::uint64_t seed) {
  return cluster_->evict_random(n, seed);
}

void InProcessTarget::flush() { cluster_->flush_caches(); }
void InProcessTarget::route(std::optional<std::size_t> worker) { cluster_->route(worker); }

ProbeCounters InProcessTarget::counters() {
  // Read from the counters themselves (not the stats document): this runs twice per operation.
  calendar::CacheStats c;
  for (std::size_t i = 0; i < cluster_->size(); ++i) c += cluster_->worker(i).cache().stats();
  ProbeCounters p;
  p.cache_hits = c.hits;
  p.cache_misses = c.misses;
  p.cache_sets = c.sets;
  p.cache_deletes = c.deletes;
  p.cache_deletes_present = c.deletes_present;
  p.cache_incrs = c.incrs;
  p.cache_evictions = c.evictions;
  p.round_trips = c.round_trips;
  p.store_queries = cluster_->store().queries();
  return p;
}

std::vector<std::string> InProcessTarget::run_concurrently(std::vector<std::function<void()>> tasks,
                                                           std::uint64_t seed) {
  Scheduler scheduler(seed);
  cluster_->set_hook(&scheduler);
  try {
    scheduler.run(std::move(tasks));
  } catch (...) {
    cluster_->set_hook(nullptr);
    throw;
  }
  cluster_->set_hook(nullptr);
  std::vector<std::string> lines;
  for (auto& step : scheduler.trace()) {
    std::string line(1, '#');  // built piecewise: GCC 12 warns falsely on "#" + std::string&&
    line += std::to_string(step.task + 1);
    line += ' ';
    line += step.access;
    line += ' ';
    line += step.what;
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace cachecheck
