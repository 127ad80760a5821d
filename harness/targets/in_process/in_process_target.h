// The in-process target (see target.h).
#pragma once

#include <memory>

#include "targets/target.h"
#include "calendar/cluster.h"
#include "calendar/http_server.h"

namespace cachecheck {

class InProcessTarget final : public Target {
 public:
  explicit InProcessTarget(const TargetConfig& config);  // throws TargetError on a bad config
  ~InProcessTarget() override;

  std::string describe() const override { return "in-process"; }
  void reset(const std::vector<calendar::User>& users, const std::vector<calendar::WorkItem>& items,
             calendar::Visibility visibility, TimeMs now) override;
  TimeMs now() override { return clock_.now(); }
  void set_now(TimeMs t) override { clock_.set(t); }

  Response feed(UserId user, const std::string& query) override;
  Response modal(UserId user, const std::string& id) override;
  Response create(UserId user, const nlohmann::json& item) override;
  Response patch(UserId user, const std::string& id, const nlohmann::json& fields) override;
  Response remove(UserId user, const std::string& id) override;

  std::size_t evict(const std::vector<std::string>& keys) override;
  std::size_t evict_random(std::size_t n, std::uint64_t seed) override;
  void flush() override;
  void route(std::optional<std::size_t> worker) override;
  nlohmann::json stats() override;
  std::vector<std::string> run_concurrently(std::vector<std::function<void()>> tasks, std::uint64_t seed) override;
  bool deterministic() const override { return true; }

  calendar::Cluster& cluster() { return *cluster_; }

 private:
  std::size_t pick_worker();

  TargetConfig config_;
  calendar::ManualClock clock_;
  calendar::Store store_;
  calendar::HttpCachePolicy http_cache_;
  std::unique_ptr<calendar::Cluster> cluster_;
  std::optional<std::size_t> route_;
  std::atomic<std::size_t> next_worker_{0};
};

}  // namespace cachecheck
