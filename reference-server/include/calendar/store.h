// The source of truth: an in-memory, thread-safe store of users and work items.
// Shared by every worker; never stale. Counts its queries.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <set>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "calendar/access_hook.h"
#include "calendar/change_index.h"
#include "calendar/clock.h"
#include "calendar/domain.h"

namespace calendar {

class Store {
 public:
  // `id_seed` seeds the ids of created items; `first_generation` is where the
  // generation counter starts. The defaults are the deterministic mode's (the
  // harness replays byte for byte); calendar-server on the real clock passes
  // random ones, so two runs never share ids nor, on a Redis that outlives
  // them, the robust strategy's generation-named keys.
  explicit Store(const Clock& clock, std::uint64_t id_seed = 0x5eed, std::uint64_t first_generation = 0);

  void reset(std::vector<User> users, std::vector<WorkItem> items);

  std::optional<User> find_user_by_name(const std::string& username) const;
  std::optional<User> find_user(UserId id) const;
  std::vector<UserId> user_ids() const;

  std::optional<WorkItem> get(const std::string& id) const;
  struct FeedRow {
    WorkItem item;
    int level;  // depth in its tree, 0 for a root
  };
  // Calendar-visible items that `user` may see and that match `query`, sorted by (start, id).
  std::vector<FeedRow> feed(UserId user, Visibility visibility, const FeedQuery& query) const;

  // Writes. Each returns the items as they were before (for audiences) and
  // bumps the store's generation by one.
  WorkItem insert(WorkItem item);  // assigns an id when empty
  void update(const WorkItem& item);
  std::vector<WorkItem> remove_subtree(const std::string& id);  // returns the removed items, root first

  std::string new_id();
  // Whether `ancestor` is `id` or one of its ancestors.
  bool is_ancestor(const std::string& ancestor, const std::string& id) const;

  // A counter bumped by every write, in the same critical section as the write.
  std::uint64_t generation() const;

  // The `precise` strategy's read: where the data of `query` for `user` stands.
  // `epoch` changes with every reset (and starts at the first generation, random
  // on the real clock); `changes` is the change index's counter for the query
  // (change_index.h), recorded in the same critical section as each write.
  struct FeedVersion {
    std::uint64_t epoch = 0, changes = 0;
  };
  FeedVersion feed_version(UserId user, Visibility visibility, const FeedQuery& query) const;

  // When the data last changed (a write or a reset), on the injected clock.
  TimeMs last_write() const;

  std::uint64_t queries() const { return queries_.load(); }
  // Of those, the feed queries (the expensive ones a thundering herd repeats).
  std::uint64_t feed_queries() const { return feed_queries_.load(); }
  // Passed before every query and write, outside the store's lock.
  void set_hook(AccessHook* hook) { hook_ = hook; }

 private:
  int level_locked(const WorkItem& item) const;
  // Every change to items_ goes through these two: they keep the date index.
  void put_locked(const WorkItem& item);
  void erase_locked(const std::string& id);
  // `id` and every item below it, root first (breadth first).
  std::vector<std::string> subtree_locked(const std::string& id) const;

  void wrote_locked();
  void pass(Access access, const char* what) const;

  const Clock& clock_;
  mutable std::mutex mutex_;
  std::map<std::string, WorkItem> items_;
  // The date index of feed(): (start_date, id) of every item, and the longest
  // due − start any item has had (never lowered: a bound, not a statistic).
  std::set<std::pair<Date, std::string>> by_start_;
  std::int64_t max_span_days_ = 0;
  std::map<UserId, User> users_;
  std::mt19937_64 id_rng_;
  std::uint64_t generation_ = 0;
  std::uint64_t epoch_ = 0;
  ChangeIndex changes_;
  TimeMs last_write_ = 0;
  mutable std::atomic<std::uint64_t> queries_{0};
  mutable std::atomic<std::uint64_t> feed_queries_{0};
  AccessHook* hook_ = nullptr;
};

}  // namespace calendar
