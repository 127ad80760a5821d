// The Redis cache backend against a private redis-server, plus parse_redis_url.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "calendar/clock.h"
#include "calendar/redis_cache.h"
#include "redis_server.h"

namespace {

using calendar::ManualClock;
using calendar::RedisAddress;
using calendar::RedisCache;
using calendar::RedisTimeouts;
using testsupport::RedisServerProcess;
using namespace std::chrono_literals;

constexpr calendar::TimeMs kStart = 1'759'654'800'000;  // 2025-10-05T09:00:00Z

RedisAddress address_of(const RedisServerProcess& server, int db = 0) {
  RedisAddress a;
  a.host = "127.0.0.1";
  a.port = server.port();
  a.db = db;
  return a;
}

// Reads a raw value straight from Redis, bypassing the cache's encoding.
std::optional<std::string> raw_get(int port, int db, const std::string& key) {
  redisContext* ctx = redisConnectWithTimeout("127.0.0.1", port, timeval{1, 0});
  if (ctx == nullptr || ctx->err != 0) {
    if (ctx != nullptr) redisFree(ctx);
    throw std::runtime_error("raw_get: cannot connect");
  }
  std::optional<std::string> out;
  if (auto* r = static_cast<redisReply*>(redisCommand(ctx, "SELECT %d", db))) freeReplyObject(r);
  auto* r = static_cast<redisReply*>(redisCommand(ctx, "GET %b", key.data(), key.size()));
  if (r != nullptr && r->type == REDIS_REPLY_STRING) out = std::string(r->str, r->len);
  if (r != nullptr) freeReplyObject(r);
  redisFree(ctx);
  return out;
}

long long raw_ttl(int port, const std::string& key) {
  redisContext* ctx = redisConnectWithTimeout("127.0.0.1", port, timeval{1, 0});
  if (ctx == nullptr || ctx->err != 0) {
    if (ctx != nullptr) redisFree(ctx);
    throw std::runtime_error("raw_ttl: cannot connect");
  }
  long long out = -3;
  auto* r = static_cast<redisReply*>(redisCommand(ctx, "TTL %b", key.data(), key.size()));
  if (r != nullptr && r->type == REDIS_REPLY_INTEGER) out = r->integer;
  if (r != nullptr) freeReplyObject(r);
  redisFree(ctx);
  return out;
}

class RedisCacheTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      server_ = std::make_unique<RedisServerProcess>();
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    ASSERT_TRUE(server_) << "could not start redis-server: " << start_error_;
    cache_ = std::make_unique<RedisCache>(address_of(*server_), clock_);
    cache_->flush();
    cache_->reset_stats();
  }

  static inline std::unique_ptr<RedisServerProcess> server_;
  static inline std::string start_error_;
  ManualClock clock_{kStart};
  std::unique_ptr<RedisCache> cache_;
};

TEST_F(RedisCacheTest, ConnectsAndPings) {
  EXPECT_TRUE(cache_->connected());
  EXPECT_TRUE(cache_->ping());
  EXPECT_EQ(cache_->describe(), "redis://127.0.0.1:" + std::to_string(server_->port()) + "/0");
  EXPECT_EQ(server_->url(), "redis://127.0.0.1:" + std::to_string(server_->port()));
}

TEST_F(RedisCacheTest, GetSetMiss) {
  EXPECT_EQ(cache_->get("absent"), std::nullopt);
  EXPECT_TRUE(cache_->set("k", "hello", 300));
  EXPECT_EQ(cache_->get("k"), "hello");
  EXPECT_TRUE(cache_->set("k", "again", 300));
  EXPECT_EQ(cache_->get("k"), "again");
  EXPECT_TRUE(cache_->set("empty", "", 300));
  EXPECT_EQ(cache_->get("empty"), "");
}

TEST_F(RedisCacheTest, ValuesAndKeysAreBinarySafe) {
  const std::string key("bin\0key |x", 10);
  const std::string value("a\0b|c\r\n\xff v1:-1|", 16);
  ASSERT_TRUE(cache_->set(key, value, std::nullopt));
  EXPECT_EQ(cache_->get(key), value);
  const std::string looks_encoded = "v1:-1|inner";
  ASSERT_TRUE(cache_->set("nested", looks_encoded, 60));
  EXPECT_EQ(cache_->get("nested"), looks_encoded);
}

TEST_F(RedisCacheTest, LogicalTtlFollowsTheInjectedClock) {
  ASSERT_TRUE(cache_->set("feed", "[1,2]", 300));
  clock_.advance_ms(299'999);
  EXPECT_EQ(cache_->get("feed"), "[1,2]");
  clock_.advance_ms(1);  // exactly at the expiry: gone
  EXPECT_EQ(cache_->get("feed"), std::nullopt);
  clock_.advance_ms(3'600'000);
  EXPECT_EQ(cache_->get("feed"), std::nullopt);

  // Going back in time makes it readable again: the expiry is stored with the value.
  clock_.set(kStart + 1000);
  EXPECT_EQ(cache_->get("feed"), "[1,2]");
}

TEST_F(RedisCacheTest, NoTtlNeverExpiresAndHasNoBackstop) {
  ASSERT_TRUE(cache_->set("forever", "x", std::nullopt));
  clock_.advance_ms(100LL * 365 * 24 * 3600 * 1000);
  EXPECT_EQ(cache_->get("forever"), "x");
  EXPECT_EQ(raw_ttl(server_->port(), "forever"), -1);
}

TEST_F(RedisCacheTest, StoresExpiryWithTheValueAndARealTimeBackstop) {
  ASSERT_TRUE(cache_->set("k", "payload", 300));
  EXPECT_EQ(raw_get(server_->port(), 0, "k"), "v1:" + std::to_string(kStart + 300'000) + "|payload");
  const long long ttl = raw_ttl(server_->port(), "k");
  EXPECT_GT(ttl, 300);
  EXPECT_LE(ttl, 360);
}

TEST_F(RedisCacheTest, GetManyIsOneRoundTrip) {
  ASSERT_TRUE(cache_->set("a", "1", 300));
  ASSERT_TRUE(cache_->set("c", "3", 300));
  ASSERT_TRUE(cache_->set("expired", "old", 1));
  clock_.advance_ms(5'000);
  const auto before = cache_->stats();
  const auto got = cache_->get_many({"a", "b", "c", "expired"});
  const auto after = cache_->stats();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0], "1");
  EXPECT_EQ(got[1], std::nullopt);
  EXPECT_EQ(got[2], "3");
  EXPECT_EQ(got[3], std::nullopt);
  EXPECT_EQ(after.round_trips - before.round_trips, 1u);
  EXPECT_EQ(after.hits - before.hits, 2u);
  EXPECT_EQ(after.misses - before.misses, 2u);
  EXPECT_EQ(after.errors, before.errors);
}

TEST_F(RedisCacheTest, DelManyIsOneRoundTrip) {
  for (const char* k : {"x", "y", "z"}) ASSERT_TRUE(cache_->set(k, "v", 300));
  const auto before = cache_->stats();
  cache_->del_many({"x", "y", "not-there"});
  const auto after = cache_->stats();
  EXPECT_EQ(after.round_trips - before.round_trips, 1u);
  EXPECT_EQ(after.deletes - before.deletes, 3u);
  EXPECT_EQ(after.errors, before.errors);
  EXPECT_EQ(cache_->get("x"), std::nullopt);
  EXPECT_EQ(cache_->get("y"), std::nullopt);
  EXPECT_EQ(cache_->get("z"), "v");
}

TEST_F(RedisCacheTest, DelPerKeyIsOneRoundTripEach) {
  for (const char* k : {"p", "q"}) ASSERT_TRUE(cache_->set(k, "v", 300));
  const auto before = cache_->stats();
  for (const char* k : {"p", "q", "r"}) cache_->del(k);
  const auto after = cache_->stats();
  EXPECT_EQ(after.round_trips - before.round_trips, 3u);
  EXPECT_EQ(after.deletes - before.deletes, 3u);
  EXPECT_EQ(after.errors, before.errors);
  EXPECT_EQ(cache_->get("p"), std::nullopt);
  EXPECT_EQ(cache_->get("q"), std::nullopt);
}

TEST_F(RedisCacheTest, IncrCreatesOneThenCountsAndReadsAsPlainValue) {
  EXPECT_EQ(cache_->incr("calendar_version:1"), 1);
  EXPECT_EQ(cache_->incr("calendar_version:1"), 2);
  EXPECT_EQ(cache_->get("calendar_version:1"), "2");
  // Plain values have no logical expiry.
  clock_.advance_ms(10LL * 365 * 24 * 3600 * 1000);
  EXPECT_EQ(cache_->get("calendar_version:1"), "2");
  EXPECT_EQ(raw_ttl(server_->port(), "calendar_version:1"), -1);
}

TEST_F(RedisCacheTest, IncrOnAnEncodedValueIsAnError) {
  ASSERT_TRUE(cache_->set("s", "text", 300));
  const auto before = cache_->stats();
  EXPECT_EQ(cache_->incr("s"), std::nullopt);
  EXPECT_EQ(cache_->stats().errors - before.errors, 1u);
  EXPECT_TRUE(cache_->connected());  // a Redis error reply is not an outage
  EXPECT_EQ(cache_->get("s"), "text");
}

TEST_F(RedisCacheTest, FlushEmptiesEverything) {
  ASSERT_TRUE(cache_->set("a", "1", 300));
  ASSERT_TRUE(cache_->set("b", "2", std::nullopt));
  ASSERT_TRUE(cache_->incr("v").has_value());
  cache_->flush();
  EXPECT_TRUE(cache_->keys().empty());
  EXPECT_EQ(cache_->get("a"), std::nullopt);
  EXPECT_EQ(cache_->get("v"), std::nullopt);
  EXPECT_EQ(cache_->incr("v"), 1);
}

TEST_F(RedisCacheTest, EvictCountsKeysThatExisted) {
  for (const char* k : {"a", "b", "c"}) ASSERT_TRUE(cache_->set(k, "v", 300));
  const auto before = cache_->stats();
  EXPECT_EQ(cache_->evict({"a", "c", "missing"}), 2u);
  EXPECT_EQ(cache_->evict({}), 0u);
  const auto after = cache_->stats();
  EXPECT_EQ(after.evictions - before.evictions, 2u);
  EXPECT_EQ(after.operations(), before.operations());
  EXPECT_EQ(cache_->get("a"), std::nullopt);
  EXPECT_EQ(cache_->get("b"), "v");
}

TEST_F(RedisCacheTest, KeysListsEveryKeyThroughScan) {
  std::vector<std::string> expected;
  for (int i = 0; i < 2500; ++i) expected.push_back("key:" + std::to_string(i));
  // More keys than one SCAN batch (COUNT 1000).
  for (const auto& k : expected) ASSERT_TRUE(cache_->set(k, "v", 300));
  ASSERT_TRUE(cache_->incr("counter").has_value());
  expected.push_back("counter");
  auto keys = cache_->keys();
  std::sort(keys.begin(), keys.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(keys, expected);
}

TEST_F(RedisCacheTest, StatsCountEveryOperationAndRoundTrip) {
  cache_->set("a", "1", 300);                 // 1 set, 1 rt
  cache_->get("a");                           // 1 hit, 1 rt
  cache_->get("nope");                        // 1 miss, 1 rt
  cache_->get_many({"a", "nope", "a"});       // 2 hits 1 miss, 1 rt
  cache_->del("a");                           // 1 delete, 1 rt
  cache_->del_many({"x", "y"});               // 2 deletes, 1 rt
  cache_->incr("v");                          // 1 incr, 1 rt
  cache_->incr("v");                          // 1 incr, 1 rt
  const auto s = cache_->stats();
  EXPECT_EQ(s.hits, 3u);
  EXPECT_EQ(s.misses, 2u);
  EXPECT_EQ(s.sets, 1u);
  EXPECT_EQ(s.deletes, 3u);
  EXPECT_EQ(s.incrs, 2u);
  EXPECT_EQ(s.round_trips, 8u);
  EXPECT_EQ(s.errors, 0u);
  EXPECT_EQ(s.evictions, 0u);
  cache_->reset_stats();
  EXPECT_EQ(cache_->stats().round_trips, 0u);
}

TEST_F(RedisCacheTest, SelectsTheDatabase) {
  ManualClock clock{kStart};
  RedisCache db3(address_of(*server_, 3), clock);
  EXPECT_EQ(db3.describe(), "redis://127.0.0.1:" + std::to_string(server_->port()) + "/3");
  db3.flush();
  ASSERT_TRUE(db3.set("only-in-3", "v", 300));
  EXPECT_EQ(db3.get("only-in-3"), "v");
  EXPECT_EQ(cache_->get("only-in-3"), std::nullopt);
  EXPECT_TRUE(raw_get(server_->port(), 3, "only-in-3").has_value());
  EXPECT_FALSE(raw_get(server_->port(), 0, "only-in-3").has_value());
  // A flush of db 0 leaves db 3 alone.
  cache_->flush();
  EXPECT_EQ(db3.get("only-in-3"), "v");
  db3.flush();
}

TEST_F(RedisCacheTest, SeveralThreadsShareOneInstance) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this] {
      for (int i = 0; i < 200; ++i) cache_->incr("shared");
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(cache_->get("shared"), "800");
  EXPECT_EQ(cache_->stats().errors, 0u);
}

// The server goes away and comes back; its own server so the other suite is unaffected.
class RedisCacheOutageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      server_ = std::make_unique<RedisServerProcess>();
    } catch (const std::exception& e) {
      FAIL() << "could not start redis-server: " << e.what();
    }
  }
  std::unique_ptr<RedisServerProcess> server_;
};

TEST_F(RedisCacheOutageTest, FailsFastWhileDownAndRecoversAfterRetryDelay) {
  ManualClock clock{kStart};
  RedisTimeouts timeouts;
  timeouts.connect = 200ms;
  timeouts.command = 200ms;
  timeouts.retry_after = 300ms;
  timeouts.retry_max = timeouts.retry_after;  // a fixed window, which the test waits out
  RedisCache cache(address_of(*server_), clock, timeouts);
  ASSERT_TRUE(cache.set("k", "v", 300));
  ASSERT_EQ(cache.get("k"), "v");
  ASSERT_TRUE(cache.connected());

  server_->stop();
  const auto before = cache.stats();
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(cache.get("k"), std::nullopt);
    std::this_thread::sleep_for(100ms);  // crosses retry_after: reconnects are attempted too
  }
  EXPECT_FALSE(cache.set("k2", "v", 300));
  EXPECT_EQ(cache.incr("n"), std::nullopt);
  cache.del("k");
  cache.del_many({"a", "b"});
  EXPECT_EQ(cache.get_many({"a", "b"}), (std::vector<std::optional<std::string>>{std::nullopt,
                                                                               std::nullopt}));
  EXPECT_EQ(cache.evict({"k"}), 0u);
  EXPECT_TRUE(cache.keys().empty());
  cache.flush();
  EXPECT_FALSE(cache.ping());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s);
  EXPECT_FALSE(cache.connected());
  const auto after = cache.stats();
  // 5 gets + set + incr + del + del_many + 2 from get_many.
  EXPECT_EQ(after.errors - before.errors, 11u);
  EXPECT_EQ(after.hits, before.hits);
  EXPECT_EQ(after.misses, before.misses);

  server_->start();  // same port, empty
  std::this_thread::sleep_for(timeouts.retry_after + 100ms);
  EXPECT_TRUE(cache.set("k", "back", 300));
  EXPECT_TRUE(cache.connected());
  EXPECT_EQ(cache.get("k"), "back");
  EXPECT_EQ(cache.incr("n"), 1);
  EXPECT_TRUE(cache.ping());
}

TEST_F(RedisCacheOutageTest, StartsWhileDownAndConnectsLater) {
  const int port = server_->port();
  server_->stop();
  ManualClock clock{kStart};
  RedisTimeouts timeouts;
  timeouts.connect = 200ms;
  timeouts.command = 200ms;
  timeouts.retry_after = 200ms;
  timeouts.retry_max = timeouts.retry_after;
  RedisAddress address;
  address.port = port;
  RedisCache cache(address, clock, timeouts);
  EXPECT_FALSE(cache.connected());
  EXPECT_EQ(cache.get("k"), std::nullopt);
  EXPECT_EQ(cache.stats().errors, 1u);

  server_->start();
  ASSERT_EQ(server_->port(), port);
  std::this_thread::sleep_for(timeouts.retry_after + 100ms);
  EXPECT_TRUE(cache.set("k", "v", 60));
  EXPECT_EQ(cache.get("k"), "v");
  EXPECT_TRUE(cache.connected());
}

// A peer that accepts connections (through the listen backlog) but never
// answers: the command timeout, not the connect timeout, has to end the wait.
TEST(RedisCacheTimeoutTest, CommandTimeoutOnAServerThatNeverAnswers) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 16), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);

  ManualClock clock{kStart};
  RedisTimeouts timeouts;
  timeouts.connect = 200ms;
  timeouts.command = 200ms;
  timeouts.retry_after = 50ms;
  RedisAddress address;
  address.port = ntohs(addr.sin_port);
  const auto t0 = std::chrono::steady_clock::now();
  RedisCache cache(address, clock, timeouts);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(cache.get("k"), std::nullopt);
    EXPECT_FALSE(cache.connected());
  }
  EXPECT_EQ(cache.stats().errors, 5u);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s);
  ::close(fd);
}

TEST(RedisServerProcessTest, StopIsIdempotentAndStartReusesThePort) {
  RedisServerProcess server;
  const int port = server.port();
  EXPECT_GT(port, 0);
  server.stop();
  server.stop();
  server.start();
  EXPECT_EQ(server.port(), port);
  ManualClock clock{kStart};
  RedisAddress address;
  address.port = port;
  RedisCache cache(address, clock);
  EXPECT_TRUE(cache.ping());
}

TEST(RedisServerProcessTest, TwoServersGetDifferentPorts) {
  RedisServerProcess a;
  RedisServerProcess b;
  EXPECT_NE(a.port(), b.port());
}

// ---- parse_redis_url ----

TEST(RedisUrlTest, AcceptsHostPortAndOptionalDb) {
  std::string error = "stale";
  auto a = calendar::parse_redis_url("redis://127.0.0.1:6379", error);
  ASSERT_TRUE(a.has_value()) << error;
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 6379);
  EXPECT_EQ(a->db, 0);
  EXPECT_TRUE(error.empty());

  a = calendar::parse_redis_url("redis://cache.internal:1/15", error);
  ASSERT_TRUE(a.has_value()) << error;
  EXPECT_EQ(a->host, "cache.internal");
  EXPECT_EQ(a->port, 1);
  EXPECT_EQ(a->db, 15);

  a = calendar::parse_redis_url("redis://localhost:65535/0", error);
  ASSERT_TRUE(a.has_value()) << error;
  EXPECT_EQ(a->host, "localhost");
  EXPECT_EQ(a->port, 65535);
  EXPECT_EQ(a->db, 0);

  a = calendar::parse_redis_url("redis://[::1]:7000/2", error);
  ASSERT_TRUE(a.has_value()) << error;
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 7000);
  EXPECT_EQ(a->db, 2);
}

TEST(RedisUrlTest, RejectsMalformedUrls) {
  const char* bad[] = {
      "",
      "redis://",
      "127.0.0.1:6379",
      "http://127.0.0.1:6379",
      "rediss://127.0.0.1:6379",
      "redis://127.0.0.1",
      "redis://:6379",
      "redis://127.0.0.1:",
      "redis://127.0.0.1:0",
      "redis://127.0.0.1:65536",
      "redis://127.0.0.1:-1",
      "redis://127.0.0.1:63a9",
      "redis://127.0.0.1:99999999999999999999",
      "redis://127.0.0.1:6379/",
      "redis://127.0.0.1:6379/-1",
      "redis://127.0.0.1:6379/x",
      "redis://127.0.0.1:6379/1/2",
      "redis://127.0.0.1:6379/99999999999",
      "redis://user:pw@127.0.0.1:6379",
      "redis://a:b:6379",
      "redis://127.0.0.1:6379 ",
      "redis://[::1/0",
  };
  for (const char* url : bad) {
    std::string error;
    EXPECT_FALSE(calendar::parse_redis_url(url, error).has_value()) << url;
    EXPECT_FALSE(error.empty()) << url;
    EXPECT_NE(error.find("redis URL"), std::string::npos) << error;
  }
}

TEST(RedisUrlTest, ErrorMessagesNameTheProblem) {
  std::string error;
  EXPECT_FALSE(calendar::parse_redis_url("memcached://x:1", error));
  EXPECT_EQ(error, "redis URL must look like redis://HOST:PORT[/DB]: got 'memcached://x:1'");
  EXPECT_FALSE(calendar::parse_redis_url("redis://h:70000", error));
  EXPECT_NE(error.find("port"), std::string::npos) << error;
  EXPECT_NE(error.find("70000"), std::string::npos) << error;
  EXPECT_FALSE(calendar::parse_redis_url("redis://h:6379/abc", error));
  EXPECT_NE(error.find("database"), std::string::npos) << error;
  EXPECT_FALSE(calendar::parse_redis_url("redis://:6379", error));
  EXPECT_NE(error.find("host"), std::string::npos) << error;
}

}  // namespace
