// An invalidation strategy: how the feed names its cache entries and what a
// write does to them. One small unit per strategy, registered by name.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/cache.h"
#include "calendar/clock.h"
#include "calendar/domain.h"
#include "calendar/store.h"

namespace calendar {

// What a strategy may touch. The visibility is the server's current policy.
struct StrategyEnv {
  Cache& cache;
  Store& store;
  const Clock& clock;
  Visibility visibility;
  bool pipeline = false;  // batch multi-key deletes into one round trip
};

enum class WriteKind { create, edit, remove };
std::string_view to_string(WriteKind k);

struct WriteEvent {
  WriteKind kind;
  UserId actor;
  std::vector<WorkItem> before;  // the items as they were (empty for create)
  std::vector<WorkItem> after;   // the items as they are now (empty for delete)
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual std::string_view name() const = 0;
  // The freshness this strategy promises, in seconds: a read may show data at most
  // this much older than the latest completed write (0: always fresh). Declared by
  // each strategy so a checker can hold it to its word.
  virtual double staleness_bound_s(int ttl_s) const = 0;
  // The key a feed read looks up, computed before the cache lookup and the store
  // query. nullopt: this read is not cached.
  virtual std::optional<std::string> read_key(StrategyEnv& env, UserId user, const FeedQuery& q) = 0;
  // The key a fill (after a miss and the store query) is written under.
  virtual std::string fill_key(StrategyEnv&, UserId, const FeedQuery&, const std::string& read_key) {
    return read_key;
  }
  // Called after the store has committed a write, before the response.
  virtual void on_write(StrategyEnv& env, const WriteEvent& event) = 0;
  // Whether the strategy may serve with leases (SharedSettings::leases, app.h):
  // only one request per key fills it after a miss. A strategy says yes when any
  // value found under its current key is fresh for every reader that computes
  // that key, whoever filled it and whenever.
  virtual bool supports_leases() const { return false; }
};

// `calendar_feed:{uid}:{type}:{status}:{start}:{end}`, `None` for an absent part.
std::string feed_key(UserId user, const FeedQuery& q);
// `{type}:{status}:{start}:{end}`, the part every feed key ends with.
std::string feed_key_suffix(const FeedQuery& q);
// `calendar_feed:{uid}:v{version}:{type}:{status}:{start}:{end}`.
std::string versioned_feed_key(UserId user, std::string_view version, const FeedQuery& q);
// `calendar_version:{uid}`: the per-user version counter of `versioned`.
std::string version_key(UserId user);
// `calendar_version:global`: the global version counter of `audience`.
inline constexpr const char* kGlobalVersionKey = "calendar_version:global";
// The seed's 100 keys for `user` on `today`, in the seed's loop order.
std::vector<std::string> sweep_keys(UserId user, Date today);

using StrategyFactory = std::function<std::unique_ptr<Strategy>()>;
// Every registered name, in the matrix's order.
std::vector<std::string> strategy_names();
// nullptr for an unknown name.
std::unique_ptr<Strategy> make_strategy(std::string_view name);
// Registration (one line per strategy file, see strategies/*.cpp).
bool register_strategy(std::string name, int order, StrategyFactory factory);

}  // namespace calendar
