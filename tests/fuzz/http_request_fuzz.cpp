// One connection's bytes through the whole HTTP layer, without a socket
// (HttpServer::serve_bytes): framing checks, httplib's parser, routes,
// sessions, CSRF, the item endpoints, the feed and the admin API.
// "@SESSION@" and "@CSRF@" in an input become a live session's cookie values,
// so inputs reach the handlers behind the login.
// Finds: crashes, sanitizer reports, and any 500 (bad input must be a 4xx).
#include <cstddef>
#include <cstdint>
#include <string>

#include "calendar/cluster.h"
#include "calendar/demo_fixture.h"
#include "calendar/http_server.h"
#include "calendar/reset_data.h"
#include "calendar/store.h"

namespace {

using namespace calendar;

constexpr TimeMs kStart = 1'759'654'800'000;  // 2025-10-05T09:00:00Z

struct World {
  ManualClock clock{kStart};
  Store store{clock};
  Cluster cluster{ClusterConfig{}, store, clock};
  HttpServer server{cluster, &clock, options()};

  static HttpServerOptions options() {
    HttpServerOptions o;
    o.admin = true;
    return o;
  }
};

std::string cookie_value(const std::string& response, const std::string& name) {
  auto at = response.find("Set-Cookie: " + name + "=");
  if (at == std::string::npos) return "";
  at += 13 + name.size();
  return response.substr(at, response.find(';', at) - at);
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

// Every response's status; traps on a 500. 1xx interim responses have no body.
void check_statuses(const std::string& out) {
  std::size_t at = 0;
  while (at + 12 <= out.size() && out.compare(at, 9, "HTTP/1.1 ") == 0) {
    const int status = std::stoi(out.substr(at + 9, 3));
    if (status == 500) __builtin_trap();
    auto head_end = out.find("\r\n\r\n", at);
    if (head_end == std::string::npos) return;
    std::size_t length = 0;
    auto cl = out.find("Content-Length: ", at);
    if (status >= 200 && cl != std::string::npos && cl < head_end) length = std::stoul(out.substr(cl + 16));
    at = head_end + 4 + length;
  }
}

std::string post(const std::string& path, const std::string& type, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World world;
  static const std::string reset =
      post("/__admin/reset", "application/json", reset_to_json(ResetData{demo_users(), demo_items(), {}}).dump());
  // Every input starts from the same state: the fixture, no sessions but one
  // (an input's leftovers would look like leaks to libFuzzer, and make runs
  // depend on each other).
  world.clock.set(kStart);
  world.server.serve_bytes(reset);
  const std::string login = world.server.serve_bytes(
      post("/accounts/login/", "application/x-www-form-urlencoded", "username=alice&password=alice"));
  std::string input(reinterpret_cast<const char*>(data), size);
  replace_all(input, "@SESSION@", cookie_value(login, "sessionid"));
  replace_all(input, "@CSRF@", cookie_value(login, "csrftoken"));
  check_statuses(world.server.serve_bytes(std::move(input)));
  return 0;
}
