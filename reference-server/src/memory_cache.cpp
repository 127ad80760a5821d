#include "calendar/memory_cache.h"

#include <algorithm>
#include <charconv>

#include "calendar/generation_key.h"

namespace calendar {

MemoryCache::MemoryCache(const Clock& clock, std::size_t capacity) : clock_(clock), capacity_(capacity) {}

std::size_t MemoryCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::uint64_t MemoryCache::reclaimed() const {
  std::lock_guard lock(mutex_);
  return reclaimed_;
}

#if CACHECHECK_MUTANT == 26  // mutant 26 (memory-expiry-seconds): expiry (ms) is compared with the time in seconds: entries never expire
bool MemoryCache::expired(const Entry& e) const { return e.expires_at && *e.expires_at <= clock_.now() / 1000; }
#else
bool MemoryCache::expired(const Entry& e) const { return e.expires_at && *e.expires_at <= clock_.now(); }
#endif

void MemoryCache::touch(Entry& e) { lru_.splice(lru_.begin(), lru_, e.lru_pos); }

void MemoryCache::erase(const std::string& key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  if (auto g = parse_generation_key(key)) {
    auto f = families_.find(g->family);
    if (f != families_.end() && f->second.key == &it->first) families_.erase(f);
  }
  if (it->second.expiry_pos != expiry_.end()) expiry_.erase(it->second.expiry_pos);
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

void MemoryCache::sweep_expired() {
  const TimeMs now = clock_.now();
  for (std::size_t n = 0; n < kSweepBudget && !expiry_.empty() && expiry_.begin()->first <= now; ++n) {
    std::string key = *expiry_.begin()->second;
    erase(key);
    ++reclaimed_;
  }
}

bool MemoryCache::admit_generation(const std::string& key) {
  auto g = parse_generation_key(key);
  if (!g) return true;
  auto f = families_.find(g->family);
  if (f == families_.end() || f->second.generation == g->generation) return true;
  if (f->second.generation > g->generation) {
    ++reclaimed_;
    return false;
  }
  std::string older = *f->second.key;
  erase(older);  // also forgets the family's head
  ++reclaimed_;
  return true;
}

void MemoryCache::store(const std::string& key, std::string value, std::optional<TimeMs> expires_at) {
  if (!admit_generation(key)) return;
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (capacity_ != kUnbounded && entries_.size() >= capacity_) cull();
    lru_.push_front(key);
    it = entries_.emplace(key, Entry{{}, std::nullopt, lru_.begin(), expiry_.end()}).first;
    if (auto g = parse_generation_key(key)) families_[g->family] = FamilyHead{g->generation, &it->first};
  } else {
    touch(it->second);
#if CACHECHECK_MUTANT == 25  // mutant 25 (memory-overwrite-keeps-value): setting an existing key keeps its old value
    value = it->second.value;
#endif
  }
  Entry& e = it->second;
  e.value = std::move(value);
  if (e.expiry_pos != expiry_.end()) expiry_.erase(e.expiry_pos);
  e.expires_at = expires_at;
  e.expiry_pos = expires_at ? expiry_.emplace(*expires_at, &it->first) : expiry_.end();
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
      ++reclaimed_;
      out.push_back({Status::miss, {}});
    } else {
      touch(it->second);
      out.push_back({Status::hit, it->second.value});
    }
  }
  sweep_expired();
  return out;
}

bool MemoryCache::do_set(const std::string& key, const std::string& value, std::optional<int> ttl_s) {
  std::lock_guard lock(mutex_);
  std::optional<TimeMs> expires;
  if (ttl_s) expires = clock_.now() + static_cast<TimeMs>(*ttl_s) * 1000;
  store(key, value, expires);
  sweep_expired();
  return true;
}

Cache::AddResult MemoryCache::do_add(const std::string& key, const std::string& value, int ttl_ms) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end() && !expired(it->second)) return AddResult::exists;
  store(key, value, clock_.now() + ttl_ms);
  sweep_expired();
  return AddResult::added;
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
  sweep_expired();
  return n;
}

std::optional<std::int64_t> MemoryCache::do_incr(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
#if CACHECHECK_MUTANT == 24  // mutant 24 (memory-incr-from-zero): INCR of a missing key stores 0, the value a missing version already reads as
  std::int64_t value = 0;
#else
  std::int64_t value = 1;
#endif
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
  sweep_expired();
  return value;
}

void MemoryCache::do_flush() {
  std::lock_guard lock(mutex_);
  count_evictions(entries_.size());
  entries_.clear();
  lru_.clear();
  expiry_.clear();
  families_.clear();
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
