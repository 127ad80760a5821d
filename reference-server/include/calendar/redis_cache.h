// The Redis backend, through hiredis: one connection per instance (one per
// worker), connect and command timeouts, and a circuit breaker (see
// redis_cache.cpp). Values carry their logical expiry on the injected clock; a
// Redis EXPIRE is only a backstop.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "calendar/cache.h"
#include "calendar/clock.h"

struct redisContext;

namespace calendar {

struct RedisAddress {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
};
// Parses `redis://host:port[/db]`; nullopt with `error` set when malformed.
std::optional<RedisAddress> parse_redis_url(std::string_view url, std::string& error);

struct RedisTimeouts {
  std::chrono::milliseconds connect{500};
  std::chrono::milliseconds command{500};
  // The circuit breaker: after a failure no command touches Redis for
  // `retry_after`; then one probe (connect + PING within `probe`) decides. A
  // failed probe doubles the window, up to `retry_max`.
  std::chrono::milliseconds retry_after{250};
  std::chrono::milliseconds retry_max{2000};
  std::chrono::milliseconds probe{100};
};

// What the circuit breaker did since the instance was made.
struct RedisBreakerStats {
  std::uint64_t trips = 0;           // a command failed on a working connection: the breaker opened
  std::uint64_t probes = 0;          // connection attempts (each one connect + PING)
  std::uint64_t short_circuits = 0;  // commands failed at once while the breaker was open
};

class RedisCache final : public Cache {
 public:
  RedisCache(RedisAddress address, const Clock& clock, RedisTimeouts timeouts = {});
  ~RedisCache() override;
  std::string describe() const override;
  // Whether the last command reached Redis.
  bool connected() const;
  RedisBreakerStats breaker() const;
  // PING: one round trip, for benchmarks' floor and health checks.
  bool ping();

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
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace calendar
