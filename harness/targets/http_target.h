// The HTTP target (see target.h): a running `calendar-server --admin --clock manual`
// at http://HOST:PORT, driven as browsers would drive it.
//
// Sessions. reset() logs every user in (POST /accounts/login/, JSON body) and
// keeps each user's cookie jar (`sessionid`, `csrftoken`); every request as that
// user sends `Cookie`, and unsafe methods also `X-CSRFToken`.
//
// Connections. Each user has its own keep-alive httplib::Client (the admin API
// has one more), so concurrent tasks for different users never share a
// connection. When two tasks use the SAME user at the same time, the second one
// gets a connection of its own from that user's small pool (same cookies) — as
// two tabs of one browser use two connections — so the requests really overlap
// on the server instead of being serialised; at most kMaxIdlePerUser idle
// connections are kept per user. Timeouts: 2 s to connect, 5 s to read or write.
//
// Time. The server's clock only moves through POST /__admin/clock, and this
// target is its only driver: now() is the last instant this target set (at
// reset() or set_now()), or, before any, the server's clock as check() read it
// (POST /__admin/clock {"advance_s": 0}, which answers the time and moves
// nothing). set_now() sends the clock only when it changes.
//
// Thread safety: reset() must not run concurrently with anything else; every
// other call may run from several threads (run_concurrently does that).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "targets/target.h"

namespace httplib {
class Client;
}

namespace cachecheck {

// "http://HOST:PORT" or "http://HOST:PORT/" (HOST may be a bracketed IPv6 literal).
struct HttpEndpoint {
  std::string host;  // without brackets
  int port = 0;      // 1..65535
  std::string url() const;  // "http://HOST:PORT" (IPv6 re-bracketed)
};
// Parses `spec`; nullopt with `error` set (a reason, without the spec) when it is not of that form.
std::optional<HttpEndpoint> parse_http_endpoint(const std::string& spec, std::string& error);

class HttpTarget final : public Target, Client, Nemesis, Clock, Probe {
 public:
  static constexpr int kConnectTimeoutS = 2;
  static constexpr int kReadWriteTimeoutS = 5;
  static constexpr std::size_t kMaxIdlePerUser = 4;

  // Does not contact the server; see check().
  explicit HttpTarget(HttpEndpoint endpoint, TargetConfig config = {});
  ~HttpTarget() override;
  HttpTarget(const HttpTarget&) = delete;
  HttpTarget& operator=(const HttpTarget&) = delete;

  // Checks that the server answers GET /healthz, serves the admin API (GET
  // /__admin/stats) and runs on a manual clock (POST /__admin/clock
  // {"advance_s": 0}, which does not move it). Throws TargetError with a one-line
  // reason otherwise. Reads what the server says of itself into the capabilities:
  // its worker count, strategy and declared staleness bound.
  void check();
  // What check() found that differs from the TargetConfig (e.g. the number of
  // workers); the strategy, backend, TTL and HTTP caching cannot be read over HTTP.
  const std::vector<std::string>& config_notes() const { return notes_; }

  std::string describe() const override { return base_; }
  const Capabilities& capabilities() const override { return caps_; }
  void reset(const Fixture& fixture) override;
  Client& client() override { return *this; }
  Clock& clock() override { return *this; }
  Nemesis* nemesis() override { return this; }
  Probe* probe() override { return this; }
  // Each task on its own std::thread; joins all, then rethrows the first exception
  // thrown (in time). Returns no interleaving: the network decides it.
  std::vector<std::string> run_concurrently(std::vector<std::function<void()>> tasks, std::uint64_t seed) override;

  // Client. A request that gets no answer returns status 0 with the reason.
  Response feed(UserId user, const FeedRequest& request) override;
  Response detail(UserId user, const std::string& id) override;
  Response create(UserId user, const nlohmann::json& fields) override;
  Response edit(UserId user, const std::string& id, const nlohmann::json& fields) override;
  Response remove(UserId user, const std::string& id) override;

  // Nemesis, through the admin API.
  std::optional<std::size_t> evict(const std::vector<std::string>& keys) override;
  std::optional<std::size_t> evict_version(std::optional<UserId> user) override;
  std::optional<std::size_t> evict_random(std::size_t n, std::uint64_t seed) override;
  void flush() override;
  // Pins to `worker` modulo the server's worker count (as the in-process target does).
  void route(std::optional<std::size_t> worker) override;

  // Clock: the server's manual clock.
  TimeMs now() override;
  void set_now(TimeMs t) override;

  // Probe: GET /__admin/stats.
  ProbeCounters counters() override;

 private:
  struct UserSession;
  class Lease;

  std::unique_ptr<httplib::Client> new_client() const;
  UserSession& session(UserId user);
  // One request as `user` (cookies, and X-CSRFToken on unsafe methods).
  Response as_user(UserId user, const std::string& method, const std::string& path, const std::string& body = "");
  // One admin request; throws TargetError unless it answers 200. Returns the JSON body.
  nlohmann::json admin(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr);
  void login(UserSession& s, const User& user);
  TimeMs read_clock();  // the server's clock, remembered as now()

  HttpEndpoint endpoint_;
  std::string base_;
  TargetConfig config_;
  Capabilities caps_;
  std::vector<std::string> notes_;
  std::size_t server_workers_ = 0;  // 0: unknown

  std::mutex admin_mutex_;
  std::unique_ptr<httplib::Client> admin_client_;

  std::mutex now_mutex_;
  std::optional<TimeMs> now_;

  std::map<UserId, std::unique_ptr<UserSession>> sessions_;  // rebuilt by reset() only
};

}  // namespace cachecheck
