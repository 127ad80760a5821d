// The feed cache: one interface, two backends (memory, Redis). The public
// methods count every operation and every round trip and pass the access hook;
// backends implement the protected do_* methods.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calendar/access_hook.h"

namespace calendar {

struct CacheStats {
  std::uint64_t hits = 0, misses = 0, sets = 0, deletes = 0, incrs = 0, evictions = 0,
                round_trips = 0, errors = 0;
  std::uint64_t deletes_present = 0;  // deletes that found their key (the rest hit nothing)
  CacheStats& operator+=(const CacheStats& o);
  std::uint64_t operations() const { return hits + misses + sets + deletes + incrs; }
};

class Cache {
 public:
  virtual ~Cache() = default;

  // nullopt on a miss, an expired entry, or a backend error (counted as an error).
  std::optional<std::string> get(const std::string& key);
  // Several keys in one round trip; one entry per key.
  std::vector<std::optional<std::string>> get_many(const std::vector<std::string>& keys);
  // ttl_s: nullopt = no expiry. Returns false on a backend error.
  bool set(const std::string& key, const std::string& value, std::optional<int> ttl_s);
  // One round trip per key (the seed's loop of cache.delete calls).
  void del(const std::string& key);
  // All keys in one round trip (pipelined).
  void del_many(const std::vector<std::string>& keys);
  // Increments an integer; a missing key becomes 1 with no expiry. nullopt on error.
  std::optional<std::int64_t> incr(const std::string& key);
  // Stores `value` only when `key` is absent (Redis SET NX; counted as a set): how a
  // lease is taken. The expiry is the backend's own (Redis: real time, PX), a bound on
  // how long a lease outlives a holder that never released it.
  enum class AddResult { added, exists, error };
  AddResult add(const std::string& key, const std::string& value, int ttl_ms);

  // Nemesis and admin operations (counted as evictions, not as operations).
  void flush();
  std::size_t evict(const std::vector<std::string>& keys);
  std::vector<std::string> keys();

  CacheStats stats() const;
  void reset_stats();
  void set_hook(AccessHook* hook) { hook_ = hook; }
  // Whether a scheduler drives the accesses (then waiting needs no sleep: every
  // access lets the other requests run).
  bool scheduled() const { return hook_ != nullptr; }
  virtual std::string describe() const = 0;

 protected:
  enum class Status { hit, miss, error };
  struct GetResult {
    Status status = Status::miss;
    std::string value;
  };
  virtual std::vector<GetResult> do_get(const std::vector<std::string>& keys) = 0;
  virtual bool do_set(const std::string& key, const std::string& value, std::optional<int> ttl_s) = 0;
  // Returns how many keys existed, or nullopt on error.
  virtual std::optional<std::size_t> do_del(const std::vector<std::string>& keys) = 0;
  virtual std::optional<std::int64_t> do_incr(const std::string& key) = 0;
  virtual AddResult do_add(const std::string& key, const std::string& value, int ttl_ms) = 0;
  virtual void do_flush() = 0;
  virtual std::size_t do_evict(const std::vector<std::string>& keys) = 0;
  virtual std::vector<std::string> do_keys() = 0;
  // Backends report culls (capacity evictions) through this.
  void count_evictions(std::uint64_t n) { evictions_ += n; }

 private:
  void pass(Access access, const std::string& what);

  AccessHook* hook_ = nullptr;
  void count_deleted(const std::optional<std::size_t>& present);

  std::atomic<std::uint64_t> hits_{0}, misses_{0}, sets_{0}, deletes_{0}, incrs_{0}, evictions_{0},
      round_trips_{0}, errors_{0}, deletes_present_{0};
};

}  // namespace calendar
