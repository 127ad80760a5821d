// The HTTP layer of calendar-server: a thin adapter over `calendar::Cluster`.
//
// It owns what Django's middleware did in the original application (sessions,
// CSRF, routing, HTTP caching headers of the feed) and the admin API the harness
// uses for time and faults; everything else is `CalendarApp`'s. Routes, status
// codes and formats follow shared/spec/reference-server.md.
//
// Extra response headers (not in the contract, for clients and the harness):
//   X-Worker: <index>   which worker answered (every dispatched request)
//   X-Cache: HIT|MISS   feed only: served from the cache or from the store
//
// Order of checks on a request: route (404) → method (405) → body size (413) →
// session (401) → CSRF on POST/PATCH/DELETE (403) → JSON body (400) → the app.
// /healthz, /accounts/login/ and /__admin/* need no session and no CSRF.
// POST /__admin/reset also logs everyone out and clears the /__admin/route pin.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "calendar/clock.h"
#include "calendar/cluster.h"
#include "calendar/domain.h"

namespace calendar {

// `--http-cache`: the feed's HTTP caching headers.
struct HttpCachePolicy {
  enum class Mode { never, max_age, unset };
  Mode mode = Mode::never;
  int max_age_s = 0;  // Mode::max_age only

  std::string describe() const;  // "never", "max-age=60", "unset"
  friend bool operator==(const HttpCachePolicy&, const HttpCachePolicy&) = default;
};
// Parses "never", "max-age=N" (0 ≤ N ≤ 31536000) or "unset"; nullopt with `error` set otherwise.
std::optional<HttpCachePolicy> parse_http_cache(std::string_view text, std::string& error);

struct HttpServerOptions {
  bool admin = false;  // serve /__admin/*; otherwise those paths are 404
  HttpCachePolicy http_cache;
  int read_timeout_s = 5;
  int write_timeout_s = 5;
  // How long an idle keep-alive connection is kept open by the server.
  int keep_alive_timeout_s = 5;
  std::size_t max_body_bytes = std::size_t{1} << 20;  // larger bodies → 413
  // Request threads. httplib gives each open connection a thread until it closes
  // or idles out, so more concurrent keep-alive clients than this wait in line.
  int threads = 64;
};

// The body of POST /__admin/reset, parsed and validated.
struct ResetData {
  std::vector<User> users;
  std::vector<WorkItem> items;
  std::optional<Visibility> visibility;
};
// Validates users (unique ids ≥ 1 and names), items (the domain's rules, unique
// ids, known owners/assignees/parents, no cycles) and the visibility.
std::optional<ResetData> parse_reset(const nlohmann::json& body, std::string& error);
nlohmann::json reset_to_json(const ResetData& data);

class HttpServer {
 public:
  // `cluster` must run on the server's clock: `manual_clock` when not null (it
  // then also enables POST /__admin/clock), else the real clock. Both outlive the server.
  HttpServer(Cluster& cluster, ManualClock* manual_clock, HttpServerOptions options = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds 127.0.0.1:`port` (0: a free port). False when the port cannot be bound.
  bool bind(int port);
  // Serves until stop(); needs a successful bind(). False when it could not serve.
  bool run();
  // bind(port) then run(): blocks until stop().
  bool listen(int port);
  // bind(port), then serves on a background thread; returns once accepting.
  bool start_in_background(int port = 0);
  // Stops serving (from any thread): closes the listening socket, half-closes open
  // connections so idle keep-alive ones end at once (requests in progress still
  // answer), waits for run() to return and joins the background thread. Idempotent.
  void stop();

  int port() const { return port_; }  // the bound port, 0 before bind()
  std::string base_url() const;       // "http://127.0.0.1:<port>"

  // Live sessions (login creates one; logout and /__admin/reset remove them).
  std::size_t session_count() const;
  // The worker all requests are pinned to (POST /__admin/route), if any.
  std::optional<std::size_t> pinned_worker() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace calendar
