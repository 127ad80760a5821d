// The connection limits one by one: the bound with its fast refusal, the
// header, idle and stop deadlines, the header size limit, the in-memory
// connection (serve_bytes), the session table's expiry, and the Redis circuit
// breaker's counts (one trip, one probe per window, no reconnect per command).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "calendar/redis_cache.h"
#include "http/session_table.h"
#include "raw_http.h"
#include "redis_server.h"
#include "server_fixture.h"

namespace {

using hardening::get_request;
using hardening::RawConnection;
using testsupport::ServerConfig;
using testsupport::ServerFixture;
using SteadyClock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kAtOnce = 2000ms;

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 3000ms) {
  for (auto end = SteadyClock::now() + timeout; SteadyClock::now() < end; std::this_thread::sleep_for(5ms))
    if (pred()) return true;
  return pred();
}

TEST(ConnectionBound, ConnectionsBeyondItAreRefusedAtOnceWith503) {
  ServerConfig config;
  config.server.max_connections = 8;
  ServerFixture s(config);
  std::vector<RawConnection> held;
  for (int i = 0; i < 8; ++i) held.emplace_back(s.port());
  ASSERT_TRUE(eventually([&] { return s.server().open_connections() == 8; }));  // the fixture's own one included

  RawConnection extra(s.port());
  ASSERT_TRUE(extra.send(get_request("/healthz")));
  auto r = extra.read_response(kAtOnce);
  ASSERT_TRUE(r) << "no answer within 2 s";
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->header("retry-after"), "1");
  EXPECT_NE(r->body.find("\"error\""), std::string::npos);
  EXPECT_TRUE(extra.closed_within(kAtOnce));
  EXPECT_GE(s.server().refused_connections(), 1u);
  EXPECT_EQ(s.server().open_connections(), 8u);

  held.clear();
  ASSERT_TRUE(eventually([&] { return s.server().open_connections() <= 1; }));
  EXPECT_EQ(s.browser().get("/healthz").status, 200) << "served again once connections closed";
}

TEST(ConnectionDeadlines, AHeaderThatDoesNotArriveIsA408) {
  ServerConfig config;
  config.server.header_timeout_s = 1;
  ServerFixture s(config);
  RawConnection c(s.port());
  ASSERT_TRUE(c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  auto r = c.read_response(3000ms);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  EXPECT_TRUE(c.closed_within(kAtOnce));
}

TEST(ConnectionDeadlines, ABodyThatDoesNotArriveIsA400AndCloses) {
  ServerConfig config;
  config.server.read_timeout_s = 1;
  ServerFixture s(config);
  RawConnection c(s.port());
  ASSERT_TRUE(c.send("POST /accounts/login/ HTTP/1.1\r\nHost: x\r\nContent-Length: 29\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n\r\nusername="));
  auto r = c.read_response(3000ms);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.closed_within(kAtOnce));
}

TEST(ConnectionDeadlines, AnIdleKeepAliveConnectionIsClosed) {
  ServerConfig config;
  config.server.keep_alive_timeout_s = 1;
  ServerFixture s(config);
  RawConnection c(s.port());
  ASSERT_TRUE(c.send(get_request("/healthz")));
  ASSERT_TRUE(c.read_response(kAtOnce));
  EXPECT_TRUE(c.closed_within(3000ms));
}

TEST(ConnectionDeadlines, HeadersOverTheLimitAreA431) {
  ServerFixture s;
  RawConnection c(s.port());
  ASSERT_TRUE(c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(70 * 1024, 'a')));
  auto r = c.read_response(kAtOnce);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
}

TEST(ConnectionDeadlines, StopEndsIdleConnectionsAtOnce) {
  auto s = std::make_unique<ServerFixture>();
  std::vector<RawConnection> idle;
  for (int i = 0; i < 50; ++i) idle.emplace_back(s->port());
  ASSERT_TRUE(eventually([&] { return s->server().open_connections() >= 50; }));
  const auto t0 = SteadyClock::now();
  s.reset();
  EXPECT_LT(SteadyClock::now() - t0, 2s) << "stop waited for idle connections";
  for (auto& c : idle) EXPECT_TRUE(c.closed_within(kAtOnce));
}

TEST(ServeBytes, RunsTheSameLoopWithoutASocket) {
  ServerFixture s;
  std::string out = s.server().serve_bytes(get_request("/healthz") + get_request("/nope") +
                                           "GET /healthz HTTP/1.1\r\n\r\n" + get_request("/healthz"));
  EXPECT_EQ(out.find("HTTP/1.1 200"), 0u) << out;
  EXPECT_NE(out.find("HTTP/1.1 404"), std::string::npos) << out;
  EXPECT_NE(out.find("HTTP/1.1 400"), std::string::npos) << "no Host: " << out;
  std::size_t responses = 0;
  for (std::size_t at = out.find("HTTP/1.1 "); at != std::string::npos; at = out.find("HTTP/1.1 ", at + 1))
    responses += at + 9 < out.size() && std::isdigit(static_cast<unsigned char>(out[at + 9]));  // a status line
  EXPECT_EQ(responses, 3u) << "the connection closes after the 400";
}

TEST(SessionTable, UnusedSessionsExpireAndUseKeepsThemAlive) {
  SteadyClock::time_point now{};
  calendar::http::SessionTable table({std::chrono::minutes(30), 100}, [&] { return now; });
  auto [a, csrf_a] = table.create(1, "alice");
  auto [b, csrf_b] = table.create(2, "bob");
  now += std::chrono::minutes(20);
  ASSERT_TRUE(table.find(a));  // alice is active
  now += std::chrono::minutes(20);
  EXPECT_TRUE(table.find(a)) << "used 20 minutes ago";
  EXPECT_FALSE(table.find(b)) << "unused for 40 minutes";
  EXPECT_EQ(table.size(), 1u);
  now += std::chrono::minutes(31);
  EXPECT_FALSE(table.find(a));
  EXPECT_EQ(table.size(), 0u);
}

TEST(SessionTable, TheCapEvictsTheLeastRecentlyUsed) {
  SteadyClock::time_point now{};
  calendar::http::SessionTable table({std::chrono::minutes(30), 3}, [&] { return now; });
  auto first = table.create(1, "alice").first;
  auto second = table.create(2, "bob").first;
  table.create(3, "carol");
  ASSERT_TRUE(table.find(first));  // now bob's is the least recently used
  table.create(1, "alice");
  EXPECT_EQ(table.size(), 3u);
  EXPECT_TRUE(table.find(first));
  EXPECT_FALSE(table.find(second));
}

TEST(RedisBreaker, AHungRedisIsTouchedOncePerWindowNotOncePerCommand) {
  testsupport::RedisServerProcess redis;
  calendar::ManualClock clock(0);
  calendar::RedisAddress address;
  address.port = redis.port();
  calendar::RedisTimeouts timeouts;
  timeouts.command = 300ms;
  timeouts.retry_after = 200ms;
  timeouts.retry_max = 400ms;
  calendar::RedisCache cache(address, clock, timeouts);
  ASSERT_TRUE(cache.set("k", "v", 300));
  redis.pause();
  const auto t0 = SteadyClock::now();
  int commands = 0;
  while (SteadyClock::now() - t0 < 2s) {
    EXPECT_EQ(cache.get("k"), std::nullopt);
    ++commands;
    std::this_thread::sleep_for(1ms);
  }
  const auto b = cache.breaker();
  const double windows = std::chrono::duration<double>(SteadyClock::now() - t0).count() / 0.2;
  EXPECT_EQ(b.trips, 1u) << "only the first command waited for the command timeout";
  EXPECT_LE(b.probes, static_cast<std::uint64_t>(windows) + 2) << "at most one probe per window";
  EXPECT_GE(b.short_circuits + b.probes + 1, static_cast<std::uint64_t>(commands));
  redis.resume();
  EXPECT_TRUE(eventually([&] { return cache.get("k") == "v"; }, 3000ms)) << "resumed after Redis came back";
  EXPECT_TRUE(cache.connected());
}

}  // namespace
