// The application's side of the HTTP server: what Django's middleware and
// views did (sessions, CSRF, routing, the feed's caching headers) and the
// admin API. One instance per HttpServer, called by httplib for every request.
// api_handlers.cpp has the calendar's routes, admin_handlers.cpp the admin API.
#pragma once

#include <atomic>
#include <optional>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "calendar/app.h"
#include "calendar/clock.h"
#include "calendar/cluster.h"
#include "calendar/http_server.h"
#include "http/routes.h"
#include "http/session_table.h"

namespace calendar::http {

class RequestHandler {
 public:
  RequestHandler(Cluster& cluster, ManualClock* manual_clock, const HttpServerOptions& options);

  // Answers `req`; never throws (an exception is a logged 500).
  void handle(const httplib::Request& req, httplib::Response& res);
  const Clock& clock() const { return *clock_; }
  SessionTable& sessions() { return sessions_; }
  std::optional<std::size_t> pinned_worker() const;

 private:
  struct Dispatched {
    AppResponse response;
    std::size_t worker = 0;
  };

  // The one place that picks a worker for a request: the /__admin/route pin,
  // else the cluster's round-robin. `fn(app)` runs on it; returns what fn does
  // and the worker's index.
  template <class Fn>
  auto on_worker(Fn&& fn) {
    // The cluster's one router: round-robin, or the worker /__admin/route pinned.
    return cluster_.dispatch_indexed([&](CalendarApp& app, std::size_t index) { return std::make_pair(fn(app), index); });
  }
  Dispatched dispatch_app(const std::function<AppResponse(CalendarApp&)>& fn);

  void route(const httplib::Request& req, httplib::Response& res);
  void write_app_response(httplib::Response& res, const Dispatched& d);
  void login(const httplib::Request& req, httplib::Response& res);
  void feed(const httplib::Request& req, httplib::Response& res, UserId user);

  // Admin API (admin_handlers.cpp).
  void admin(RouteKind kind, const httplib::Request& req, httplib::Response& res);
  std::optional<nlohmann::json> admin_body(const httplib::Request& req, httplib::Response& res);
  void admin_reset(const httplib::Request& req, httplib::Response& res);
  void admin_clock(const httplib::Request& req, httplib::Response& res);
  void admin_evict(const httplib::Request& req, httplib::Response& res);
  void admin_route(const httplib::Request& req, httplib::Response& res);
  void admin_stats(httplib::Response& res);

  Cluster& cluster_;
  ManualClock* manual_clock_;
  RealClock real_clock_;
  const Clock* clock_;
  const HttpServerOptions options_;
  SessionTable sessions_;
};

}  // namespace calendar::http
