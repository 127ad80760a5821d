// Keep-alive HTTP connections to one server, pooled per browser: requests made
// under one key (one user's browser) reuse that key's idle connections; two
// requests of one key at the same time get two connections (as two tabs do), so
// they really overlap on the server; different keys never share a connection.
// Every wait has a timeout; a request that gets no answer returns status 0 with
// the reason, and never throws. An idempotent request (GET) whose kept-alive
// connection the server had closed is retried once on a fresh one, as browsers do.
//
// Headers of the answer are lower-cased; repeated ones are joined with ", ",
// except `set-cookie`, whose lines are joined with "\n" (a cookie's Expires
// holds a comma).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "targets/http_endpoint.h"
#include "targets/target.h"

namespace httplib {
class Client;
}

namespace cachecheck {

// "http://HOST:PORT" with an optional path prefix ("http://HOST:PORT/app").
struct BaseUrl {
  HttpEndpoint endpoint;
  std::string prefix;  // "" or "/app" (no trailing slash)
  std::string text() const { return endpoint.url() + prefix; }
};
std::optional<BaseUrl> parse_base_url(const std::string& url, std::string& error);

struct HttpRequest {
  std::string method = "GET";
  std::string target;  // path (without the base's prefix) and query, already encoded
  std::string body;
  std::string content_type;  // "" when there is no body
  std::vector<std::pair<std::string, std::string>> headers;
};

class HttpPool {
 public:
  static constexpr std::size_t kMaxIdlePerKey = 4;

  HttpPool(BaseUrl base, double timeout_s);
  ~HttpPool();
  HttpPool(const HttpPool&) = delete;
  HttpPool& operator=(const HttpPool&) = delete;

  Response send(const std::string& key, const HttpRequest& request);
  const BaseUrl& base() const { return base_; }
  double timeout_s() const { return timeout_s_; }

 private:
  std::unique_ptr<httplib::Client> connect() const;
  std::unique_ptr<httplib::Client> take(const std::string& key);
  void give_back(const std::string& key, std::unique_ptr<httplib::Client> c);

  BaseUrl base_;
  double timeout_s_;
  std::mutex mutex_;
  std::map<std::string, std::vector<std::unique_ptr<httplib::Client>>> idle_;
};

// The lines of a Set-Cookie header as HttpPool joins them.
std::vector<std::string> set_cookie_lines(const Response& r);

}  // namespace cachecheck
