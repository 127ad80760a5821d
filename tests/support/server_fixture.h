// An in-process calendar-server for HTTP tests: Cluster + HttpServer on a free
// loopback port, a ManualClock at 2025-10-05T09:00:00Z, the admin API on, and a
// fixture loaded through POST /__admin/reset (the same path the harness uses).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "calendar/cluster.h"
#include "calendar/domain.h"
#include "calendar/http_server.h"
#include "calendar/store.h"
#include "http_client.h"

namespace testsupport {

struct ServerConfig {
  std::string strategy = "sweep";
  std::string cache = "memory";  // or a RedisServerProcess's url()
  std::size_t cache_capacity = 0;
  int ttl_s = 300;
  int workers = 1;
  calendar::Visibility visibility = calendar::Visibility::global;
  std::string http_cache = "never";  // never | max-age=N | unset
  bool pipeline = false;
  std::string now = "2025-10-05T09:00:00Z";
  // Connection and session limits; `admin` and `http_cache` are set from above.
  calendar::HttpServerOptions server{};
};

// A readable name for parameterised tests, e.g. "sweep_memory_w1".
std::string describe(const ServerConfig& config);

class ServerFixture {
 public:
  // Starts the server and loads `users`/`items` (the demo fixture when both are empty).
  // Throws std::runtime_error when it cannot start or load.
  explicit ServerFixture(ServerConfig config = {}, std::vector<calendar::User> users = {},
                         std::vector<calendar::WorkItem> items = {});
  ~ServerFixture();
  ServerFixture(const ServerFixture&) = delete;
  ServerFixture& operator=(const ServerFixture&) = delete;

  int port() const { return server_->port(); }
  const ServerConfig& config() const { return config_; }
  calendar::Cluster& cluster() { return *cluster_; }
  calendar::ManualClock& clock() { return *clock_; }
  calendar::HttpServer& server() { return *server_; }

  // A new browser session on this server (not logged in).
  BrowserSession browser() const { return BrowserSession(port()); }
  // A new session logged in as `username` (password = username); throws unless 200.
  BrowserSession logged_in(const std::string& username) const;

  // The admin API, over HTTP. Each throws std::runtime_error unless 200.
  HttpResponse admin(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr);
  void reset(const std::vector<calendar::User>& users, const std::vector<calendar::WorkItem>& items,
             std::optional<calendar::Visibility> visibility = std::nullopt);
  void advance(double seconds);              // POST /__admin/clock {"advance_s": seconds}
  void route(std::optional<int> worker);     // POST /__admin/route
  nlohmann::json stats();                    // GET /__admin/stats

 private:
  ServerConfig config_;
  std::unique_ptr<calendar::ManualClock> clock_;
  std::unique_ptr<calendar::Store> store_;
  std::unique_ptr<calendar::Cluster> cluster_;
  std::unique_ptr<calendar::HttpServer> server_;
  std::unique_ptr<BrowserSession> admin_;
};

}  // namespace testsupport
