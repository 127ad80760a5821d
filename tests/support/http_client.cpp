#include "http_client.h"

#include "calendar/cookie_jar.h"

#include <stdexcept>

namespace testsupport {
namespace {

constexpr const char* kFeedPath = "/oobc-management/calendar/feed/";
constexpr const char* kItemsPath = "/oobc-management/work-items/";

bool unsafe(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

nlohmann::json HttpResponse::json() const { return nlohmann::json::parse(body); }

bool HttpResponse::is_json_error() const {
  auto j = nlohmann::json::parse(body, nullptr, false);
  return j.is_object() && j.size() == 1 && j.contains("error") && j["error"].is_string() &&
         !j["error"].get<std::string>().empty();
}

std::string event_id(const std::string& uuid) { return "work-item-" + uuid; }

std::string encode_query(const std::vector<std::pair<std::string, std::string>>& params) {
  auto encode = [](const std::string& s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '*' || c == '-' ||
          c == '.' || c == '_') {
        out += static_cast<char>(c);
      } else if (c == ' ') {
        out += '+';
      } else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
      }
    }
    return out;
  };
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += encode(k);
    out += '=';
    out += encode(v);
  }
  return out;
}

BrowserSession::BrowserSession(int port, std::string host)
    : client_(std::make_unique<httplib::Client>(host, port)) {
  client_->set_connection_timeout(5, 0);
  client_->set_read_timeout(5, 0);
  client_->set_write_timeout(5, 0);
  client_->set_keep_alive(true);
  client_->set_tcp_nodelay(true);
  client_->set_url_encode(false);
}

BrowserSession::~BrowserSession() = default;
BrowserSession::BrowserSession(BrowserSession&&) noexcept = default;
BrowserSession& BrowserSession::operator=(BrowserSession&&) noexcept = default;

HttpResponse BrowserSession::request(const std::string& method, const std::string& path, const std::string& body,
                                     const std::string& content_type, const httplib::Headers& extra_headers) {
  httplib::Request req;
  req.method = method;
  req.path = path;
  req.body = body;
  if (!content_type.empty()) req.headers.emplace("Content-Type", content_type);
  std::string cookie_header;
  for (const auto& [name, value] : cookies_) {
    if (!cookie_header.empty()) cookie_header += "; ";
    cookie_header += name;
    cookie_header += '=';
    cookie_header += value;
  }
  if (!cookie_header.empty()) req.headers.emplace("Cookie", cookie_header);
  if (unsafe(method)) {
    std::string token = csrf_override_ ? *csrf_override_ : cookie("csrftoken");
    if (!token.empty()) req.headers.emplace("X-CSRFToken", token);
  }
  for (const auto& h : extra_headers) req.headers.insert(h);

  HttpResponse out;
  auto result = client_->send(req);
  if (!result) {
    out.error = httplib::to_string(result.error());
    return out;
  }
  out.status = result->status;
  out.body = result->body;
  out.headers = result->headers;
  remember_cookies(out.headers);
  return out;
}

void BrowserSession::remember_cookies(const httplib::Headers& headers) {
  auto [begin, end] = headers.equal_range("Set-Cookie");
  for (auto it = begin; it != end; ++it) calendar::apply_set_cookie(cookies_, it->second);
}

std::string BrowserSession::cookie(const std::string& name) const {
  auto it = cookies_.find(name);
  return it == cookies_.end() ? "" : it->second;
}

HttpResponse BrowserSession::login(const std::string& username, std::optional<std::string> password) {
  std::string body = encode_query({{"username", username}, {"password", password.value_or(username)}});
  return request("POST", "/accounts/login/", body, "application/x-www-form-urlencoded");
}

HttpResponse BrowserSession::logout() { return request("POST", "/accounts/logout/"); }

HttpResponse BrowserSession::feed_response(const std::string& query) {
  return request("GET", std::string(kFeedPath) + (query.empty() ? "" : "?" + query));
}

std::vector<std::string> BrowserSession::feed(const std::string& query) {
  HttpResponse r = feed_response(query);
  if (r.status != 200)
    throw std::runtime_error("feed ?" + query + " answered " + std::to_string(r.status) + " " + r.error + r.body);
  std::vector<std::string> ids;
  for (const auto& event : r.json()) ids.push_back(event.at("id").get<std::string>());
  return ids;
}

bool BrowserSession::shows(const std::string& query, const std::string& uuid) {
  for (const auto& id : feed(query))
    if (id == event_id(uuid)) return true;
  return false;
}

HttpResponse BrowserSession::create(const nlohmann::json& item) {
  return request("POST", kItemsPath, item.dump(), "application/json");
}

HttpResponse BrowserSession::patch(const std::string& uuid, const nlohmann::json& fields) {
  return request("PATCH", std::string(kItemsPath) + uuid + "/", fields.dump(), "application/json");
}

HttpResponse BrowserSession::del(const std::string& uuid) {
  return request("DELETE", std::string(kItemsPath) + uuid + "/delete/");
}

int BrowserSession::modal(const std::string& uuid) {
  return request("GET", std::string(kItemsPath) + uuid + "/modal/").status;
}

}  // namespace testsupport
