// The HTTP target: a running calendar-server, driven over its HTTP API (see http_target.h).
#include "targets/http_target.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <exception>
#include <thread>

#include <httplib.h>

#include "browser/query_string.h"
#include "model/item_json.h"
#include "targets/cookies.h"

namespace cachecheck {
namespace {

using nlohmann::json;

constexpr const char* kFeedPath = "/oobc-management/calendar/feed/";
constexpr const char* kItemsPath = "/oobc-management/work-items/";
constexpr const char* kJson = "application/json";

bool unsafe_method(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS" && method != "TRACE";
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// A raw query string, as given (already percent-encoded by the caller), with only
// the bytes that would break the request line escaped (controls, space, '#', non-ASCII).
std::string sanitize_query(const std::string& q) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : q) {
    if (c <= 0x20 || c >= 0x7f || c == '#') {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string reason(httplib::Error e) {
  switch (e) {
    case httplib::Error::Connection: return "connection failed (refused or unreachable)";
    case httplib::Error::ConnectionTimeout:
      return "no connection within " + std::to_string(HttpTarget::kConnectTimeoutS) + " s";
    case httplib::Error::Read:
      return "no complete answer within " + std::to_string(HttpTarget::kReadWriteTimeoutS) +
             " s (read failed or timed out)";
    case httplib::Error::Write:
      return "could not send the request within " + std::to_string(HttpTarget::kReadWriteTimeoutS) +
             " s (write failed or timed out)";
    case httplib::Error::BindIPAddress: return "cannot bind the local address";
    case httplib::Error::Canceled: return "request canceled";
    default: return "transport error (" + httplib::to_string(e) + ")";
  }
}

Response to_response(const httplib::Response& r) {
  Response out;
  out.status = r.status;
  out.body = r.body;
  for (const auto& [name, value] : r.headers) {
    std::string key = lower(name);
    auto it = out.headers.find(key);
    if (it == out.headers.end()) out.headers.emplace(std::move(key), value);
    else it->second += ", " + value;  // RFC 9110 §5.3: repeated fields combine with commas
  }
  return out;
}

// The "error" of a JSON error body, else the start of the body.
std::string error_text(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_string()) return j["error"].get<std::string>();
  std::string s = body.substr(0, 200);
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------
// HttpEndpoint

std::string HttpEndpoint::url() const {
  bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<HttpEndpoint> parse_http_endpoint(const std::string& spec, std::string& error) {
  constexpr std::string_view kScheme = "http://";
  if (spec.size() < kScheme.size() || lower(spec.substr(0, kScheme.size())) != kScheme) {
    error = "it does not start with http://";
    return std::nullopt;
  }
  std::string rest = spec.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find_first_of("/?#") != std::string::npos) {
    error = "only http://HOST:PORT is accepted (no path, query or fragment)";
    return std::nullopt;
  }
  if (rest.find('@') != std::string::npos) {
    error = "credentials in the URL are not supported";
    return std::nullopt;
  }
  HttpEndpoint ep;
  std::string port_text;
  const bool bracketed = !rest.empty() && rest.front() == '[';
  if (bracketed) {  // [IPv6]:PORT
    auto close = rest.find(']');
    if (close == std::string::npos) {
      error = "unterminated '[' in the host";
      return std::nullopt;
    }
    ep.host = rest.substr(1, close - 1);
    std::string after = rest.substr(close + 1);
    if (after.empty() || after.front() != ':') {
      error = "a port is required (http://HOST:PORT)";
      return std::nullopt;
    }
    port_text = after.substr(1);
  } else {
    auto colon = rest.rfind(':');
    if (colon == std::string::npos) {
      error = rest.empty() ? "the host is empty" : "a port is required (http://HOST:PORT)";
      return std::nullopt;
    }
    ep.host = rest.substr(0, colon);
    port_text = rest.substr(colon + 1);
    if (ep.host.find(':') != std::string::npos) {
      error = "an IPv6 host must be in brackets (http://[::1]:PORT)";
      return std::nullopt;
    }
  }
  if (ep.host.empty()) {
    error = "the host is empty";
    return std::nullopt;
  }
  // A name (letters, digits, '-', '.', '_') or, in brackets, an IPv6 address: nothing
  // that url() could not write back as the same host (the fuzzer found "[[>,]").
  for (unsigned char c : ep.host) {
    const bool ok = bracketed ? (std::isxdigit(c) || c == ':' || c == '.')
                              : (std::isalnum(c) || c == '-' || c == '.' || c == '_');
    if (!ok) {
      error = bracketed ? "an IPv6 host holds only hex digits, ':' and '.'"
                        : "the host holds only letters, digits, '-', '.' and '_'";
      return std::nullopt;
    }
  }
  int port = 0;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 1 ||
      port > 65535 || !std::isdigit(static_cast<unsigned char>(port_text.front()))) {
    error = "the port must be a number from 1 to 65535";
    return std::nullopt;
  }
  ep.port = port;
  return ep;
}

// ---------------------------------------------------------------------------
// Sessions

struct HttpTarget::UserSession {
  User user;
  std::mutex mutex;                                   // guards everything below
  std::vector<std::unique_ptr<httplib::Client>> idle;  // keep-alive connections not in use
  CookieJar cookies;
};

// A connection of one user's pool, held for one request; returned on destruction
// unless the request failed at the transport level (then the connection is dropped).
class HttpTarget::Lease {
 public:
  Lease(const HttpTarget& target, UserSession& s) : s_(s) {
    {
      std::lock_guard lock(s_.mutex);
      if (!s_.idle.empty()) {
        client_ = std::move(s_.idle.back());
        s_.idle.pop_back();
      }
    }
    if (!client_) client_ = target.new_client();
  }
  ~Lease() {
    if (!client_ || broken_) return;
    std::lock_guard lock(s_.mutex);
    if (s_.idle.size() < kMaxIdlePerUser) s_.idle.push_back(std::move(client_));
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  httplib::Client& client() { return *client_; }
  void mark_broken() { broken_ = true; }

 private:
  UserSession& s_;
  std::unique_ptr<httplib::Client> client_;
  bool broken_ = false;
};

HttpTarget::HttpTarget(HttpEndpoint endpoint, TargetConfig config)
    : endpoint_(std::move(endpoint)), base_(endpoint_.url()), config_(std::move(config)) {
  admin_client_ = new_client();
  now_ = std::nullopt;
}

HttpTarget::~HttpTarget() = default;

std::unique_ptr<httplib::Client> HttpTarget::new_client() const {
  auto c = std::make_unique<httplib::Client>(endpoint_.host, endpoint_.port);
  c->set_connection_timeout(kConnectTimeoutS, 0);
  c->set_read_timeout(kReadWriteTimeoutS, 0);
  c->set_write_timeout(kReadWriteTimeoutS, 0);
  c->set_keep_alive(true);
  c->set_tcp_nodelay(true);  // small requests: no Nagle + delayed-ACK stalls
  c->set_url_encode(false);  // queries arrive already encoded, as a browser sends them
  return c;
}

HttpTarget::UserSession& HttpTarget::session(UserId user) {
  auto it = sessions_.find(user);
  if (it == sessions_.end())
    throw TargetError("user " + std::to_string(user) + " is not one of the users given to reset() on " + base_);
  return *it->second;
}

namespace {

// Sends `req` on `client`. A keep-alive connection the server closed while idle
// surfaces as a read/write error before any byte of an answer; an idempotent
// request (GET) is then retried once on a fresh connection, as browsers do.
httplib::Result send_once_or_retry(httplib::Client& client, const httplib::Request& req,
                                   const std::function<std::unique_ptr<httplib::Client>()>& fresh,
                                   std::unique_ptr<httplib::Client>& replacement) {
  auto started = std::chrono::steady_clock::now();
  auto result = client.send(req);
  if (result || req.method != "GET") return result;
  auto e = result.error();
  if (e != httplib::Error::Read && e != httplib::Error::Write) return result;
  if (std::chrono::steady_clock::now() - started > std::chrono::milliseconds(500)) return result;  // a real timeout
  replacement = fresh();
  return replacement->send(req);
}

}  // namespace

Response HttpTarget::as_user(UserId user, const std::string& method, const std::string& path,
                             const std::string& body) {
  UserSession& s = session(user);
  httplib::Request req;
  req.method = method;
  req.path = path;
  req.body = body;
  if (!body.empty()) req.headers.emplace("Content-Type", kJson);
  {
    std::lock_guard lock(s.mutex);
    std::string cookie = cookie_header(s.cookies);
    if (!cookie.empty()) req.headers.emplace("Cookie", cookie);
    if (unsafe_method(method)) {
      auto it = s.cookies.find("csrftoken");
      if (it != s.cookies.end()) req.headers.emplace("X-CSRFToken", it->second);
    }
  }
  Lease lease(*this, s);
  std::unique_ptr<httplib::Client> replacement;
  auto result = send_once_or_retry(lease.client(), req, [this] { return new_client(); }, replacement);
  if (!result) {  // no answer: the operation's outcome is indeterminate, the caller records why
    lease.mark_broken();
    Response none;
    none.transport_error = reason(result.error()) + " (" + method + " " + path.substr(0, path.find('?')) + " as " +
                           s.user.username + ")";
    return none;
  }
  if (replacement) lease.mark_broken();  // the leased connection was dead; drop it
  return to_response(result.value());
}

json HttpTarget::admin(const std::string& method, const std::string& path, const json& body) {
  httplib::Request req;
  req.method = method;
  req.path = path;
  if (!body.is_null()) {
    req.body = body.dump();
    req.headers.emplace("Content-Type", kJson);
  }
  httplib::Result result{nullptr, httplib::Error::Unknown};
  {
    std::lock_guard lock(admin_mutex_);
    std::unique_ptr<httplib::Client> replacement;
    result = send_once_or_retry(*admin_client_, req, [this] { return new_client(); }, replacement);
    if (replacement) admin_client_ = std::move(replacement);
    if (!result) admin_client_ = new_client();
  }
  if (!result) throw TargetError("cannot reach " + base_ + ": " + reason(result.error()) + " (" + method + " " + path + ")");
  const auto& r = result.value();
  if (r.status == 404)
    throw TargetError(base_ + " was not started with --admin (" + method + " " + path + " answered 404)");
  if (r.status == 409 && path == "/__admin/clock")
    throw TargetError(base_ + " needs --clock manual (" + method + " " + path + " answered 409: " +
                      error_text(r.body) + ")");
  if (r.status != 200)
    throw TargetError(base_ + ": " + method + " " + path + " answered " + std::to_string(r.status) + ": " +
                      error_text(r.body));
  auto j = json::parse(r.body, nullptr, false);
  if (j.is_discarded())
    throw TargetError(base_ + ": " + method + " " + path + " answered a body that is not JSON: " + error_text(r.body));
  return j;
}

// ---------------------------------------------------------------------------
// Target

void HttpTarget::check() {
  {
    httplib::Result result{nullptr, httplib::Error::Unknown};
    {
      std::lock_guard lock(admin_mutex_);
      result = admin_client_->Get("/healthz");
      if (!result) admin_client_ = new_client();
    }
    if (!result) throw TargetError("cannot reach " + base_ + ": " + reason(result.error()));
    if (result->status != 200)
      throw TargetError(base_ + " does not look like a calendar-server (GET /healthz answered " +
                        std::to_string(result->status) + ")");
  }
  json st = admin("GET", "/__admin/stats");
  if (!st.is_object() || !st.contains("cache"))
    throw TargetError(base_ + ": GET /__admin/stats did not answer the stats document");
  read_clock();  // 409 without --clock manual
  notes_.clear();
  caps_.reset = true;
  caps_.manual_clock = true;
  caps_.faults = {Fault::evict, Fault::evict_version, Fault::evict_random, Fault::flush, Fault::route};
  caps_.probe = true;
  caps_.deterministic = false;
  caps_.workers = 0;
  caps_.strategy = st.value("strategy", std::string());
  if (st.contains("staleness_bound_s") && st["staleness_bound_s"].is_number())
    caps_.staleness_bound_s = st["staleness_bound_s"].get<double>();
  if (st.contains("workers") && st["workers"].is_number_unsigned()) {
    caps_.workers = st["workers"].get<int>();
    server_workers_ = st["workers"].get<std::size_t>();
    if (config_.workers > 0 && server_workers_ != static_cast<std::size_t>(config_.workers))
      notes_.push_back("the server runs " + std::to_string(server_workers_) + " worker(s), not " +
                       std::to_string(config_.workers));
  }
}

void HttpTarget::login(UserSession& s, const User& user) {
  s.user = user;
  {
    std::lock_guard lock(s.mutex);
    s.cookies.clear();
  }
  httplib::Request req;
  req.method = "POST";
  req.path = "/accounts/login/";
  req.body = json{{"username", user.username}, {"password", user.password}}.dump();
  req.headers.emplace("Content-Type", kJson);
  Lease lease(*this, s);
  auto result = lease.client().send(req);
  if (!result) {
    lease.mark_broken();
    throw TargetError("cannot reach " + base_ + ": " + reason(result.error()) + " (POST /accounts/login/ as " +
                      user.username + ")");
  }
  if (result->status != 200)
    throw TargetError(base_ + ": logging in as '" + user.username + "' answered " + std::to_string(result->status) +
                      ": " + error_text(result->body));
  std::lock_guard lock(s.mutex);
  auto [begin, end] = result->headers.equal_range("Set-Cookie");
  for (auto it = begin; it != end; ++it) apply_set_cookie(s.cookies, it->second);
  if (!s.cookies.count("sessionid") || !s.cookies.count("csrftoken"))
    throw TargetError(base_ + ": logging in as '" + user.username + "' set no sessionid/csrftoken cookie");
}

void HttpTarget::reset(const Fixture& fixture) {
  const auto& users = fixture.users;
  const TimeMs now = fixture.start_time;
  admin("POST", "/__admin/reset", reset_json(fixture.users, fixture.items, fixture.visibility));
  {
    std::lock_guard lock(now_mutex_);
    now_.reset();
  }
  set_now(now);
  // Keep the connections of users that stay; the server dropped every session.
  std::map<UserId, std::unique_ptr<UserSession>> next;
  for (const auto& u : users) {
    auto it = sessions_.find(u.id);
    if (it != sessions_.end()) {
      next[u.id] = std::move(it->second);
      sessions_.erase(it);
    } else {
      next[u.id] = std::make_unique<UserSession>();
    }
  }
  sessions_ = std::move(next);
  for (const auto& u : users) login(*sessions_.at(u.id), u);
}

TimeMs HttpTarget::read_clock() {
  // {"advance_s": 0} moves nothing and answers the clock: {"now": "ISO"}.
  json r = admin("POST", "/__admin/clock", json{{"advance_s", 0}});
  std::optional<TimeMs> t;
  if (r.is_object() && r.contains("now") && r["now"].is_string()) t = parse_instant(r["now"].get<std::string>());
  if (!t) throw TargetError(base_ + ": POST /__admin/clock did not answer {\"now\": ISO}");
  std::lock_guard lock(now_mutex_);
  now_ = *t;
  return *t;
}

TimeMs HttpTarget::now() {
  {
    std::lock_guard lock(now_mutex_);
    if (now_) return *now_;
  }
  return read_clock();
}

void HttpTarget::set_now(TimeMs t) {
  std::lock_guard lock(now_mutex_);  // held across the request: clock changes stay in order
  if (now_ && *now_ >= t) return;     // a manual clock never goes back
  admin("POST", "/__admin/clock", json{{"now", format_instant(t)}});
  now_ = t;
}

Response HttpTarget::feed(UserId user, const FeedRequest& request) {
  std::string path = kFeedPath;
  if (!request.query_string.empty()) path += "?" + sanitize_query(request.query_string);
  return as_user(user, "GET", path);
}

Response HttpTarget::detail(UserId user, const std::string& id) {
  return as_user(user, "GET", std::string(kItemsPath) + percent_encode_segment(id) + "/modal/");
}

Response HttpTarget::create(UserId user, const json& item) { return as_user(user, "POST", kItemsPath, item.dump()); }

Response HttpTarget::edit(UserId user, const std::string& id, const json& fields) {
  return as_user(user, "PATCH", std::string(kItemsPath) + percent_encode_segment(id) + "/", fields.dump());
}

Response HttpTarget::remove(UserId user, const std::string& id) {
  return as_user(user, "DELETE", std::string(kItemsPath) + percent_encode_segment(id) + "/delete/");
}

std::optional<std::size_t> HttpTarget::evict(const std::vector<std::string>& keys) {
  json r = admin("POST", "/__admin/cache/evict", json{{"keys", keys}});
  return r.value("evicted", std::size_t{0});
}

// calendar-server's invalidation metadata: the version counters of `versioned` and
// `audience` (reference-server.md: calendar_version:{uid}, calendar_version:global).
std::optional<std::size_t> HttpTarget::evict_version(std::optional<UserId> user) {
  return evict({user ? "calendar_version:" + std::to_string(*user) : std::string("calendar_version:global")});
}

std::optional<std::size_t> HttpTarget::evict_random(std::size_t n, std::uint64_t seed) {
  json r = admin("POST", "/__admin/cache/evict", json{{"random", n}, {"seed", seed}});
  return r.value("evicted", std::size_t{0});
}

void HttpTarget::flush() { admin("POST", "/__admin/cache/flush", json::object()); }

void HttpTarget::route(std::optional<std::size_t> worker) {
  json w = nullptr;
  if (worker) w = server_workers_ > 0 ? *worker % server_workers_ : *worker;
  admin("POST", "/__admin/route", json{{"worker", w}});
}

ProbeCounters HttpTarget::counters() {
  json s = admin("GET", "/__admin/stats");
  const json& c = s.contains("cache") && s["cache"].is_object() ? s["cache"] : json::object();
  auto n = [&](const char* name) { return c.value(name, std::uint64_t{0}); };
  ProbeCounters p;
  p.cache_hits = n("hits");
  p.cache_misses = n("misses");
  p.cache_sets = n("sets");
  p.cache_deletes = n("deletes");
  p.cache_deletes_present = n("deletes_present");
  p.cache_incrs = n("incrs");
  p.cache_evictions = n("evictions");
  p.round_trips = n("round_trips");
  if (s.contains("db") && s["db"].is_object()) p.store_queries = s["db"].value("queries", std::uint64_t{0});
  return p;
}

std::vector<std::string> HttpTarget::run_concurrently(std::vector<std::function<void()>> tasks, std::uint64_t) {
  std::mutex mutex;
  std::exception_ptr first;
  std::vector<std::thread> threads;
  threads.reserve(tasks.size());
  auto run = [&](std::function<void()>& task) {
    try {
      task();
    } catch (...) {
      std::lock_guard lock(mutex);
      if (!first) first = std::current_exception();
    }
  };
  try {
    for (auto& task : tasks) threads.emplace_back(run, std::ref(task));
  } catch (...) {  // could not start a thread: finish the started ones, then report
    for (auto& t : threads) t.join();
    throw TargetError("cannot start a thread for a concurrent step");
  }
  for (auto& t : threads) t.join();
  if (first) std::rethrow_exception(first);
  return {};
}

}  // namespace cachecheck

namespace cachecheck {
namespace {

const bool registered = register_target_kind(TargetKind{
    "http://HOST:PORT (a calendar-server --admin --clock manual)",
    [](const std::string& spec) { return spec.rfind("http://", 0) == 0; },
    [](const std::string& spec, const TargetConfig& config) -> std::unique_ptr<Target> {
      std::string error;
      auto endpoint = parse_http_endpoint(spec, error);
      if (!endpoint) throw TargetError("invalid target '" + spec + "': " + error + " (use http://HOST:PORT)");
      auto target = std::make_unique<HttpTarget>(*endpoint, config);
      target->check();  // reachable, --admin, --clock manual
      return target;
    },
    {},
    {},
    /*builds_server=*/false,
});

}  // namespace
}  // namespace cachecheck
