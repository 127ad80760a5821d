// Benchmark-style and bounded: a crowd of slow or idle connections must not
// starve fresh clients. The crowd holds N connections open (default 1,000; the
// sanitizer builds of .ci/run set HARDENING_SLOW_CLIENTS lower): a half trickles
// a never-ending header one byte at a time, a quarter sends one request and then
// idles on the keep-alive connection, a quarter connects and sends nothing. Any
// connection the server closes is opened again, so the crowd stays N strong.
// Meanwhile fresh clients (a new connection each) ask for /healthz and for a
// cached feed; the goal is p99 <= 1 s for both, measured and recorded
// (RecordProperty) for the README; the test asserts that none is starved.
#include <poll.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "http_client.h"
#include "raw_http.h"
#include "server_fixture.h"

namespace {

using hardening::get_request;
using hardening::RawConnection;
using testsupport::ServerFixture;
using SteadyClock = std::chrono::steady_clock;
using namespace std::chrono_literals;

int crowd_size() {
  const char* v = std::getenv("HARDENING_SLOW_CLIENTS");
  int n = v ? std::atoi(v) : 1000;
  return n > 0 ? n : 1000;
}

class Crowd {
 public:
  enum class Kind { trickle, idle_after_request, silent };

  Crowd(int port, int n) : port_(port) {
    for (int i = 0; i < n; ++i) {
      Kind kind = i % 2 == 0 ? Kind::trickle : (i % 4 == 1 ? Kind::idle_after_request : Kind::silent);
      members_.push_back(Member{kind, RawConnection(port), SteadyClock::now() + std::chrono::milliseconds(i % 500)});
      start(members_.back());
    }
    driver_ = std::thread([this] { drive(); });
  }
  ~Crowd() {
    stop_ = true;
    driver_.join();
  }
  int open() const { return open_.load(); }
  int reopened() const { return reopened_.load(); }

 private:
  struct Member {
    Kind kind;
    RawConnection conn;
    SteadyClock::time_point next_byte;
  };

  void start(Member& m) {
    if (!m.conn.ok()) return;
    if (m.kind == Kind::trickle) m.conn.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    if (m.kind == Kind::idle_after_request) m.conn.send(get_request("/healthz"));
  }

  // Whether the server closed `fd` (reading and dropping any response it sent).
  static bool closed_by_server(int fd) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
  }

  void drive() {
    while (!stop_) {
      int open = 0;
      const auto now = SteadyClock::now();
      for (Member& m : members_) {
        bool gone = !m.conn.ok() || closed_by_server(m.conn.fd());
        if (!gone && m.kind == Kind::trickle && now >= m.next_byte) {
          gone = !m.conn.send("a");
          m.next_byte = now + 500ms;
        }
        if (gone) {
          m.conn = RawConnection(port_);
          start(m);
          ++reopened_;
        }
        open += m.conn.ok();
      }
      open_ = open;
      std::this_thread::sleep_for(20ms);
    }
  }

  int port_;
  std::vector<Member> members_;
  std::thread driver_;
  std::atomic<bool> stop_{false};
  std::atomic<int> open_{0}, reopened_{0};
};

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  std::size_t i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

TEST(SlowClients, AThousandSlowOrIdleConnectionsDoNotStarveFreshClients) {
  ServerFixture s;
  auto alice = s.logged_in("alice");
  const std::string query = testsupport::encode_query({{"start", "2025-10-01"}, {"end", "2025-11-01"}});
  ASSERT_EQ(alice.feed_response(query).status, 200);
  ASSERT_EQ(alice.feed_response(query).header("X-Cache"), "HIT");

  const int n = crowd_size();
  Crowd crowd(s.port(), n);
  const auto crowd_ready = SteadyClock::now() + 10s;
  while (crowd.open() < n && SteadyClock::now() < crowd_ready) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(crowd.open(), n) << "could not open the crowd's connections";

  constexpr int kSamples = 60;
  std::vector<double> healthz_ms, feed_ms;
  int failures = 0;
  auto timed = [](auto&& request) {
    auto t0 = SteadyClock::now();
    testsupport::HttpResponse r = request();
    return std::make_pair(r, std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
  };
  for (int i = 0; i < kSamples && failures < 3; ++i) {
    auto [h, h_ms] = timed([&] { return s.browser().get("/healthz"); });
    auto [f, f_ms] = timed([&] {
      testsupport::BrowserSession fresh = s.browser();
      fresh.set_cookie("sessionid", alice.cookie("sessionid"));
      fresh.set_cookie("csrftoken", alice.cookie("csrftoken"));
      return fresh.feed_response(query);
    });
    EXPECT_EQ(h.status, 200) << h.error;
    EXPECT_EQ(f.status, 200) << f.error;
    EXPECT_EQ(f.header("X-Cache"), "HIT");
    failures += h.status != 200 || f.status != 200;
    healthz_ms.push_back(h_ms);
    feed_ms.push_back(f_ms);
    // Spread the samples over more than the idle and header timeouts, so the
    // crowd is also measured while the server closes and it reopens connections.
    std::this_thread::sleep_for(120ms);
  }
  const double healthz_p99 = percentile(healthz_ms, 0.99), feed_p99 = percentile(feed_ms, 0.99);
  const std::size_t held = s.server().open_connections();
  RecordProperty("crowd", n);
  RecordProperty("server_open_connections", static_cast<int>(held));
  RecordProperty("crowd_reopened", crowd.reopened());
  RecordProperty("healthz_p50_ms", static_cast<int>(percentile(healthz_ms, 0.5)));
  RecordProperty("healthz_p99_ms", static_cast<int>(healthz_p99));
  RecordProperty("feed_p50_ms", static_cast<int>(percentile(feed_ms, 0.5)));
  RecordProperty("feed_p99_ms", static_cast<int>(feed_p99));
  std::printf("crowd %d, %zu open on the server (reopened %d): /healthz p50 %.1f ms p99 %.1f ms; "
              "feed hit p50 %.1f ms p99 %.1f ms\n",
              n, held,
              crowd.reopened(), percentile(healthz_ms, 0.5), healthz_p99, percentile(feed_ms, 0.5), feed_p99);
  EXPECT_EQ(crowd.open(), n) << "the crowd was held open throughout";
  EXPECT_GE(held, static_cast<std::size_t>(n) * 9 / 10) << "the server held the crowd's connections";
  // No timing goal is asserted (machines are shared and noisy; the p99 figures are
  // recorded above and in the README). What is asserted is liveness: no fresh
  // client waited as long as a crowd connection's header and idle deadlines
  // together (3 s + 5 s) — what a client queued behind the crowd would wait (the
  // server before issue 14 made them wait 8-12 s).
  constexpr double kStarvedMs = 8000;
  EXPECT_LT(*std::max_element(healthz_ms.begin(), healthz_ms.end()), kStarvedMs);
  EXPECT_LT(*std::max_element(feed_ms.begin(), feed_ms.end()), kStarvedMs);
}

}  // namespace
