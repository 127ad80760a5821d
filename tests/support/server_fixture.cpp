#include "server_fixture.h"

#include <stdexcept>

#include "calendar/demo_fixture.h"

namespace testsupport {

std::string describe(const ServerConfig& c) {
  std::string cache = c.cache == "memory" ? "memory" : "redis";
  std::string name = c.strategy + "_" + cache + "_w" + std::to_string(c.workers);
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

ServerFixture::ServerFixture(ServerConfig config, std::vector<calendar::User> users,
                             std::vector<calendar::WorkItem> items)
    : config_(std::move(config)) {
  auto start = calendar::parse_instant(config_.now);
  if (!start) throw std::runtime_error("bad ServerConfig::now '" + config_.now + "'");
  clock_ = std::make_unique<calendar::ManualClock>(*start);
  store_ = std::make_unique<calendar::Store>(*clock_);
  calendar::ClusterConfig cc;
  cc.strategy = config_.strategy;
  cc.cache = config_.cache;
  cc.cache_capacity = config_.cache_capacity;
  cc.ttl_s = config_.ttl_s;
  cc.visibility = config_.visibility;
  cc.workers = config_.workers;
  cc.pipeline = config_.pipeline;
  cluster_ = std::make_unique<calendar::Cluster>(cc, *store_, *clock_);

  calendar::HttpServerOptions options = config_.server;
  options.admin = true;
  std::string error;
  auto policy = calendar::parse_http_cache(config_.http_cache, error);
  if (!policy) throw std::runtime_error(error);
  options.http_cache = *policy;
  server_ = std::make_unique<calendar::HttpServer>(*cluster_, clock_.get(), options);
  if (!server_->start_in_background(0)) throw std::runtime_error("the HTTP server did not start");
  admin_ = std::make_unique<BrowserSession>(port());

  if (users.empty() && items.empty()) {
    users = calendar::demo_users();
    items = calendar::demo_items();
  }
  reset(users, items);
}

ServerFixture::~ServerFixture() {
  admin_.reset();  // close its keep-alive connection first, so stop() does not wait for it
  if (server_) server_->stop();
}

BrowserSession ServerFixture::logged_in(const std::string& username) const {
  BrowserSession s(port());
  auto r = s.login(username);
  if (r.status != 200)
    throw std::runtime_error("login as " + username + " answered " + std::to_string(r.status) + " " + r.error +
                             r.body);
  return s;
}

HttpResponse ServerFixture::admin(const std::string& method, const std::string& path, const nlohmann::json& body) {
  auto r = admin_->request(method, path, body.is_null() ? "" : body.dump(), body.is_null() ? "" : "application/json");
  if (r.status != 200)
    throw std::runtime_error(method + " " + path + " answered " + std::to_string(r.status) + " " + r.error + r.body);
  return r;
}

void ServerFixture::reset(const std::vector<calendar::User>& users, const std::vector<calendar::WorkItem>& items,
                          std::optional<calendar::Visibility> visibility) {
  calendar::ResetData data{users, items, visibility};
  admin("POST", "/__admin/reset", calendar::reset_to_json(data));
}

void ServerFixture::advance(double seconds) { admin("POST", "/__admin/clock", {{"advance_s", seconds}}); }

void ServerFixture::route(std::optional<int> worker) {
  admin("POST", "/__admin/route", {{"worker", worker ? nlohmann::json(*worker) : nlohmann::json(nullptr)}});
}

nlohmann::json ServerFixture::stats() { return admin("GET", "/__admin/stats").json(); }

}  // namespace testsupport
