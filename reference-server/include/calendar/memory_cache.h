// In-process cache modelled on Django's local-memory cache: values with an
// expiry on the injected clock, LRU order, and when `capacity` entries are
// present a cull of a third of them (the least recently used) before a set.
//
// Memory stays bounded on long runs, at any capacity (0 = unbounded included):
// - expired entries go when read (as in Django) and, without being read, by a
//   bounded sweep: every operation drops up to kSweepBudget entries whose
//   expiry has passed, earliest first, from an index ordered by expiry
//   (O(log n) per entry, nothing scanned that is still live);
// - superseded entries go at once: an entry of the robust strategy's key
//   family for an older store generation than one just stored is dropped, and
//   a late fill for an older generation is not kept (generation_key.h).
// Neither counts as an eviction (the admin stats' `evictions` stay Django's
// culls and the nemesis's evictions); reclaimed() counts them.
#pragma once

#include <list>
#include <map>
#include <mutex>
#include <unordered_map>

#include "calendar/cache.h"
#include "calendar/clock.h"

namespace calendar {

class MemoryCache final : public Cache {
 public:
  static constexpr std::size_t kUnbounded = 0;
  static constexpr std::size_t kCullFrequency = 3;  // Django's CULL_FREQUENCY
  static constexpr std::size_t kSweepBudget = 32;   // expired entries dropped per operation at most

  MemoryCache(const Clock& clock, std::size_t capacity = kUnbounded);
  std::string describe() const override { return "memory"; }
  std::size_t size() const;
  // Entries dropped because they expired or were superseded (not evictions).
  std::uint64_t reclaimed() const;

 protected:
  std::vector<GetResult> do_get(const std::vector<std::string>& keys) override;
  bool do_set(const std::string& key, const std::string& value, std::optional<int> ttl_s) override;
  std::optional<std::size_t> do_del(const std::vector<std::string>& keys) override;
  std::optional<std::int64_t> do_incr(const std::string& key) override;
  AddResult do_add(const std::string& key, const std::string& value, int ttl_ms) override;
  void do_flush() override;
  std::size_t do_evict(const std::vector<std::string>& keys) override;
  std::vector<std::string> do_keys() override;

 private:
  // Expiry → key (pointing at the key inside entries_, whose nodes never move).
  using ExpiryIndex = std::multimap<TimeMs, const std::string*>;
  struct Entry {
    std::string value;
    std::optional<TimeMs> expires_at;
    std::list<std::string>::iterator lru_pos;
    ExpiryIndex::iterator expiry_pos;  // expiry_.end() without expiry
  };
  struct FamilyHead {
    std::uint64_t generation;
    const std::string* key;
  };
  bool expired(const Entry& e) const;
  void touch(Entry& e);
  void store(const std::string& key, std::string value, std::optional<TimeMs> expires_at);
  void cull();
  void erase(const std::string& key);
  void sweep_expired();
  // False when `key` is superseded and must not be stored; drops what `key` supersedes.
  bool admit_generation(const std::string& key);

  const Clock& clock_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> lru_;  // front = most recently used
  ExpiryIndex expiry_;
  std::unordered_map<std::string, FamilyHead> families_;  // robust's key families → newest entry
  std::uint64_t reclaimed_ = 0;
};

}  // namespace calendar
