// The calendar application, callable in-process without sockets. The HTTP
// layer is a thin adapter over it; the harness's in-process target calls it directly.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "calendar/cache.h"
#include "calendar/clock.h"
#include "calendar/domain.h"
#include "calendar/store.h"
#include "calendar/strategy.h"

namespace calendar {

// Settings every worker reads; the admin reset may change the visibility.
struct SharedSettings {
  std::atomic<Visibility> visibility{Visibility::global};
  int ttl_s = 300;
  bool pipeline = false;
  // Leases against the thundering herd (Nishtala et al., "Scaling Memcache at
  // Facebook", NSDI 2013), for strategies that support them: after a miss, a
  // request takes the key's lease (`lease:{key}`, SET NX) before querying the
  // store; the others that miss meanwhile wait for the holder's fill (re-reading
  // the key) instead of querying the store too. Never stale: a waiter serves only
  // what is under its own key. A waiter that waits too long, or a cache that
  // cannot take leases (Redis down), queries the store as without leases.
  bool leases = false;
};

// Which layer of the server produced a feed body.
enum class Served { cache, store };

struct AppResponse {
  int status = 200;
  std::string body;  // JSON text
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<Served> served;  // feed only
  std::optional<TimeMs> last_modified;  // feed only: when the data it shows last changed
};

AppResponse json_error(int status, std::string_view message);

class CalendarApp {
 public:
  CalendarApp(Store& store, const Clock& clock, SharedSettings& settings,
              std::unique_ptr<Cache> cache, std::unique_ptr<Strategy> strategy);

  std::optional<UserId> authenticate(const std::string& username, const std::string& password) const;

  AppResponse feed(UserId user, const FeedParams& params);
  AppResponse modal(UserId user, const std::string& id);
  AppResponse create(UserId user, const nlohmann::json& body);
  AppResponse patch(UserId user, const std::string& id, const nlohmann::json& body);
  AppResponse remove(UserId user, const std::string& id);

  Cache& cache() { return *cache_; }
  const Strategy& strategy() const { return *strategy_; }
  std::uint64_t requests() const { return requests_.load(); }

 private:
  StrategyEnv env();
  // A feed entry under `key`, decoded, or nullopt.
  std::optional<AppResponse> cached(const std::string& key);
  // After a miss under `key`, with leases on: a response found while waiting for
  // another request's fill, or nullopt to query the store (`*holding` says whether
  // this request holds the lease, to release after its fill).
  std::optional<AppResponse> lease_or_wait(const std::string& key, bool* holding);
  // "" when the item's users and parent exist and the parent makes no cycle.
  std::string check_references(const WorkItem& item);

  Store& store_;
  const Clock& clock_;
  SharedSettings& settings_;
  std::unique_ptr<Cache> cache_;
  std::unique_ptr<Strategy> strategy_;
  std::atomic<std::uint64_t> requests_{0};
};

}  // namespace calendar
