// A browser-like HTTP session for tests: logs in, keeps its cookies, sends the
// CSRF header on unsafe methods, and wraps the calendar's endpoints.
// One session is one keep-alive connection (httplib::Client, 5 s timeouts); it
// is not thread-safe: use one per thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace testsupport {

struct HttpResponse {
  int status = 0;     // 0: no response (see `error`)
  std::string error;  // transport error, when status == 0
  std::string body;
  httplib::Headers headers;

  bool has_header(const std::string& name) const { return headers.count(name) > 0; }
  std::string header(const std::string& name) const;  // "" when absent (first value)
  nlohmann::json json() const;                         // throws on a malformed body
  // True when the body is exactly {"error": "<non-empty string>"}.
  bool is_json_error() const;
};

// "work-item-<uuid>", the feed's event id for an item.
std::string event_id(const std::string& uuid);
// "start=…&end=…" with each value percent-encoded as a browser's URLSearchParams does.
std::string encode_query(const std::vector<std::pair<std::string, std::string>>& params);

class BrowserSession {
 public:
  explicit BrowserSession(int port, std::string host = "127.0.0.1");
  ~BrowserSession();
  BrowserSession(BrowserSession&&) noexcept;
  BrowserSession& operator=(BrowserSession&&) noexcept;

  // POST /accounts/login/ as a form; the password defaults to the username.
  HttpResponse login(const std::string& username, std::optional<std::string> password = std::nullopt);
  HttpResponse logout();

  // Any request; adds the cookie jar, and X-CSRFToken (from the csrftoken cookie,
  // or the override) on unsafe methods. `path` is sent as is (already encoded).
  HttpResponse request(const std::string& method, const std::string& path, const std::string& body = "",
                       const std::string& content_type = "", const httplib::Headers& extra_headers = {});
  HttpResponse get(const std::string& path) { return request("GET", path); }

  // GET /oobc-management/calendar/feed/?<query>; `query` already encoded.
  HttpResponse feed_response(const std::string& query);
  // The feed's event ids ("work-item-<uuid>"), in order. Throws std::runtime_error unless 200.
  std::vector<std::string> feed(const std::string& query);
  // Whether the feed for `query` shows the item `uuid`. Throws unless 200.
  bool shows(const std::string& query, const std::string& uuid);

  HttpResponse create(const nlohmann::json& item);                                 // POST …/work-items/
  HttpResponse patch(const std::string& uuid, const nlohmann::json& fields);       // PATCH …/<uuid>/
  HttpResponse del(const std::string& uuid);                                       // DELETE …/<uuid>/delete/
  int modal(const std::string& uuid);                                              // GET …/<uuid>/modal/ → status

  // The cookie jar.
  std::string cookie(const std::string& name) const;  // "" when absent
  void set_cookie(const std::string& name, const std::string& value) { cookies_[name] = value; }
  void clear_cookies() { cookies_.clear(); }
  // Send this X-CSRFToken instead of the cookie's (nullopt: the cookie's; "" : none).
  void set_csrf_override(std::optional<std::string> token) { csrf_override_ = std::move(token); }

 private:
  void remember_cookies(const httplib::Headers& headers);

  std::unique_ptr<httplib::Client> client_;
  std::map<std::string, std::string> cookies_;
  std::optional<std::string> csrf_override_;
};

}  // namespace testsupport
