// The calendar's routes: session and CSRF checks, login/logout, the feed and
// the item endpoints. Order of checks: route (404) → method (405) → body size
// (413) → session (401) → CSRF on unsafe methods (403) → JSON body (400) → app.
#include <iostream>
#include <map>

#include "calendar/feed_headers.h"
#include "calendar/request_parsing.h"
#include "http/json_response.h"
#include "http/request_handler.h"

namespace calendar::http {
namespace {

using json = nlohmann::json;

std::map<std::string, std::string> cookies_of(const httplib::Request& req) {
  std::map<std::string, std::string> out;
  auto [begin, end] = req.headers.equal_range("Cookie");
  for (auto it = begin; it != end; ++it) parse_cookie_header(it->second, out);
  return out;
}

std::optional<std::string> last_param(const httplib::Request& req, const std::string& name) {
  std::optional<std::string> value;
  auto [begin, end] = req.params.equal_range(name);
  for (auto it = begin; it != end; ++it) value = it->second;
  return value;
}

void internal_error(const httplib::Request& req, httplib::Response& res, const char* what) {
  std::cerr << "calendar-server: internal error on " << req.method << " " << req.path << what << "\n";
  res.headers.clear();
  send_error(res, 500, "internal server error");
}

}  // namespace

RequestHandler::RequestHandler(Cluster& cluster, ManualClock* manual_clock, const HttpServerOptions& options)
    : cluster_(cluster),
      manual_clock_(manual_clock),
      clock_(manual_clock ? static_cast<const Clock*>(manual_clock) : &real_clock_),
      options_(options),
      sessions_(SessionLimits{std::chrono::seconds(std::max(1, options.session_idle_timeout_s)),
                              options.max_sessions}) {}

std::optional<std::size_t> RequestHandler::pinned_worker() const { return cluster_.routed(); }

RequestHandler::Dispatched RequestHandler::dispatch_app(const std::function<AppResponse(CalendarApp&)>& fn) {
  auto [response, worker] = on_worker(fn);
  return Dispatched{std::move(response), worker};
}

void RequestHandler::write_app_response(httplib::Response& res, const Dispatched& d) {
  res.status = d.response.status;
  res.set_content(d.response.body, kJsonType);
  for (const auto& [name, value] : d.response.headers) res.set_header(name, value);
  res.set_header("X-Worker", std::to_string(d.worker));
}

void RequestHandler::handle(const httplib::Request& req, httplib::Response& res) {
  try {
    route(req, res);
  } catch (const std::exception& e) {
    internal_error(req, res, (std::string(": ") + e.what()).c_str());
  } catch (...) {
    internal_error(req, res, "");
  }
  if (!res.has_header("Date")) res.set_header("Date", format_http_date(clock_->now()));
}

void RequestHandler::route(const httplib::Request& req, httplib::Response& res) {
  auto r = match_route(req.path, options_.admin);
  if (!r) return send_error(res, 404, "not found: " + req.path);
  std::string method = req.method == "HEAD" ? "GET" : req.method;
  if (method != r->method) {
    res.set_header("Allow", r->method == "GET" ? "GET, HEAD" : r->method);
    return send_error(res, 405, "method " + req.method + " not allowed; use " + r->method);
  }
  if (req.body.size() > options_.max_body_bytes) return send_error(res, 413, "request body too large");

  switch (r->kind) {
    case RouteKind::healthz: return send_json(res, 200, json{{"ok", true}});
    case RouteKind::login: return login(req, res);
    case RouteKind::admin_reset:
    case RouteKind::admin_clock:
    case RouteKind::admin_stats:
    case RouteKind::admin_flush:
    case RouteKind::admin_evict:
    case RouteKind::admin_route: return admin(r->kind, req, res);
    default: break;
  }

  // Everything else needs a session, and unsafe methods a CSRF token.
  auto cookies = cookies_of(req);
  std::optional<Session> session;
  std::string session_id;
  if (auto it = cookies.find("sessionid"); it != cookies.end()) {
    session_id = it->second;
    session = sessions_.find(session_id);
  }
  if (!session) return send_error(res, 401, "authentication required: log in first");
  if (is_unsafe(req.method)) {
    auto it = cookies.find("csrftoken");
    std::string header = req.get_header_value("X-CSRFToken");
    if (it == cookies.end() || it->second.empty()) return send_error(res, 403, "CSRF cookie not set");
    if (header.empty()) return send_error(res, 403, "CSRF token missing (send the X-CSRFToken header)");
    if (header != it->second) return send_error(res, 403, "CSRF token incorrect");
  }
  const UserId user = session->user;

  switch (r->kind) {
    case RouteKind::logout:
      sessions_.erase(session_id);
      res.set_header("Set-Cookie", "sessionid=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/");
      return send_json(res, 200, json{{"ok", true}});
    case RouteKind::feed: return feed(req, res, user);
    case RouteKind::modal:
      return write_app_response(res, dispatch_app([&](CalendarApp& app) { return app.modal(user, r->id); }));
    case RouteKind::create:
    case RouteKind::patch: {
      std::string error;
      auto body = parse_json_body(req.body, error);
      if (!body) return send_error(res, 400, error);
      if (r->kind == RouteKind::create)
        return write_app_response(res, dispatch_app([&](CalendarApp& app) { return app.create(user, *body); }));
      return write_app_response(res, dispatch_app([&](CalendarApp& app) { return app.patch(user, r->id, *body); }));
    }
    case RouteKind::remove:
      return write_app_response(res, dispatch_app([&](CalendarApp& app) { return app.remove(user, r->id); }));
    default: return send_error(res, 404, "not found: " + req.path);
  }
}

void RequestHandler::login(const httplib::Request& req, httplib::Response& res) {
  std::string content_type = req.get_header_value("Content-Type");
  std::optional<std::string> username, password;
  std::string_view body_start = trim(req.body);
  if (content_type.find("json") != std::string::npos || (!body_start.empty() && body_start.front() == '{')) {
    std::string error;
    auto body = parse_json_body(req.body, error);
    if (!body) return send_error(res, 400, error);
    if (!body->is_object()) return send_error(res, 400, "the login body must be a JSON object");
    if (body->contains("username") && (*body)["username"].is_string()) username = (*body)["username"];
    if (body->contains("password") && (*body)["password"].is_string()) password = (*body)["password"];
  } else {
    auto form = parse_form(req.body);
    if (auto it = form.find("username"); it != form.end()) username = it->second;
    if (auto it = form.find("password"); it != form.end()) password = it->second;
  }
  if (!username || !password || username->empty())
    return send_error(res, 400, "username and password are required (form or JSON body)");
  auto [user_id, worker] = on_worker([&](CalendarApp& app) { return app.authenticate(*username, *password); });
  if (!user_id) return send_error(res, 401, "invalid username or password");
  const UserId user = *user_id;
  // A fresh session (Django cycles the key at login and rotates the CSRF token).
  auto cookies = cookies_of(req);
  if (auto it = cookies.find("sessionid"); it != cookies.end()) sessions_.erase(it->second);
  auto [session_id, csrf] = sessions_.create(user, *username);
  res.set_header("Set-Cookie", "sessionid=" + session_id + "; HttpOnly; Path=/; SameSite=Lax");
  res.set_header("Set-Cookie", "csrftoken=" + csrf + "; Path=/; SameSite=Lax");
  res.set_header("X-Worker", std::to_string(worker));
  send_json(res, 200, json{{"user", {{"id", user}, {"username", *username}}}});
}

void RequestHandler::feed(const httplib::Request& req, httplib::Response& res, UserId user) {
  FeedParams params;
  params.start = last_param(req, "start");
  params.end = last_param(req, "end");
  params.type = last_param(req, "type");
  params.status = last_param(req, "status");
  for (const auto* p : {&params.start, &params.end, &params.type, &params.status}) {
    if (*p && !valid_utf8(**p)) {
      // The application would put the raw bytes into its JSON error; refuse them here.
      send_error(res, 400, "query parameters must be UTF-8");
      for (auto& [name, value] : feed_response_headers(options_.http_cache, AppResponse{}, clock_->now(), std::nullopt))
        res.set_header(name, value);
      return;
    }
  }
  auto d = dispatch_app([&](CalendarApp& app) { return app.feed(user, params); });
  res.status = d.response.status;
  res.set_content(d.response.body, kJsonType);
  for (const auto& [name, value] : d.response.headers) res.set_header(name, value);
  // Caching headers, Date, X-Cache, X-Worker: the same function as the in-process target's.
  for (auto& [name, value] : feed_response_headers(options_.http_cache, d.response, clock_->now(), d.worker))
    res.set_header(name, value);
}

}  // namespace calendar::http
