// In-process cache modelled on Django's local-memory cache: values with an
// expiry on the injected clock, LRU order, and when `capacity` entries are
// present a cull of a third of them (the least recently used) before a set.
#pragma once

#include <list>
#include <mutex>
#include <unordered_map>

#include "calendar/cache.h"
#include "calendar/clock.h"

namespace calendar {

class MemoryCache final : public Cache {
 public:
  static constexpr std::size_t kUnbounded = 0;
  static constexpr std::size_t kCullFrequency = 3;  // Django's CULL_FREQUENCY

  MemoryCache(const Clock& clock, std::size_t capacity = kUnbounded);
  std::string describe() const override { return "memory"; }
  std::size_t size() const;

 protected:
  std::vector<GetResult> do_get(const std::vector<std::string>& keys) override;
  bool do_set(const std::string& key, const std::string& value, std::optional<int> ttl_s) override;
  std::optional<std::size_t> do_del(const std::vector<std::string>& keys) override;
  std::optional<std::int64_t> do_incr(const std::string& key) override;
  void do_flush() override;
  std::size_t do_evict(const std::vector<std::string>& keys) override;
  std::vector<std::string> do_keys() override;

 private:
  struct Entry {
    std::string value;
    std::optional<TimeMs> expires_at;
    std::list<std::string>::iterator lru_pos;
  };
  bool expired(const Entry& e) const;
  void touch(Entry& e);
  void store(const std::string& key, std::string value, std::optional<TimeMs> expires_at);
  void cull();
  void erase(const std::string& key);

  const Clock& clock_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> lru_;  // front = most recently used
};

}  // namespace calendar
