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
// Order of checks on a request: framing (RFC 9112: 400 without Host or with a
// bad Content-Length, 411 for a POST/PUT/PATCH without one, 413, 501) → route
// (404) → method (405) → session (401) → CSRF on POST/PATCH/DELETE (403) →
// JSON body (400) → the app. /healthz, /accounts/login/ and /__admin/* need no
// session and no CSRF. POST /__admin/reset also logs everyone out and clears
// the /__admin/route pin.
//
// Connections (src/http/connection_server.h): keep-alive with pipelining, a
// thread per connection up to a bound, header/idle/body deadlines.
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
#include "calendar/http_cache_policy.h"
#include "calendar/reset_data.h"

namespace calendar {

struct HttpServerOptions {
  bool admin = false;  // serve /__admin/*; otherwise those paths are 404
  HttpCachePolicy http_cache;
  // Connections: one thread each, at most `max_connections` (beyond: 503 at
  // once); lowered to fit the process's open-file limit when it serves.
  std::size_t max_connections = 2048;
  int header_timeout_s = 3;      // from a request's first byte to the end of its headers, else 408
  int keep_alive_timeout_s = 5;  // how long an idle keep-alive connection is kept open
  int read_timeout_s = 10;       // for the whole body of a request
  int write_timeout_s = 5;
  std::size_t max_header_bytes = 64 * 1024;            // larger header blocks → 431
  std::size_t max_body_bytes = std::size_t{1} << 20;  // larger bodies → 413
  // Sessions: dropped after this long unused, and least recently used first
  // beyond `max_sessions` live ones.
  int session_idle_timeout_s = 30 * 60;
  std::size_t max_sessions = 10'000;
};

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
  // Stops serving (from any thread): closes the listening socket, ends every
  // connection's wait so idle keep-alive ones close at once (requests in
  // progress still answer), waits for run() to return and joins the background
  // thread. Idempotent.
  void stop();

  int port() const { return port_; }  // the bound port, 0 before bind()
  std::string base_url() const;       // "http://127.0.0.1:<port>"

  // Live sessions (login creates one; logout and /__admin/reset remove them).
  std::size_t session_count() const;
  // The worker all requests are pinned to (POST /__admin/route), if any.
  std::optional<std::size_t> pinned_worker() const;
  // Connections open now, and refused (503) since the start.
  std::size_t open_connections() const;
  std::size_t refused_connections() const;

  // Serves one connection whose whole input is `raw` (requests, possibly
  // pipelined) without a socket, and returns what the server wrote back: the
  // same parsing, framing checks, handlers and responses. For fuzzing and tests.
  std::string serve_bytes(std::string raw);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace calendar
