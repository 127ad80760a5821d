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
