#include "targets/http_pool.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <sstream>

#include <httplib.h>

namespace cachecheck {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string why(httplib::Error e, double timeout_s) {
  std::ostringstream t;
  t << timeout_s;
  switch (e) {
    case httplib::Error::Connection: return "connection failed (refused or unreachable)";
    case httplib::Error::ConnectionTimeout: return "no connection within the timeout";
    case httplib::Error::Read: return "no complete answer within " + t.str() + " s (read failed or timed out)";
    case httplib::Error::Write: return "could not send the request within " + t.str() + " s";
    default: return "transport error (" + httplib::to_string(e) + ")";
  }
}

}  // namespace

std::optional<BaseUrl> parse_base_url(const std::string& url, std::string& error) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0) {
    error = "it does not start with http://";
    return std::nullopt;
  }
  std::string rest = url.substr(kScheme.size());
  std::size_t slash = rest.find('/');
  BaseUrl b;
  if (slash != std::string::npos) {
    b.prefix = rest.substr(slash);
    rest.resize(slash);
    while (!b.prefix.empty() && b.prefix.back() == '/') b.prefix.pop_back();
    if (b.prefix.find_first_of("?#") != std::string::npos) {
      error = "a base URL has no query or fragment";
      return std::nullopt;
    }
  }
  auto ep = parse_http_endpoint(std::string(kScheme) + rest, error);
  if (!ep) return std::nullopt;
  b.endpoint = *ep;
  return b;
}

std::vector<std::string> set_cookie_lines(const Response& r) {
  std::vector<std::string> out;
  std::istringstream in(r.header("set-cookie"));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

HttpPool::HttpPool(BaseUrl base, double timeout_s) : base_(std::move(base)), timeout_s_(timeout_s) {}
HttpPool::~HttpPool() = default;

std::unique_ptr<httplib::Client> HttpPool::connect() const {
  auto c = std::make_unique<httplib::Client>(base_.endpoint.host, base_.endpoint.port);
  auto whole = static_cast<time_t>(std::floor(timeout_s_));
  auto usec = static_cast<time_t>((timeout_s_ - std::floor(timeout_s_)) * 1e6);
  c->set_connection_timeout(std::min<time_t>(whole, 2), whole >= 2 ? 0 : usec);
  c->set_read_timeout(whole, usec);
  c->set_write_timeout(whole, usec);
  c->set_keep_alive(true);
  c->set_tcp_nodelay(true);
  c->set_url_encode(false);  // targets arrive encoded
  return c;
}

std::unique_ptr<httplib::Client> HttpPool::take(const std::string& key) {
  {
    std::lock_guard lock(mutex_);
    auto& idle = idle_[key];
    if (!idle.empty()) {
      auto c = std::move(idle.back());
      idle.pop_back();
      return c;
    }
  }
  return connect();
}

void HttpPool::give_back(const std::string& key, std::unique_ptr<httplib::Client> c) {
  std::lock_guard lock(mutex_);
  auto& idle = idle_[key];
  if (idle.size() < kMaxIdlePerKey) idle.push_back(std::move(c));
}

Response HttpPool::send(const std::string& key, const HttpRequest& request) {
  httplib::Request req;
  req.method = request.method;
  req.path = base_.prefix + request.target;
  req.body = request.body;
  if (!request.content_type.empty()) req.headers.emplace("Content-Type", request.content_type);
  for (auto& [name, value] : request.headers) req.headers.emplace(name, value);

  auto conn = take(key);
  auto started = std::chrono::steady_clock::now();
  auto result = conn->send(req);
  bool stale = !result && (result.error() == httplib::Error::Read || result.error() == httplib::Error::Write) &&
               std::chrono::steady_clock::now() - started < std::chrono::milliseconds(500);
  if (stale && req.method == "GET") {  // the server closed the kept-alive connection: once more, fresh
    conn = connect();
    result = conn->send(req);
  }
  Response out;
  if (!result) {
    out.transport_error = why(result.error(), timeout_s_) + " (" + request.method + " " + base_.text() +
                          request.target.substr(0, request.target.find('?')) + ")";
    return out;  // the connection is dropped
  }
  out.status = result->status;
  out.body = result->body;
  for (const auto& [name, value] : result->headers) {
    std::string k = lower(name);
    auto it = out.headers.find(k);
    if (it == out.headers.end()) out.headers.emplace(k, value);
    else it->second += (k == "set-cookie" ? "\n" : ", ") + value;
  }
  give_back(key, std::move(conn));
  return out;
}

}  // namespace cachecheck
