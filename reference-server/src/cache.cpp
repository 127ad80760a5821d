#include "calendar/cache.h"

namespace calendar {

CacheStats& CacheStats::operator+=(const CacheStats& o) {
  hits += o.hits;
  misses += o.misses;
  sets += o.sets;
  deletes += o.deletes;
  incrs += o.incrs;
  evictions += o.evictions;
  round_trips += o.round_trips;
  errors += o.errors;
  deletes_present += o.deletes_present;
  return *this;
}

void Cache::pass(Access access, const std::string& what) {
  if (hook_) hook_->before(access, what);
  ++round_trips_;
}

std::optional<std::string> Cache::get(const std::string& key) {
  auto values = get_many({key});
  return std::move(values.front());
}

std::vector<std::optional<std::string>> Cache::get_many(const std::vector<std::string>& keys) {
  pass(Access::cache_read, keys.empty() ? std::string() : keys.front());
  std::vector<std::optional<std::string>> out;
  auto results = do_get(keys);
  for (auto& r : results) {
    if (r.status == Status::hit) {
      ++hits_;
      out.emplace_back(std::move(r.value));
    } else {
      ++(r.status == Status::miss ? misses_ : errors_);
      out.emplace_back(std::nullopt);
    }
  }
  out.resize(keys.size());
  return out;
}

bool Cache::set(const std::string& key, const std::string& value, std::optional<int> ttl_s) {
  pass(Access::cache_write, key);
  ++sets_;
  bool ok = do_set(key, value, ttl_s);
  if (!ok) ++errors_;
  return ok;
}

void Cache::count_deleted(const std::optional<std::size_t>& present) {
  if (present) deletes_present_ += *present;
  else ++errors_;
}

void Cache::del(const std::string& key) {
  pass(Access::cache_write, key);
  ++deletes_;
  count_deleted(do_del({key}));
}

void Cache::del_many(const std::vector<std::string>& keys) {
  pass(Access::cache_write, keys.empty() ? std::string() : keys.front());
  deletes_ += keys.size();
  count_deleted(do_del(keys));
}

std::optional<std::int64_t> Cache::incr(const std::string& key) {
  pass(Access::cache_write, key);
  ++incrs_;
  auto v = do_incr(key);
  if (!v) ++errors_;
  return v;
}

Cache::AddResult Cache::add(const std::string& key, const std::string& value, int ttl_ms) {
  pass(Access::cache_write, key);
  ++sets_;
  AddResult r = do_add(key, value, ttl_ms);
  if (r == AddResult::error) ++errors_;
  return r;
}

void Cache::flush() { do_flush(); }

std::size_t Cache::evict(const std::vector<std::string>& keys) {
  std::size_t n = do_evict(keys);
  evictions_ += n;
  return n;
}

std::vector<std::string> Cache::keys() { return do_keys(); }

CacheStats Cache::stats() const {
  CacheStats s;
  s.hits = hits_;
  s.misses = misses_;
  s.sets = sets_;
  s.deletes = deletes_;
  s.incrs = incrs_;
  s.evictions = evictions_;
  s.round_trips = round_trips_;
  s.errors = errors_;
  s.deletes_present = deletes_present_;
  return s;
}

void Cache::reset_stats() {
  for (auto* c : {&hits_, &misses_, &sets_, &deletes_, &incrs_, &evictions_, &round_trips_, &errors_, &deletes_present_}) *c = 0;
}

}  // namespace calendar
