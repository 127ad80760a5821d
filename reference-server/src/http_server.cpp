#include "calendar/http_server.h"

#include "calendar/feed_headers.h"

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>

#include <httplib.h>

namespace calendar {
namespace {

using json = nlohmann::json;

constexpr const char* kJsonType = "application/json";
constexpr std::string_view kItemsPrefix = "/oobc-management/work-items/";
constexpr int kMaxJsonDepth = 32;

// ---------------------------------------------------------------------------
// Small helpers

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(dump(body), kJsonType);
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, json{{"error", message}});
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    unsigned char lo = 0x80, hi = 0xbf;  // the range of the first continuation byte
    if (c < 0x80) extra = 0;
    else if (c >= 0xc2 && c <= 0xdf) extra = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
      if (c == 0xe0) lo = 0xa0;  // no overlongs
      if (c == 0xed) hi = 0x9f;  // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;
    } else return false;
    if (s.size() - i - 1 < extra) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (b < lo || b > hi) : (b & 0xc0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

// Deepest nesting of arrays/objects in JSON text (strings skipped), so that
// absurdly deep documents are refused before they are parsed.
int json_depth(std::string_view text) {
  int depth = 0, max_depth = 0;
  bool in_string = false, escape = false;
  for (char c : text) {
    if (in_string) {
      if (escape) escape = false;
      else if (c == '\\') escape = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') max_depth = std::max(max_depth, ++depth);
    else if (c == ']' || c == '}') --depth;
  }
  return max_depth;
}

std::optional<json> parse_json_body(const std::string& body, std::string& error) {
  if (json_depth(body) > kMaxJsonDepth) {
    error = "JSON body nested too deeply";
    return std::nullopt;
  }
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) {
    error = body.empty() ? "a JSON body is required" : "malformed JSON body";
    return std::nullopt;
  }
  return j;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding ('+' is a space).
std::string form_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_form(std::string_view body) {
  std::map<std::string, std::string> out;
  while (!body.empty()) {
    auto amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string key = form_decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : form_decode(pair.substr(eq + 1));
    out[key] = value;  // the last value wins, as Django's QueryDict.get
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::map<std::string, std::string> parse_cookies(const httplib::Request& req) {
  std::map<std::string, std::string> out;
  auto [begin, end] = req.headers.equal_range("Cookie");
  for (auto it = begin; it != end; ++it) {
    std::string_view rest = it->second;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      std::string_view part = trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      auto eq = part.find('=');
      if (eq == std::string_view::npos || eq == 0) continue;
      std::string_view value = trim(part.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      out.emplace(std::string(trim(part.substr(0, eq))), std::string(value));  // first one wins
    }
  }
  return out;
}

std::optional<std::string> last_param(const httplib::Request& req, const std::string& name) {
  std::optional<std::string> value;
  auto [begin, end] = req.params.equal_range(name);
  for (auto it = begin; it != end; ++it) value = it->second;
  return value;
}

std::string default_error_message(int status) {
  switch (status) {
    case 400: return "bad request";
    case 401: return "authentication required";
    case 403: return "forbidden";
    case 404: return "not found";
    case 405: return "method not allowed";
    case 408: return "request timeout";
    case 413: return "request body too large";
    case 414: return "request URI too long";
    case 416: return "range not satisfiable";
    case 431: return "request headers too large";
    default: return status >= 500 ? "internal server error" : "HTTP error " + std::to_string(status);
  }
}

// ---------------------------------------------------------------------------
// Sessions: like Django's database sessions, one table shared by all workers.

struct Session {
  UserId user = 0;
  std::string username;
  std::string csrf;
};

class SessionTable {
 public:
  SessionTable() {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    rng_.seed(seq);
  }

  // Returns {session id, csrf token}.
  std::pair<std::string, std::string> create(UserId user, const std::string& username) {
    std::lock_guard lock(mutex_);
    std::string id = token_locked();
    while (sessions_.count(id)) id = token_locked();
    std::string csrf = token_locked() + token_locked();
    sessions_[id] = Session{user, username, csrf};
    return {id, csrf};
  }
  std::optional<Session> find(const std::string& id) const {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return std::nullopt;
    return it->second;
  }
  void erase(const std::string& id) {
    std::lock_guard lock(mutex_);
    sessions_.erase(id);
  }
  void clear() {
    std::lock_guard lock(mutex_);
    sessions_.clear();
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
  }

 private:
  std::string token_locked() {  // 128 random bits as 32 hex digits
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (int half = 0; half < 2; ++half) {
      std::uint64_t v = rng_();
      for (int i = 0; i < 16; ++i, v >>= 4) out += kHex[v & 0xf];
    }
    return out;
  }

  mutable std::mutex mutex_;
  std::mt19937_64 rng_;
  std::unordered_map<std::string, Session> sessions_;
};

// ---------------------------------------------------------------------------
// Routing

enum class RouteKind {
  healthz, login, logout, feed, modal, create, patch, remove,
  admin_reset, admin_clock, admin_stats, admin_flush, admin_evict, admin_route,
};

struct Route {
  RouteKind kind;
  std::string method;  // the one method the route answers
  std::string id;      // work item id for modal/patch/remove
};

std::optional<Route> match_route(const std::string& path, bool admin) {
  static const std::map<std::string, std::pair<RouteKind, const char*>> fixed{
      {"/healthz", {RouteKind::healthz, "GET"}},
      {"/accounts/login/", {RouteKind::login, "POST"}},
      {"/accounts/logout/", {RouteKind::logout, "POST"}},
      {"/oobc-management/calendar/feed/", {RouteKind::feed, "GET"}},
      {"/oobc-management/work-items/", {RouteKind::create, "POST"}},
  };
  static const std::map<std::string, std::pair<RouteKind, const char*>> admin_routes{
      {"/__admin/reset", {RouteKind::admin_reset, "POST"}},
      {"/__admin/clock", {RouteKind::admin_clock, "POST"}},
      {"/__admin/stats", {RouteKind::admin_stats, "GET"}},
      {"/__admin/cache/flush", {RouteKind::admin_flush, "POST"}},
      {"/__admin/cache/evict", {RouteKind::admin_evict, "POST"}},
      {"/__admin/route", {RouteKind::admin_route, "POST"}},
  };
  if (auto it = fixed.find(path); it != fixed.end()) return Route{it->second.first, it->second.second, ""};
  if (admin) {
    if (auto it = admin_routes.find(path); it != admin_routes.end())
      return Route{it->second.first, it->second.second, ""};
  }
  // /oobc-management/work-items/<uuid>/[modal/|delete/]  (Django's <uuid:pk> converter)
  if (path.size() > kItemsPrefix.size() && std::string_view(path).substr(0, kItemsPrefix.size()) == kItemsPrefix) {
    std::string_view rest = std::string_view(path).substr(kItemsPrefix.size());
    auto slash = rest.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    std::string id(rest.substr(0, slash));
    if (!is_uuid(id)) return std::nullopt;
    std::string_view tail = rest.substr(slash + 1);
    if (tail.empty()) return Route{RouteKind::patch, "PATCH", id};
    if (tail == "modal/") return Route{RouteKind::modal, "GET", id};
    if (tail == "delete/") return Route{RouteKind::remove, "DELETE", id};
  }
  return std::nullopt;
}

bool is_unsafe(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS" && method != "TRACE";
}

}  // namespace

// ---------------------------------------------------------------------------
// --http-cache

std::string HttpCachePolicy::describe() const {
  switch (mode) {
    case Mode::never: return "never";
    case Mode::max_age: return "max-age=" + std::to_string(max_age_s);
    case Mode::unset: return "unset";
  }
  return "never";
}

std::optional<HttpCachePolicy> parse_http_cache(std::string_view text, std::string& error) {
  HttpCachePolicy p;
  if (text == "never") return p;
  if (text == "unset") {
    p.mode = HttpCachePolicy::Mode::unset;
    return p;
  }
  constexpr std::string_view kMaxAge = "max-age=";
  if (text.substr(0, kMaxAge.size()) == kMaxAge) {
    std::string_view digits = text.substr(kMaxAge.size());
    int n = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (!digits.empty() && digits.front() != '-' && digits.front() != '+' && ec == std::errc() &&
        ptr == digits.data() + digits.size() && n >= 0 && n <= 31536000) {
      p.mode = HttpCachePolicy::Mode::max_age;
      p.max_age_s = n;
      return p;
    }
    error = "invalid --http-cache value '" + std::string(text) +
            "': max-age needs a whole number of seconds from 0 to 31536000";
    return std::nullopt;
  }
  error = "invalid --http-cache value '" + std::string(text) + "': expected never, max-age=N or unset";
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// /__admin/reset

std::optional<ResetData> parse_reset(const json& body, std::string& error) {
  if (!body.is_object()) {
    error = "the reset body must be a JSON object";
    return std::nullopt;
  }
  for (auto& [key, _] : body.items()) {
    if (key != "users" && key != "items" && key != "visibility") {
      error = "unknown field '" + key + "' (expected users, items, visibility)";
      return std::nullopt;
    }
  }
  ResetData data;
  if (!body.contains("users") || !body["users"].is_array()) {
    error = "'users' must be an array of {id, username, password}";
    return std::nullopt;
  }
  std::set<UserId> user_ids;
  std::set<std::string> names;
  for (const json& u : body["users"]) {
    if (!u.is_object()) {
      error = "each user must be an object {id, username, password}";
      return std::nullopt;
    }
    for (auto& [key, _] : u.items()) {
      if (key != "id" && key != "username" && key != "password") {
        error = "unknown user field '" + key + "'";
        return std::nullopt;
      }
    }
    if (!u.contains("id") || !u["id"].is_number_integer() || u["id"].get<long long>() < 1 ||
        u["id"].get<long long>() > 1'000'000'000) {
      error = "a user's 'id' must be an integer from 1 to 1000000000";
      return std::nullopt;
    }
    if (!u.contains("username") || !u["username"].is_string() || u["username"].get<std::string>().empty()) {
      error = "a user's 'username' must be a non-empty string";
      return std::nullopt;
    }
    if (!u.contains("password") || !u["password"].is_string()) {
      error = "a user's 'password' must be a string";
      return std::nullopt;
    }
    User user{static_cast<UserId>(u["id"].get<long long>()), u["username"].get<std::string>(),
              u["password"].get<std::string>()};
    if (!user_ids.insert(user.id).second) {
      error = "duplicate user id " + std::to_string(user.id);
      return std::nullopt;
    }
    if (!names.insert(user.username).second) {
      error = "duplicate username '" + user.username + "'";
      return std::nullopt;
    }
    data.users.push_back(std::move(user));
  }
  if (body.contains("items")) {
    if (!body["items"].is_array()) {
      error = "'items' must be an array of work items";
      return std::nullopt;
    }
    std::size_t index = 0;
    for (const json& j : body["items"]) {
      std::string item_error;
      auto item = item_from_json(j, true, item_error);
      if (!item) {
        error = "item " + std::to_string(index) + ": " + item_error;
        return std::nullopt;
      }
      data.items.push_back(std::move(*item));
      ++index;
    }
  }
  std::map<std::string, const WorkItem*> by_id;
  for (const WorkItem& item : data.items) {
    if (!by_id.emplace(item.id, &item).second) {
      error = "duplicate item id '" + item.id + "'";
      return std::nullopt;
    }
    if (!user_ids.count(item.owner_id)) {
      error = "item '" + item.id + "': unknown owner_id " + std::to_string(item.owner_id);
      return std::nullopt;
    }
    for (UserId a : item.assignee_ids) {
      if (!user_ids.count(a)) {
        error = "item '" + item.id + "': unknown assignee " + std::to_string(a);
        return std::nullopt;
      }
    }
  }
  for (const WorkItem& item : data.items) {
    const WorkItem* cur = &item;
    std::size_t steps = 0;
    while (cur->parent_id) {
      auto it = by_id.find(*cur->parent_id);
      if (it == by_id.end()) {
        error = "item '" + cur->id + "': unknown parent_id '" + *cur->parent_id + "'";
        return std::nullopt;
      }
      cur = it->second;
      if (++steps > data.items.size()) {
        error = "item '" + item.id + "': parent_id makes a cycle";
        return std::nullopt;
      }
    }
  }
  if (body.contains("visibility") && !body["visibility"].is_null()) {
    if (!body["visibility"].is_string() || !parse_visibility(body["visibility"].get<std::string>())) {
      error = "'visibility' must be \"global\" or \"assigned\"";
      return std::nullopt;
    }
    data.visibility = parse_visibility(body["visibility"].get<std::string>());
  }
  return data;
}

json reset_to_json(const ResetData& data) {
  json users = json::array();
  for (const User& u : data.users) users.push_back({{"id", u.id}, {"username", u.username}, {"password", u.password}});
  json items = json::array();
  for (const WorkItem& item : data.items) items.push_back(to_json(item));
  json out{{"users", users}, {"items", items}};
  if (data.visibility) out["visibility"] = std::string(to_string(*data.visibility));
  return out;
}

// ---------------------------------------------------------------------------
// The server

struct HttpServer::Impl {
  Impl(Cluster& c, ManualClock* manual, HttpServerOptions o)
      : cluster(c), manual_clock(manual), options(std::move(o)) {
    clock = manual_clock ? static_cast<const Clock*>(manual_clock) : &real_clock;
  }

  Cluster& cluster;
  ManualClock* manual_clock;
  RealClock real_clock;
  const Clock* clock;
  HttpServerOptions options;
  SessionTable sessions;
  std::atomic<long long> pinned{-1};

  httplib::Server svr;
  std::thread thread;
  std::atomic<bool> bound{false}, entering{false}, finished{false}, stop_requested{false};
  std::atomic<int> listen_fd{-1};

  // httplib 0.11 listens with a backlog of 5, so a burst of connections gets
  // refused or reset; listen() again on the bound socket raises it.
  void widen_backlog() {
    if (int fd = listen_fd.load(); fd >= 0) ::listen(fd, SOMAXCONN);
  }

  std::optional<std::size_t> pin() const {
    long long p = pinned.load();
    if (p < 0) return std::nullopt;
    return static_cast<std::size_t>(p);
  }

  std::size_t index_of(const CalendarApp& app) {
    for (std::size_t i = 0; i < cluster.size(); ++i)
      if (&cluster.worker(i) == &app) return i;
    return 0;
  }

  struct Dispatched {
    AppResponse response;
    std::size_t worker = 0;
  };
  template <class Fn>
  Dispatched dispatch(Fn&& fn) {
    return cluster.dispatch(
        [&](CalendarApp& app) {
          Dispatched d;
          d.worker = index_of(app);
          d.response = fn(app);
          return d;
        },
        pin());
  }

  void write_app_response(httplib::Response& res, const Dispatched& d) {
    res.status = d.response.status;
    res.set_content(d.response.body, kJsonType);
    for (const auto& [name, value] : d.response.headers) res.set_header(name, value);
    res.set_header("X-Worker", std::to_string(d.worker));
  }

  void setup() {
    int threads = std::max(1, options.threads);
    svr.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    // SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, which would let
    // a second server bind a port that is already in use.
    svr.set_socket_options([this](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
      listen_fd = sock;
    });
    svr.set_tcp_nodelay(true);
    svr.set_keep_alive_max_count(1000);
    svr.set_keep_alive_timeout(std::max(1, options.keep_alive_timeout_s));
    svr.set_read_timeout(options.read_timeout_s, 0);
    svr.set_write_timeout(options.write_timeout_s, 0);
    svr.set_payload_max_length(options.max_body_bytes);

    auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
    const std::string all = "[\\s\\S]*";
    svr.Get(all, handler);
    svr.Post(all, handler);
    svr.Put(all, handler);
    svr.Patch(all, handler);
    svr.Delete(all, handler);
    svr.Options(all, handler);

    // Every error httplib answers by itself (unknown method, 413, bad request line,
    // …) and every error of ours passes here: give the former a JSON body.
    svr.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request&, httplib::Response& res) {
          if (res.body.empty()) send_error(res, res.status, default_error_message(res.status));
          if (!res.has_header("Date")) res.set_header("Date", format_http_date(clock->now()));
          return httplib::Server::HandlerResponse::Handled;
        }));
    svr.set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
      std::cerr << "calendar-server: internal error on " << req.method << " " << req.path << "\n";
      res.headers.clear();
      send_error(res, 500, "internal server error");
    });
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    try {
      route(req, res);
    } catch (const std::exception& e) {
      std::cerr << "calendar-server: internal error on " << req.method << " " << req.path << ": " << e.what()
                << "\n";
      res.headers.clear();
      send_error(res, 500, "internal server error");
    } catch (...) {
      std::cerr << "calendar-server: internal error on " << req.method << " " << req.path << "\n";
      res.headers.clear();
      send_error(res, 500, "internal server error");
    }
    if (!res.has_header("Date")) res.set_header("Date", format_http_date(clock->now()));
  }

  void route(const httplib::Request& req, httplib::Response& res) {
    auto r = match_route(req.path, options.admin);
    if (!r) return send_error(res, 404, "not found: " + req.path);
    std::string method = req.method == "HEAD" ? "GET" : req.method;
    if (method != r->method) {
      res.set_header("Allow", r->method == "GET" ? "GET, HEAD" : r->method);
      return send_error(res, 405, "method " + req.method + " not allowed; use " + r->method);
    }
    if (req.body.size() > options.max_body_bytes) return send_error(res, 413, "request body too large");

    switch (r->kind) {
      case RouteKind::healthz: return send_json(res, 200, json{{"ok", true}});
      case RouteKind::login: return login(req, res);
      case RouteKind::admin_reset: return admin_reset(req, res);
      case RouteKind::admin_clock: return admin_clock(req, res);
      case RouteKind::admin_stats: return send_json(res, 200, cluster.stats());
      case RouteKind::admin_flush:
        cluster.flush_caches();
        return send_json(res, 200, json{{"flushed", true}});
      case RouteKind::admin_evict: return admin_evict(req, res);
      case RouteKind::admin_route: return admin_route(req, res);
      default: break;
    }

    // Everything else needs a session, and unsafe methods a CSRF token.
    auto cookies = parse_cookies(req);
    std::optional<Session> session;
    std::string session_id;
    if (auto it = cookies.find("sessionid"); it != cookies.end()) {
      session_id = it->second;
      session = sessions.find(session_id);
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
        sessions.erase(session_id);
        res.set_header("Set-Cookie", "sessionid=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/");
        return send_json(res, 200, json{{"ok", true}});
      case RouteKind::feed: return feed(req, res, user);
      case RouteKind::modal:
        return write_app_response(res, dispatch([&](CalendarApp& app) { return app.modal(user, r->id); }));
      case RouteKind::create:
      case RouteKind::patch: {
        std::string error;
        auto body = parse_json_body(req.body, error);
        if (!body) return send_error(res, 400, error);
        if (r->kind == RouteKind::create)
          return write_app_response(res, dispatch([&](CalendarApp& app) { return app.create(user, *body); }));
        return write_app_response(res, dispatch([&](CalendarApp& app) { return app.patch(user, r->id, *body); }));
      }
      case RouteKind::remove:
        return write_app_response(res, dispatch([&](CalendarApp& app) { return app.remove(user, r->id); }));
      default: return send_error(res, 404, "not found: " + req.path);
    }
  }

  void login(const httplib::Request& req, httplib::Response& res) {
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
    auto [user_id, worker] = cluster.dispatch(
        [&](CalendarApp& app) { return std::make_pair(app.authenticate(*username, *password), index_of(app)); },
        pin());
    if (!user_id) return send_error(res, 401, "invalid username or password");
    const UserId user = *user_id;
    // A fresh session (Django cycles the key at login and rotates the CSRF token).
    auto cookies = parse_cookies(req);
    if (auto it = cookies.find("sessionid"); it != cookies.end()) sessions.erase(it->second);
    auto [session_id, csrf] = sessions.create(user, *username);
    res.set_header("Set-Cookie", "sessionid=" + session_id + "; HttpOnly; Path=/; SameSite=Lax");
    res.set_header("Set-Cookie", "csrftoken=" + csrf + "; Path=/; SameSite=Lax");
    res.set_header("X-Worker", std::to_string(worker));
    send_json(res, 200, json{{"user", {{"id", user}, {"username", *username}}}});
  }

  void feed(const httplib::Request& req, httplib::Response& res, UserId user) {
    FeedParams params;
    params.start = last_param(req, "start");
    params.end = last_param(req, "end");
    params.type = last_param(req, "type");
    params.status = last_param(req, "status");
    for (const auto* p : {&params.start, &params.end, &params.type, &params.status}) {
      if (*p && !valid_utf8(**p)) {
        // The application would put the raw bytes into its JSON error; refuse them here.
        send_error(res, 400, "query parameters must be UTF-8");
        for (auto& [name, value] : feed_response_headers(options.http_cache, AppResponse{}, clock->now(), std::nullopt))
          res.set_header(name, value);
        return;
      }
    }
    auto d = dispatch([&](CalendarApp& app) { return app.feed(user, params); });
    res.status = d.response.status;
    res.set_content(d.response.body, kJsonType);
    for (const auto& [name, value] : d.response.headers) res.set_header(name, value);
    // Caching headers, Date, X-Cache, X-Worker: the same function as the in-process target's.
    for (auto& [name, value] : feed_response_headers(options.http_cache, d.response, clock->now(), d.worker))
      res.set_header(name, value);
  }

  std::optional<json> admin_body(const httplib::Request& req, httplib::Response& res) {
    std::string error;
    auto body = parse_json_body(req.body, error);
    if (!body) {
      send_error(res, 400, error);
      return std::nullopt;
    }
    if (!body->is_object()) {
      send_error(res, 400, "the body must be a JSON object");
      return std::nullopt;
    }
    return body;
  }

  void admin_reset(const httplib::Request& req, httplib::Response& res) {
    auto body = admin_body(req, res);
    if (!body) return;
    std::string error;
    auto data = parse_reset(*body, error);
    if (!data) return send_error(res, 400, error);
    std::size_t n_users = data->users.size(), n_items = data->items.size();
    cluster.reset(std::move(data->users), std::move(data->items), data->visibility);
    sessions.clear();
    pinned.store(-1);
    send_json(res, 200,
              json{{"ok", true},
                   {"users", n_users},
                   {"items", n_items},
                   {"visibility", std::string(to_string(cluster.settings().visibility.load()))}});
  }

  void admin_clock(const httplib::Request& req, httplib::Response& res) {
    if (!manual_clock) return send_error(res, 409, "the server runs on the real clock; start it with --clock manual");
    auto body = admin_body(req, res);
    if (!body) return;
    bool has_advance = body->contains("advance_s"), has_now = body->contains("now");
    if (has_advance == has_now) return send_error(res, 400, "send exactly one of {\"advance_s\": N} or {\"now\": \"ISO\"}");
    if (body->size() != 1) return send_error(res, 400, "unknown field next to 'advance_s'/'now'");
    if (has_advance) {
      const json& v = (*body)["advance_s"];
      if (!v.is_number()) return send_error(res, 400, "'advance_s' must be a number of seconds");
      double s = v.get<double>();
      if (!std::isfinite(s) || s < 0 || s > 1e10) return send_error(res, 400, "'advance_s' must be from 0 to 1e10");
      manual_clock->advance_ms(static_cast<TimeMs>(std::llround(s * 1000.0)));
    } else {
      const json& v = (*body)["now"];
      if (!v.is_string()) return send_error(res, 400, "'now' must be an ISO 8601 instant");
      auto t = parse_instant(v.get<std::string>());
      if (!t) return send_error(res, 400, "'now' must be an ISO 8601 instant such as 2025-10-05T09:00:00Z");
      manual_clock->set(*t);
    }
    send_json(res, 200, json{{"now", format_instant(manual_clock->now())}});
  }

  void admin_evict(const httplib::Request& req, httplib::Response& res) {
    auto body = admin_body(req, res);
    if (!body) return;
    bool has_keys = body->contains("keys"), has_random = body->contains("random");
    if (has_keys == has_random) return send_error(res, 400, "send exactly one of {\"keys\": [...]} or {\"random\": N}");
    if (has_keys) {
      const json& keys = (*body)["keys"];
      if (!keys.is_array()) return send_error(res, 400, "'keys' must be an array of strings");
      std::vector<std::string> list;
      for (const json& k : keys) {
        if (!k.is_string()) return send_error(res, 400, "'keys' must be an array of strings");
        list.push_back(k.get<std::string>());
      }
      return send_json(res, 200, json{{"evicted", cluster.evict(list)}});
    }
    const json& n = (*body)["random"];
    if (!n.is_number_integer() || n.get<long long>() < 0)
      return send_error(res, 400, "'random' must be a non-negative integer");
    std::uint64_t seed = 0;
    if (body->contains("seed")) {
      if (!(*body)["seed"].is_number_unsigned()) return send_error(res, 400, "'seed' must be a non-negative integer");
      seed = (*body)["seed"].get<std::uint64_t>();
    } else {
      std::random_device rd;
      seed = (std::uint64_t{rd()} << 32) ^ rd();
    }
    send_json(res, 200, json{{"evicted", cluster.evict_random(static_cast<std::size_t>(n.get<long long>()), seed)}});
  }

  void admin_route(const httplib::Request& req, httplib::Response& res) {
    auto body = admin_body(req, res);
    if (!body) return;
    if (!body->contains("worker")) return send_error(res, 400, "send {\"worker\": N} or {\"worker\": null}");
    const json& w = (*body)["worker"];
    if (w.is_null()) {
      pinned.store(-1);
      return send_json(res, 200, json{{"worker", nullptr}});
    }
    if (!w.is_number_integer() || w.get<long long>() < 0 ||
        w.get<long long>() >= static_cast<long long>(cluster.size()))
      return send_error(res, 400,
                        "'worker' must be null or an integer from 0 to " + std::to_string(cluster.size() - 1));
    pinned.store(w.get<long long>());
    send_json(res, 200, json{{"worker", w.get<long long>()}});
  }
};

HttpServer::HttpServer(Cluster& cluster, ManualClock* manual_clock, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(cluster, manual_clock, std::move(options))) {
  impl_->setup();
}

HttpServer::~HttpServer() { stop(); }

bool HttpServer::bind(int port) {
  if (impl_->bound) return false;
  if (port < 0 || port > 65535) return false;
  if (port == 0) {
    int p = impl_->svr.bind_to_any_port("127.0.0.1");
    if (p <= 0) return false;
    port_ = p;
  } else {
    if (!impl_->svr.bind_to_port("127.0.0.1", port)) return false;
    port_ = port;
  }
  impl_->widen_backlog();
  impl_->bound = true;
  return true;
}

bool HttpServer::run() {
  if (!impl_->bound) return false;
  impl_->entering = true;
  if (impl_->stop_requested) {
    impl_->finished = true;
    return true;
  }
  bool ok = impl_->svr.listen_after_bind();
  impl_->finished = true;
  return ok || impl_->stop_requested;
}

bool HttpServer::listen(int port) { return bind(port) && run(); }

bool HttpServer::start_in_background(int port) {
  if (impl_->thread.joinable() || !bind(port)) return false;
  impl_->thread = std::thread([this] { run(); });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!impl_->svr.is_running() && !impl_->finished && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return impl_->svr.is_running();
}

namespace {

// httplib 0.11 lets an idle keep-alive connection hold its thread until the
// keep-alive timeout, and stop() waits for every thread. Half-closing our side
// of each accepted connection (SHUT_RD) wakes them: idle ones see EOF and end,
// a request in progress still writes its response.
void wake_connections(int port) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return;
  std::vector<int> fds;
  while (dirent* e = ::readdir(dir)) {
    int fd = 0;
    auto [ptr, ec] = std::from_chars(e->d_name, e->d_name + std::strlen(e->d_name), fd);
    if (ec == std::errc() && fd != ::dirfd(dir)) fds.push_back(fd);
  }
  ::closedir(dir);
  for (int fd : fds) {
    sockaddr_in local{}, peer{};
    socklen_t local_len = sizeof local, peer_len = sizeof peer;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 || local.sin_family != AF_INET)
      continue;
    if (ntohs(local.sin_port) != port || local.sin_addr.s_addr != htonl(INADDR_LOOPBACK)) continue;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) continue;  // not connected
    ::shutdown(fd, SHUT_RD);
  }
}

}  // namespace

void HttpServer::stop() {
  impl_->stop_requested = true;
  if (impl_->entering) {
    // run() is starting or serving: wait until it accepts (or gave up), then stop it.
    while (!impl_->svr.is_running() && !impl_->finished)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    impl_->svr.stop();
    // Until run() has returned, keep waking connections (new ones may still be taken up).
    while (!impl_->finished) {
      wake_connections(port_);
      for (int i = 0; i < 20 && !impl_->finished; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  if (impl_->thread.joinable() && impl_->thread.get_id() != std::this_thread::get_id()) impl_->thread.join();
}

std::string HttpServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::size_t HttpServer::session_count() const { return impl_->sessions.size(); }

std::optional<std::size_t> HttpServer::pinned_worker() const { return impl_->pin(); }

}  // namespace calendar
