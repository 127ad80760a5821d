#include "calendar/memory_cache.h"

#include <algorithm>
#include <charconv>

namespace calendar {

MemoryCache::MemoryCache(const Clock& clock, std::size_t capacity) : clock_(clock), capacity_(capacity) {}

std::size_t MemoryCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

bool MemoryCache::expired(const Entry& e) const { return e.expires_at && *e.expires_at <= clock_.now(); }

void MemoryCache::touch(Entry& e) { lru_.splice(lru_.begin(), lru_, e.lru_pos); }

void MemoryCache::erase(const std::string& key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  lru_.erase(it->second.lru_pos);
  entries_.erase(it);
}

// Django's LocMemCache._cull: drop len // CULL_FREQUENCY entries, least recently used first.
void MemoryCache::cull() {
  std::size_t count = entries_.size() / kCullFrequency;
  for (std::size_t i = 0; i < count && !lru_.empty(); ++i) {
    std::string key = lru_.back();
    erase(key);
  }
  count_evictions(count);
}

void MemoryCache::store(const std::string& key, std::string value, std::optional<TimeMs> expires_at) {
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    it->second.value = std::move(value);
    it->second.expires_at = expires_at;
    touch(it->second);
    return;
  }
  if (capacity_ != kUnbounded && entries_.size() >= capacity_) cull();
  lru_.push_front(key);
  entries_.emplace(key, Entry{std::move(value), expires_at, lru_.begin()});
}

std::vector<Cache::GetResult> MemoryCache::do_get(const std::vector<std::string>& keys) {
  std::lock_guard lock(mutex_);
  std::vector<GetResult> out;
  for (auto& key : keys) {
    auto it = entries_.find(key);
    if (it == entries_.end()) {
      out.push_back({Status::miss, {}});
    } else if (expired(it->second)) {
      erase(key);
      out.push_back({Status::miss, {}});
    } else {
      touch(it->second);
      out.push_back({Status::hit, it->second.value});
    }
  }
  return out;
}

bool MemoryCache::do_set(const std::string& key, const std::string& value, std::optional<int> ttl_s) {
  std::lock_guard lock(mutex_);
  std::optional<TimeMs> expires;
  if (ttl_s) expires = clock_.now() + static_cast<TimeMs>(*ttl_s) * 1000;
  store(key, value, expires);
  return true;
}

std::optional<std::size_t> MemoryCache::do_del(const std::vector<std::string>& keys) {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (auto& key : keys) {
    auto it = entries_.find(key);
    if (it == entries_.end()) continue;
    if (!expired(it->second)) ++n;
    erase(key);
  }
  return n;
}

std::optional<std::int64_t> MemoryCache::do_incr(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  std::int64_t value = 1;
  std::optional<TimeMs> expires;
  if (it != entries_.end() && !expired(it->second)) {
    std::int64_t old = 0;
    auto& v = it->second.value;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), old);
    if (ec != std::errc() || ptr != v.data() + v.size()) return std::nullopt;  // not an integer
    value = old + 1;
    expires = it->second.expires_at;
  }
  store(key, std::to_string(value), expires);
  return value;
}

void MemoryCache::do_flush() {
  std::lock_guard lock(mutex_);
  count_evictions(entries_.size());
  entries_.clear();
  lru_.clear();
}

std::size_t MemoryCache::do_evict(const std::vector<std::string>& keys) {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (auto& key : keys)
    if (entries_.count(key)) {
      erase(key);
      ++n;
    }
  return n;
}

std::vector<std::string> MemoryCache::do_keys() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (auto& [key, e] : entries_)
    if (!expired(e)) out.push_back(key);
  std::sort(out.begin(), out.end());  // deterministic for seeded nemesis choices
  return out;
}

}  // namespace calendar
