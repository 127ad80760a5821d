// http/calendar-server/memory and http/trivial/memory: feed hits per second
// over loopback, one keep-alive connection (httplib::Client, TCP_NODELAY), one
// request at a time.
//   calendar-server: an in-process calendar::HttpServer (strategy `robust`,
//                    memory cache, real clock, HTTP caching "never"), logged in as
//                    alice; GET of FullCalendar's October 2025 feed, a cache hit.
//   trivial:         a bare httplib::Server on another free port whose only
//                    handler returns the same body bytes as application/json
//                    (same TCP_NODELAY and keep-alive limit as calendar-server).
//   trivial-same-headers: the same, also sending calendar-server's response headers
//                    and receiving its cookie: the same bytes both ways, so the gap
//                    to calendar-server is server-side work only.
// All use the same client code; the ratio of their rates is the server's overhead.
#include <httplib.h>

#include <memory>
#include <thread>

#include "bench_env.h"
#include "browser/fullcalendar.h"
#include "calendar/cluster.h"
#include "calendar/http_server.h"
#include "http_client.h"

namespace bench {
namespace {

const std::string kFeedPath = "/oobc-management/calendar/feed/";

std::string october_path() {
  using cachecheck::ClientModel;
  auto r = cachecheck::view_range(ClientModel::fullcalendar_month, cachecheck::Date::from_days(bench_today().days()), 1);
  return kFeedPath + "?" + cachecheck::feed_query_string(r, ClientModel::fullcalendar_month, 480);
}

std::unique_ptr<httplib::Client> keep_alive_client(int port) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
  c->set_keep_alive(true);
  c->set_tcp_nodelay(true);
  c->set_connection_timeout(5, 0);
  c->set_read_timeout(5, 0);
  c->set_url_encode(false);
  return c;
}

// Runs GET `path` in the loop; the response must be 200 with `expected_body`.
void hammer(benchmark::State& state, httplib::Client& client, const std::string& path,
            const httplib::Headers& headers, const std::string& expected_body) {
  auto check = client.Get(path, headers);
  if (!check || check->status != 200 || check->body != expected_body) {
    state.SkipWithError(check ? ("unexpected answer " + std::to_string(check->status)).c_str()
                              : "no answer from the server");
    return;
  }
  std::uint64_t n = 0;
  const auto t0 = WallClock::now();
  for (auto _ : state) {
    auto r = client.Get(path, headers);
    if (!r || r->status != 200) {
      state.SkipWithError("a request failed");
      break;
    }
    benchmark::DoNotOptimize(r->body.data());
    ++n;
  }
  const double wall = seconds_since(t0);
  state.counters["items_per_second"] = wall > 0 ? static_cast<double>(n) / wall : 0.0;
  state.counters["bytes"] = static_cast<double>(expected_body.size());
}

// The calendar server, logged in; shared by both benchmarks so that the trivial
// handler returns exactly the body the calendar server sends.
struct CalendarServer {
  calendar::RealClock clock;
  calendar::Store store{clock};
  std::unique_ptr<calendar::Cluster> cluster;
  std::unique_ptr<calendar::HttpServer> server;
  std::string cookie, body, error;
  httplib::Headers headers;  // of a feed hit, as the client received them

  CalendarServer() {
    calendar::ClusterConfig cc;
    cc.strategy = "robust";
    cc.cache = "memory";
    cluster = std::make_unique<calendar::Cluster>(cc, store, clock);
    cluster->reset(bench_users(3), calendar_items(), calendar::Visibility::global);
    server = std::make_unique<calendar::HttpServer>(*cluster, nullptr);
    if (!server->start_in_background(0)) {
      error = "calendar-server could not start";
      return;
    }
    testsupport::BrowserSession session(server->port());
    auto login = session.login("alice");
    if (login.status != 200) {
      error = "login failed: " + std::to_string(login.status);
      return;
    }
    cookie = "sessionid=" + session.cookie("sessionid") + "; csrftoken=" + session.cookie("csrftoken");
    auto warm = session.get(october_path());
    if (warm.status != 200) {
      error = "the feed answered " + std::to_string(warm.status);
      return;
    }
    body = warm.body;
    auto again = session.get(october_path());
    if (again.header("X-Cache") != "HIT") error = "the second feed request was not a cache hit";
    headers = again.headers;
  }
  ~CalendarServer() {
    if (server) server->stop();
  }
};

void http_calendar(benchmark::State& state) {
  CalendarServer cs;
  if (!cs.error.empty()) {
    state.SkipWithError(cs.error.c_str());
    return;
  }
  auto client = keep_alive_client(cs.server->port());
  hammer(state, *client, october_path(), {{"Cookie", cs.cookie}}, cs.body);
  state.SetLabel("calendar-server feed hit (robust, memory), keep-alive");
}

// `same_headers`: the handler also sends the calendar server's response headers
// (Cache-Control, Date, X-Worker, X-Cache) and the client the same cookie, so
// that both exchange the same bytes and only the server-side work differs.
void http_trivial(benchmark::State& state, bool same_headers) {
  std::string body, cookie = "sessionid=x";
  httplib::Headers extra;
  {
    CalendarServer cs;  // for the exact bytes
    if (!cs.error.empty()) {
      state.SkipWithError(cs.error.c_str());
      return;
    }
    body = cs.body;
    if (same_headers) {
      cookie = cs.cookie;
      for (const auto& [k, v] : cs.headers)
        if (k != "Content-Type" && k != "Content-Length" && k != "Keep-Alive" && k != "Connection") extra.emplace(k, v);
    }
  }
  httplib::Server svr;
  // The calendar server's connection settings (http_server.cpp): TCP_NODELAY and
  // 1000 requests per keep-alive connection (httplib's default is 5, which would
  // make the baseline reconnect every 5 requests).
  svr.set_tcp_nodelay(true);
  svr.set_keep_alive_max_count(1000);
  svr.Get(kFeedPath, [&body, &extra](const httplib::Request&, httplib::Response& res) {
    for (const auto& [k, v] : extra) res.set_header(k, v);
    res.set_content(body, "application/json");
  });
  const int port = svr.bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    state.SkipWithError("the trivial server could not bind");
    return;
  }
  std::thread thread([&svr] { svr.listen_after_bind(); });
  // bind_to_any_port already listens: connections queue until the accept loop runs.
  {
    auto client = keep_alive_client(port);
    hammer(state, *client, october_path(), {{"Cookie", cookie}}, body);
  }
  svr.stop();
  thread.join();
  state.SetLabel(same_headers ? "bare cpp-httplib handler, same body, headers and cookie, keep-alive"
                              : "bare cpp-httplib handler returning the same body, keep-alive");
}

}  // namespace

void register_http_benchmarks(const Selection& sel) {
  if (!sel.memory) return;
  benchmark::RegisterBenchmark("http/calendar-server/memory", http_calendar)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("http/trivial/memory", [](benchmark::State& st) { http_trivial(st, false); })
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("http/trivial-same-headers/memory",
                               [](benchmark::State& st) { http_trivial(st, true); })
      ->Unit(benchmark::kMicrosecond);
}

}  // namespace bench
