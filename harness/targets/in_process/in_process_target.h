// The in-process target: the reference server's application library
// (calendar::Cluster, the same router and workers calendar-server runs),
// called directly on a manual clock, with concurrent requests interleaved at
// cache and store accesses by the deterministic scheduler. The one place of the
// harness that may use the reference server's code; it speaks to it only
// through the contract's request and answer forms (query strings, the domain's
// JSON), so the rest of the harness keeps its own model.
#pragma once

#include <memory>

#include "targets/target.h"

namespace calendar {
class Cluster;
class ManualClock;
class Store;
}  // namespace calendar

namespace cachecheck {

class InProcessTarget final : public Target, Client, Nemesis, Clock, Probe {
 public:
  explicit InProcessTarget(const TargetConfig& config);  // throws TargetError on a bad config
  ~InProcessTarget() override;

  std::string describe() const override { return "in-process"; }
  const Capabilities& capabilities() const override { return caps_; }
  void reset(const Fixture& fixture) override;
  Client& client() override { return *this; }
  Clock& clock() override { return *this; }
  Nemesis* nemesis() override { return this; }
  Probe* probe() override { return this; }
  std::vector<std::string> run_concurrently(std::vector<std::function<void()>> tasks, std::uint64_t seed) override;

  // Client
  Response feed(UserId user, const FeedRequest& request) override;
  Response detail(UserId user, const std::string& id) override;
  Response create(UserId user, const nlohmann::json& fields) override;
  Response edit(UserId user, const std::string& id, const nlohmann::json& fields) override;
  Response remove(UserId user, const std::string& id) override;

  // Nemesis
  std::optional<std::size_t> evict(const std::vector<std::string>& keys) override;
  std::optional<std::size_t> evict_version(std::optional<UserId> user) override;
  std::optional<std::size_t> evict_random(std::size_t n, std::uint64_t seed) override;
  void flush() override;
  void route(std::optional<std::size_t> worker) override;

  // Clock
  TimeMs now() override;
  void set_now(TimeMs t) override;

  // Probe
  ProbeCounters counters() override;

  calendar::Cluster& cluster() { return *cluster_; }

 private:
  struct Server;
  std::unique_ptr<Server> server_;
  calendar::Cluster* cluster_ = nullptr;
  Capabilities caps_;
};

// The strategies the reference server has, in the matrix's order.
std::vector<std::string> reference_strategies();

}  // namespace cachecheck
