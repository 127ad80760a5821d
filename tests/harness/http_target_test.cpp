// The HTTP target against an in-process calendar-server on a free loopback
// port: sessions, cookies and CSRF, the item endpoints, the clock, the faults,
// concurrency, and make_target's errors.
#include "targets/http_target.h"
#include "run/runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "calendar/cluster.h"
#include "calendar/http_server.h"
#include "calendar/store.h"
#include "harness_fixtures.h"
#include "server_fixture.h"

namespace {

using namespace cachecheck;
using nlohmann::json;
using harnesstest::item_uuid;
using harnesstest::make_item;

// FullCalendar's month view of October 2025, firstDay 1, UTC+08:00.
const std::string kOctober = "start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-11-10T00%3A00%3A00%2B08%3A00";
const std::string kOctoberKey = "calendar_feed:1:None:None:2025-09-29:2025-11-10";

std::vector<calendar::User> users() { return {{1, "alice", "alice"}, {2, "bob", "bob"}}; }

std::vector<Item> items() {
  return {make_item(1, "2025-10-06", "2025-10-08", "task", "in_progress", 1),
          make_item(2, "2025-10-13", "2025-10-15", "project", "not_started", 2),
          make_item(3, "2025-10-20", "2025-10-21", "activity", "completed", 1)};
}

TimeMs t0() { return *parse_instant("2025-10-05T09:00:00Z"); }

std::string url(int port) { return "http://127.0.0.1:" + std::to_string(port); }

std::string header(const Response& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

bool shows(const Response& r, const std::string& uuid) {
  return r.body.find("\"work-item-" + uuid + "\"") != std::string::npos;
}

// The message of the TargetError `fn` throws ("" when it throws none).
template <class Fn>
std::string target_error(Fn&& fn) {
  try {
    fn();
  } catch (const TargetError& e) {
    return e.what();
  }
  return "";
}

struct Server {
  explicit Server(testsupport::ServerConfig config = {}) : fx(std::move(config), users(), items()) {}
  std::unique_ptr<Target> target(TargetConfig config = {}) {
    config.strategy = fx.config().strategy;
    config.workers = fx.config().workers;
    auto t = make_target(url(fx.port()), config);
    t->reset(users(), items(), Visibility::global, t0());
    return t;
  }
  testsupport::ServerFixture fx;
};

TEST(HttpTarget, ParsesEndpoints) {
  std::string error;
  auto ep = parse_http_endpoint("http://127.0.0.1:8080", error);
  ASSERT_TRUE(ep) << error;
  EXPECT_EQ(ep->host, "127.0.0.1");
  EXPECT_EQ(ep->port, 8080);
  EXPECT_EQ(ep->url(), "http://127.0.0.1:8080");
  ep = parse_http_endpoint("http://localhost:1/", error);
  ASSERT_TRUE(ep) << error;
  EXPECT_EQ(ep->host, "localhost");
  ep = parse_http_endpoint("http://[::1]:65535", error);
  ASSERT_TRUE(ep) << error;
  EXPECT_EQ(ep->host, "::1");
  EXPECT_EQ(ep->url(), "http://[::1]:65535");
  for (const char* bad : {"http://", "http://:80", "http://host", "http://host:", "http://host:0", "http://host:65536",
                          "http://host:80/path", "http://host:80//", "http://host:8x", "http://host:+80",
                          "http://host:80?x=1", "http://::1:80", "https://host:80"}) {
    error.clear();
    EXPECT_FALSE(parse_http_endpoint(bad, error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(HttpTarget, RoundTripWithCookiesAndCsrf) {
  Server server({.strategy = "none"});
  auto t = server.target();
  EXPECT_EQ(t->describe(), url(server.fx.port()));
  EXPECT_FALSE(t->deterministic());
  EXPECT_EQ(server.fx.server().session_count(), 2u);  // both users logged in
  EXPECT_EQ(t->now(), t0());
  EXPECT_EQ(server.fx.clock().now(), t0());

  Response f = t->feed(1, kOctober);
  ASSERT_EQ(f.status, 200) << f.body;
  EXPECT_TRUE(shows(f, item_uuid(1)) && shows(f, item_uuid(2)) && shows(f, item_uuid(3))) << f.body;
  EXPECT_EQ(header(f, "cache-control"), "max-age=0, no-cache, no-store, must-revalidate");
  EXPECT_FALSE(header(f, "x-worker").empty());
  EXPECT_FALSE(header(f, "content-type").empty());
  for (auto& [name, value] : f.headers)
    for (char c : name) EXPECT_FALSE(c >= 'A' && c <= 'Z') << name;

  // Filters travel in the raw query string.
  Response tasks = t->feed(1, kOctober + "&type=task");
  ASSERT_EQ(tasks.status, 200);
  EXPECT_TRUE(shows(tasks, item_uuid(1)));
  EXPECT_FALSE(shows(tasks, item_uuid(2)));
  EXPECT_EQ(t->feed(1, kOctober + "&type=nonsense").status, 400);

  EXPECT_EQ(t->modal(2, item_uuid(1)).status, 200);
  EXPECT_EQ(t->modal(2, item_uuid(99)).status, 404);
  EXPECT_EQ(t->modal(2, "not a uuid/../x").status, 404);

  // Unsafe methods: the CSRF header is sent (else 403).
  Response c = t->create(1, json{{"title", "New"}, {"work_type", "task"}, {"status", "not_started"},
                                 {"start_date", "2025-10-09"}, {"due_date", "2025-10-10"}});
  ASSERT_EQ(c.status, 201) << c.body;
  std::string id = json::parse(c.body).at("id").get<std::string>();
  EXPECT_EQ(json::parse(c.body).at("owner_id"), 1);  // acting as alice
  EXPECT_TRUE(shows(t->feed(2, kOctober), id));

  Response p = t->patch(1, id, json{{"title", "Renamed"}});
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(json::parse(p.body).at("title"), "Renamed");
  EXPECT_EQ(t->patch(2, id, json{{"title", "Not mine"}}).status, 403);  // bob is not owner/assignee

  Response d = t->remove(1, item_uuid(1));
  ASSERT_EQ(d.status, 200) << d.body;
  EXPECT_NE(d.body.find(item_uuid(1)), std::string::npos);
  EXPECT_NE(header(d, "hx-trigger").find("workItemDeleted"), std::string::npos);
  EXPECT_EQ(t->modal(1, item_uuid(1)).status, 404);
  EXPECT_FALSE(shows(t->feed(2, kOctober), item_uuid(1)));

  // A user outside the reset is the harness's mistake.
  EXPECT_NE(target_error([&] { t->feed(7, kOctober); }).find("user 7"), std::string::npos);

  // reset() again: data back, new sessions.
  t->reset(users(), items(), Visibility::assigned, t0() + 1000);
  EXPECT_EQ(t->modal(1, item_uuid(1)).status, 200);
  EXPECT_EQ(t->modal(2, id).status, 404);
  EXPECT_EQ(server.fx.server().session_count(), 2u);
  EXPECT_EQ(server.fx.clock().now(), t0() + 1000);
  Response bob = t->feed(2, kOctober);  // assigned: bob sees his own item only
  ASSERT_EQ(bob.status, 200);
  EXPECT_TRUE(shows(bob, item_uuid(2)));
  EXPECT_FALSE(shows(bob, item_uuid(1)));
}

TEST(HttpTarget, SetNowMovesTheServerClockAndExpiresTheTtl) {
  Server server({.strategy = "ttl-only", .ttl_s = 60});
  auto t = server.target();
  Response first = t->feed(1, kOctober);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(header(first, "x-cache"), "MISS");
  ASSERT_EQ(t->remove(1, item_uuid(1)).status, 200);

  Response cached = t->feed(1, kOctober);
  EXPECT_EQ(header(cached, "x-cache"), "HIT");
  EXPECT_TRUE(shows(cached, item_uuid(1)));  // ttl-only: the delete invalidates nothing

  t->set_now(t0() + 59'500);  // ms precision
  EXPECT_EQ(server.fx.clock().now(), t0() + 59'500);
  EXPECT_EQ(t->now(), t0() + 59'500);
  EXPECT_EQ(header(t->feed(1, kOctober), "x-cache"), "HIT");

  t->set_now(t0() + 61'000);
  EXPECT_EQ(server.fx.clock().now(), t0() + 61'000);
  Response expired = t->feed(1, kOctober);
  EXPECT_EQ(header(expired, "x-cache"), "MISS");
  EXPECT_FALSE(shows(expired, item_uuid(1)));

  // The same instant again sends nothing: a clock moved behind the target's back stays.
  server.fx.clock().set(t0() + 5'000'000);
  t->set_now(t0() + 61'000);
  EXPECT_EQ(server.fx.clock().now(), t0() + 5'000'000);
}

TEST(HttpTarget, FaultsAndStats) {
  Server server({.strategy = "ttl-only", .workers = 2});
  auto t = server.target();
  auto* http = dynamic_cast<HttpTarget*>(t.get());
  ASSERT_NE(http, nullptr);
  EXPECT_TRUE(http->config_notes().empty());

  t->route(1);
  EXPECT_EQ(server.fx.server().pinned_worker(), std::optional<std::size_t>(1));
  t->route(2);  // modulo the server's 2 workers, as in-process
  EXPECT_EQ(server.fx.server().pinned_worker(), std::optional<std::size_t>(0));
  Response f = t->feed(1, kOctober);
  EXPECT_EQ(header(f, "x-worker"), "0");
  EXPECT_EQ(header(f, "x-cache"), "MISS");
  EXPECT_EQ(header(t->feed(1, kOctober), "x-cache"), "HIT");

  EXPECT_EQ(t->evict({kOctoberKey, "calendar_feed:nothing"}), 1u);
  EXPECT_EQ(header(t->feed(1, kOctober), "x-cache"), "MISS");

  t->flush();
  EXPECT_EQ(header(t->feed(1, kOctober), "x-cache"), "MISS");
  EXPECT_EQ(t->evict_random(10, 42), 1u);  // the one key there is
  EXPECT_EQ(t->evict_random(10, 42), 0u);

  t->route(std::nullopt);
  EXPECT_EQ(server.fx.server().pinned_worker(), std::nullopt);

  json st = t->stats();
  ASSERT_TRUE(st.contains("cache")) << st.dump();
  EXPECT_GE(st["cache"]["hits"].get<long long>(), 1);
  EXPECT_GE(st["cache"]["misses"].get<long long>(), 3);
  EXPECT_GE(st["requests"].get<long long>(), 4);  // the feeds above
  EXPECT_TRUE(st.contains("db"));

  // A config that differs from the server's is reported, not refused.
  auto other = make_target(url(server.fx.port()), TargetConfig{.workers = 3});
  auto* notes = dynamic_cast<HttpTarget*>(other.get());
  ASSERT_NE(notes, nullptr);
  ASSERT_EQ(notes->config_notes().size(), 1u);
  EXPECT_NE(notes->config_notes()[0].find("2 worker"), std::string::npos);
}

TEST(HttpTarget, RunConcurrentlyRunsEveryTask) {
  Server server({.strategy = "none"});
  auto t = server.target();
  std::atomic<int> ok{0};
  std::vector<std::function<void()>> tasks;
  for (int i = 0; i < 6; ++i) {  // two users, three tasks each: the same user concurrently too
    tasks.push_back([&, i] {
      UserId user = i % 2 + 1;
      if (t->feed(user, kOctober).status == 200 && t->modal(user, item_uuid(2)).status == 200) ++ok;
    });
  }
  EXPECT_TRUE(t->run_concurrently(std::move(tasks), 7).empty());
  EXPECT_EQ(ok.load(), 6);

  // A write and reads at once; the write lands.
  std::vector<std::function<void()>> race;
  race.push_back([&] { EXPECT_EQ(t->remove(1, item_uuid(3)).status, 200); });
  race.push_back([&] { EXPECT_EQ(t->feed(1, kOctober).status, 200); });
  race.push_back([&] { EXPECT_EQ(t->feed(2, kOctober).status, 200); });
  t->run_concurrently(std::move(race), 8);
  EXPECT_EQ(t->modal(2, item_uuid(3)).status, 404);

  // Every task runs even when one throws; the exception comes back.
  std::atomic<int> ran{0};
  std::vector<std::function<void()>> failing;
  failing.push_back([&] { ++ran; throw std::runtime_error("boom"); });
  failing.push_back([&] { ++ran; });
  failing.push_back([&] { ++ran; t->feed(2, kOctober); });
  try {
    t->run_concurrently(std::move(failing), 9);
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "boom");
  }
  EXPECT_EQ(ran.load(), 3);
}

// The runner plays a script over HTTP as it does in-process: the seed's bug
// (sweep + FullCalendar's padded range) shows after a delete and a hard refresh.
TEST(HttpTarget, TheRunnerPlaysAScriptOverHttp) {
  Server server({.strategy = "sweep"});
  auto t = server.target();
  Script script;
  script.setup.users = users();
  script.setup.items = items();
  script.setup.start_time = t0();
  Step open;
  open.action = Action::open;
  open.user = 1;
  open.tab = "alice-1";
  open.setup.utc_offset_min = 480;
  open.setup.focus = *Date::parse("2025-10-15");
  Step remove = open;
  remove.action = Action::remove;
  remove.item = item_uuid(1);
  Step hard = open;
  hard.action = Action::hard_refresh;
  script.steps = {open, remove, hard};
  RunOutput out = run_script(*t, script, 1, std::nullopt);
  ASSERT_EQ(out.history.ops.size(), 3u);
  const Op& last = out.history.ops[2];
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(last.layer, Layer::server_cache);
  EXPECT_TRUE(std::any_of(last.shown.begin(), last.shown.end(),
                          [](const ShownEvent& e) { return e.item_id == item_uuid(1); }));
  EXPECT_EQ(out.history.ops[1].deleted, std::vector<std::string>{item_uuid(1)});
  EXPECT_EQ(server.fx.clock().now(), t->now());
}

TEST(HttpTarget, MakeTargetRefusesBadSpecs) {
  EXPECT_EQ(make_target("in-process", {})->describe(), "in-process");
  auto ftp = target_error([] { make_target("ftp://x", {}); });
  EXPECT_NE(ftp.find("unknown target 'ftp://x'"), std::string::npos) << ftp;
  EXPECT_NE(ftp.find("in-process or http://HOST:PORT"), std::string::npos) << ftp;
  EXPECT_FALSE(target_error([] { make_target("", {}); }).empty());
  EXPECT_FALSE(target_error([] { make_target("http://", {}); }).empty());
  EXPECT_FALSE(target_error([] { make_target("http://127.0.0.1:0", {}); }).empty());
  EXPECT_FALSE(target_error([] { make_target("http://127.0.0.1:8080/calendar", {}); }).empty());

  auto started = std::chrono::steady_clock::now();
  auto unreachable = target_error([] { make_target("http://127.0.0.1:1", {}); });
  EXPECT_NE(unreachable.find("cannot reach http://127.0.0.1:1"), std::string::npos) << unreachable;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

// A server built directly, with or without --admin and the manual clock.
struct BareServer {
  BareServer(bool admin, bool manual, int read_timeout_s = 5)
      : clock(t0()), store(clock), cluster(calendar::ClusterConfig{}, store, clock) {
    calendar::HttpServerOptions options;
    options.admin = admin;
    options.read_timeout_s = read_timeout_s;
    server = std::make_unique<calendar::HttpServer>(cluster, manual ? &clock : nullptr, options);
    if (!server->start_in_background(0)) throw std::runtime_error("server did not start");
  }
  calendar::ManualClock clock;
  calendar::Store store;
  calendar::Cluster cluster;
  std::unique_ptr<calendar::HttpServer> server;
};

TEST(HttpTarget, MakeTargetNamesTheMissingServerFlags) {
  {
    BareServer bare(false, true);
    auto e = target_error([&] { make_target(url(bare.server->port()), {}); });
    EXPECT_NE(e.find("--admin"), std::string::npos) << e;
  }
  {
    BareServer bare(true, false);
    auto e = target_error([&] { make_target(url(bare.server->port()), {}); });
    EXPECT_NE(e.find("--clock manual"), std::string::npos) << e;
  }
}

TEST(HttpTarget, AServerThatGoesAwayIsATargetError) {
  auto bare = std::make_unique<BareServer>(true, true, 1);
  std::string base = url(bare->server->port());
  auto t = make_target(base, {});
  t->reset(users(), items(), Visibility::global, t0());
  ASSERT_EQ(t->feed(1, kOctober).status, 200);
  // The server closes idle keep-alive connections after 5 s: the next requests,
  // POST included, open new ones.
  std::this_thread::sleep_for(std::chrono::milliseconds(5500));
  EXPECT_EQ(t->create(1, json{{"title", "After a pause"}, {"work_type", "task"}, {"status", "not_started"},
                              {"start_date", "2025-10-09"}, {"due_date", "2025-10-10"}})
                .status,
            201);
  EXPECT_EQ(t->feed(1, kOctober).status, 200);
  EXPECT_EQ(t->stats().value("workers", 0), 1);
  // Before any reset/set_now, now() is the server's clock.
  bare->clock.set(t0() + 12'345);
  EXPECT_EQ(make_target(base, {})->now(), t0() + 12'345);
  bare.reset();
  auto e = target_error([&] { t->feed(1, kOctober); });
  EXPECT_NE(e.find("cannot reach " + base), std::string::npos) << e;
  e = target_error([&] { t->stats(); });
  EXPECT_NE(e.find("cannot reach " + base), std::string::npos) << e;
}

}  // namespace
