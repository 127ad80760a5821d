// The in-process target: the reference server's application library, called
// directly on a manual clock, with concurrent requests interleaved by the
// deterministic scheduler.
#include "targets/in_process/in_process_target.h"

#include <algorithm>
#include <cctype>

#include "browser/query_string.h"
#include "targets/in_process/scheduler.h"
#include "calendar/feed_headers.h"

namespace cachecheck {
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

std::string access_name(calendar::Access a) {
  switch (a) {
    case calendar::Access::cache_read: return "cache-read";
    case calendar::Access::cache_write: return "cache-write";
    case calendar::Access::store_read: return "store-read";
    case calendar::Access::store_write: return "store-write";
  }
  return "?";
}

}  // namespace

InProcessTarget::InProcessTarget(const TargetConfig& config)
    : config_(config), clock_(config.start_time), store_(clock_) {
  std::string error;
  auto policy = calendar::parse_http_cache(config.http_cache, error);
  if (!policy) throw TargetError(error);
  http_cache_ = *policy;
  calendar::ClusterConfig cc;
  cc.strategy = config.strategy;
  cc.cache = config.backend;
  cc.cache_capacity = config.cache_capacity;
  cc.ttl_s = config.ttl_s;
  cc.workers = config.workers;
  try {
    cluster_ = std::make_unique<calendar::Cluster>(cc, store_, clock_);
  } catch (const calendar::ConfigError& e) {
    throw TargetError(e.what());
  }
}

InProcessTarget::~InProcessTarget() = default;

void InProcessTarget::reset(const std::vector<calendar::User>& users, const std::vector<calendar::WorkItem>& items,
                            calendar::Visibility visibility, TimeMs now) {
  clock_.set(now);
  cluster_->reset(users, items, visibility);
  route_.reset();
  next_worker_ = 0;
}

std::size_t InProcessTarget::pick_worker() {
  if (route_) return *route_ % cluster_->size();
  return next_worker_++ % cluster_->size();
}

Response InProcessTarget::feed(UserId user, const std::string& query) {
  auto params = parse_query_string(query);
  calendar::FeedParams p{param(params, "start"), param(params, "end"), param(params, "type"),
                         param(params, "status")};
  std::size_t w = pick_worker();
  auto r = cluster_->worker(w).feed(user, p);
  return to_response(r, calendar::feed_response_headers(http_cache_, r, clock_.now(), w));
}

Response InProcessTarget::modal(UserId user, const std::string& id) {
  return to_response(cluster_->worker(pick_worker()).modal(user, id));
}

Response InProcessTarget::create(UserId user, const nlohmann::json& item) {
  return to_response(cluster_->worker(pick_worker()).create(user, item));
}

Response InProcessTarget::patch(UserId user, const std::string& id, const nlohmann::json& fields) {
  return to_response(cluster_->worker(pick_worker()).patch(user, id, fields));
}

Response InProcessTarget::remove(UserId user, const std::string& id) {
  return to_response(cluster_->worker(pick_worker()).remove(user, id));
}

std::size_t InProcessTarget::evict(const std::vector<std::string>& keys) { return cluster_->evict(keys); }
std::size_t InProcessTarget::evict_random(std::size_t n, std::uint64_t seed) {
  return cluster_->evict_random(n, seed);
}
void InProcessTarget::flush() { cluster_->flush_caches(); }
void InProcessTarget::route(std::optional<std::size_t> worker) { route_ = worker; }
nlohmann::json InProcessTarget::stats() { return cluster_->stats(); }

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
    line += access_name(step.access);
    line += ' ';
    line += step.what;
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace cachecheck
