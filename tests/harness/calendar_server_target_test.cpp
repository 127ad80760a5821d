// `--target http://HOST:PORT`: the reference server's built-in spec
// (targets/calendar-server.yaml) driven by the spec target, against an in-process
// calendar-server on a free loopback port: sessions, cookies and CSRF, the item
// endpoints, the clock, the faults, concurrency, and make_target's errors.
#include "targets/calendar_server.h"
#include "targets/http_endpoint.h"
#include "model/oracle.h"
#include "run/matrix.h"
#include "run/runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "calendar/cluster.h"
#include "calendar/http_server.h"
#include "calendar/store.h"
#include "harness_fixtures.h"
#include "server_fixture.h"
#include "targets/in_process/in_process_target.h"

namespace {

using namespace cachecheck;
using nlohmann::json;
using harnesstest::item_uuid;
using harnesstest::kOctober;
using harnesstest::make_item;
const std::string kOctoberKey = "calendar_feed:1:None:None:2025-09-29:2025-11-10";

std::vector<User> users() { return {{1, "alice", "alice"}, {2, "bob", "bob"}}; }

std::vector<Item> items() {
  return {make_item(1, "2025-10-06", "2025-10-08", "task", "in_progress", 1),
          make_item(2, "2025-10-13", "2025-10-15", "project", "not_started", 2),
          make_item(3, "2025-10-20", "2025-10-21", "activity", "completed", 1)};
}

TimeMs t0() { return *parse_instant("2025-10-05T09:00:00Z"); }

std::string url(int port) { return "http://127.0.0.1:" + std::to_string(port); }

Fixture fixture(Visibility visibility = Visibility::global, TimeMs start = t0()) {
  return Fixture{users(), items(), visibility, start};
}

// A feed read as the runner sends it: the raw query string and the same read decoded.
FeedRequest feed_request(const std::string& query_string, std::optional<std::string> type = std::nullopt) {
  Query q{*Date::parse("2025-09-29"), *Date::parse("2025-11-10"), std::move(type), std::nullopt};
  return FeedRequest{query_string + (q.type ? "&type=" + *q.type : ""), q};
}

Response feed(Target& t, UserId user, const std::string& query_string = kOctober) {
  return t.client().feed(user, FeedRequest{query_string, Query{}});
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

// A calendar-server on a free port (started with the demo data; target() resets it to ours).
struct Server {
  explicit Server(testsupport::ServerConfig config = {}) : fx(std::move(config)) {}
  std::unique_ptr<Target> target(TargetConfig config = {}) {
    config.strategy = fx.config().strategy;
    config.workers = fx.config().workers;
    auto t = make_target(url(fx.port()), config);
    t->reset(fixture());
    return t;
  }
  testsupport::ServerFixture fx;
};

TEST(CalendarServerTarget, ParsesEndpoints) {
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
                          "http://host:80?x=1", "http://::1:80", "https://host:80", "http://[[>,]:1",
                          "http://[::1%eth0]:80", "http://a,b:80", "http://h\"o:80"}) {
    error.clear();
    EXPECT_FALSE(parse_http_endpoint(bad, error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

// The spec built into the binary is targets/calendar-server.yaml as it is in the
// source tree (the build embeds it), with the base URL set to the target's.
TEST(CalendarServerTarget, IsTheReferenceServersSpecBuiltIn) {
  std::ifstream file(std::string(CACHECHECK_SOURCE_DIR) + "/targets/calendar-server.yaml");
  std::ostringstream text;
  text << file.rdbuf();
  ASSERT_FALSE(text.str().empty());
  EXPECT_EQ(calendar_server_spec_text(), text.str());
  spec::TargetSpec s = calendar_server_spec(HttpEndpoint{"::1", 8081});
  EXPECT_EQ(s.base_urls, std::vector<std::string>{"http://[::1]:8081"});
  EXPECT_EQ(s.name, "http://[::1]:8081");
  EXPECT_EQ(s.semantics, Semantics::reference());
  Capabilities c = SpecTarget::capabilities_of(s, {});
  EXPECT_TRUE(c.reset && c.manual_clock && c.probe);
  EXPECT_EQ(c.faults.size(), 5u);
}

TEST(CalendarServerTarget, RoundTripWithCookiesAndCsrf) {
  Server server({.strategy = "none"});
  auto t = server.target();
  Client& c = t->client();
  EXPECT_EQ(t->describe(), url(server.fx.port()));
  EXPECT_EQ(server.fx.server().session_count(), 2u);  // both users logged in
  EXPECT_EQ(t->clock().now(), t0());
  EXPECT_EQ(server.fx.clock().now(), t0());

  Response f = c.feed(1, feed_request(kOctober));
  ASSERT_EQ(f.status, 200) << f.body;
  EXPECT_TRUE(shows(f, item_uuid(1)) && shows(f, item_uuid(2)) && shows(f, item_uuid(3))) << f.body;
  EXPECT_EQ(f.header("cache-control"), "max-age=0, no-cache, no-store, must-revalidate");
  EXPECT_FALSE(f.header("x-worker").empty());
  EXPECT_FALSE(f.header("content-type").empty());
  EXPECT_TRUE(f.transport_error.empty());
  for (auto& [name, value] : f.headers)
    for (char ch : name) EXPECT_FALSE(ch >= 'A' && ch <= 'Z') << name;
  EXPECT_EQ(read_outcome(f), Outcome::ok);
  EXPECT_EQ(response_error(f), "");
  // The contract's decoders: the events with their item ids and fields, where the answer came from.
  std::vector<ShownEvent> shown = c.decode_feed(f.body);
  ASSERT_EQ(shown.size(), 3u) << f.body;
  std::vector<std::string> ids;
  for (auto& e : shown) ids.push_back(e.item_id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{item_uuid(1), item_uuid(2), item_uuid(3)}));
  auto first = std::find_if(shown.begin(), shown.end(), [](const ShownEvent& e) { return e.item_id == item_uuid(1); });
  ASSERT_NE(first, shown.end());
  EXPECT_EQ(first->title, "Item 1");
  EXPECT_EQ(first->work_type, "task");
  EXPECT_EQ(first->status, "in_progress");
  EXPECT_EQ(first->start.iso(), "2025-10-06");
  EXPECT_EQ(first->end.iso(), "2025-10-08");
  EXPECT_EQ(c.served_by(f), Layer::store);  // strategy none: no feed cache
  EXPECT_EQ(c.worker_of(f), std::optional<int>(0));
  EXPECT_THROW(c.decode_feed("{\"not\": \"a list\"}"), DecodeError);

  // Filters travel in the raw query string.
  Response tasks = c.feed(1, feed_request(kOctober, "task"));
  ASSERT_EQ(tasks.status, 200);
  EXPECT_TRUE(shows(tasks, item_uuid(1)));
  EXPECT_FALSE(shows(tasks, item_uuid(2)));
  Response refused = c.feed(1, feed_request(kOctober, "nonsense"));
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(read_outcome(refused), Outcome::ok);  // a definite answer, not an indeterminate one
  EXPECT_NE(response_error(refused).find("HTTP 400"), std::string::npos) << response_error(refused);

  EXPECT_EQ(c.detail(2, item_uuid(1)).status, 200);
  EXPECT_EQ(c.detail(2, item_uuid(99)).status, 404);
  EXPECT_EQ(c.detail(2, "not a uuid/../x").status, 404);

  // Unsafe methods: the CSRF header is sent (else 403).
  Response created = c.create(1, json{{"title", "New"}, {"work_type", "task"}, {"status", "not_started"},
                                       {"start_date", "2025-10-09"}, {"due_date", "2025-10-10"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(write_outcome(created), Outcome::ok);
  Item item = c.decode_item(created);
  std::string id = item.id;
  EXPECT_EQ(json::parse(created.body).at("id").get<std::string>(), id);
  EXPECT_EQ(item.owner_id, 1);  // acting as alice
  EXPECT_EQ(item.title, "New");
  EXPECT_EQ(item.start_date.iso(), "2025-10-09");
  EXPECT_EQ(item.due_date.iso(), "2025-10-10");
  EXPECT_TRUE(shows(c.feed(2, feed_request(kOctober)), id));

  Response p = c.edit(1, id, json{{"title", "Renamed"}});
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(c.decode_item(p).title, "Renamed");
  EXPECT_EQ(c.decode_item(p).id, id);
  Response not_mine = c.edit(2, id, json{{"title", "Not mine"}});  // bob is not owner/assignee
  EXPECT_EQ(not_mine.status, 403);
  EXPECT_EQ(write_outcome(not_mine), Outcome::failed);  // refused: certainly not done
  EXPECT_FALSE(response_error(not_mine).empty());

  Response d = c.remove(1, item_uuid(1));
  ASSERT_EQ(d.status, 200) << d.body;
  EXPECT_EQ(c.decode_deleted(d), std::vector<std::string>{item_uuid(1)});
  EXPECT_NE(d.header("hx-trigger").find("workItemDeleted"), std::string::npos);
  EXPECT_EQ(c.detail(1, item_uuid(1)).status, 404);
  EXPECT_FALSE(shows(c.feed(2, feed_request(kOctober)), item_uuid(1)));
  Response again = c.remove(1, item_uuid(1));
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(write_outcome(again), Outcome::failed);

  // A user outside the reset is the harness's mistake.
  EXPECT_NE(target_error([&] { feed(*t, 7); }).find("user 7"), std::string::npos);

  // reset() again: data back, new sessions.
  t->reset(fixture(Visibility::assigned, t0() + 1000));
  EXPECT_EQ(c.detail(1, item_uuid(1)).status, 200);
  EXPECT_EQ(c.detail(2, id).status, 404);
  EXPECT_EQ(server.fx.server().session_count(), 2u);
  EXPECT_EQ(server.fx.clock().now(), t0() + 1000);
  EXPECT_EQ(t->clock().now(), t0() + 1000);
  Response bob = feed(*t, 2);  // assigned: bob sees his own item only
  ASSERT_EQ(bob.status, 200);
  EXPECT_TRUE(shows(bob, item_uuid(2)));
  EXPECT_FALSE(shows(bob, item_uuid(1)));

  // A fixture the server refuses is a TargetError naming the reset.
  Fixture bad = fixture();
  bad.items.push_back(bad.items.front());  // the same id twice
  EXPECT_FALSE(target_error([&] { t->reset(bad); }).empty());
}

TEST(CalendarServerTarget, DeclaresWhatTheServerSaysOfItself) {
  Server server({.strategy = "ttl-only", .ttl_s = 60, .workers = 2});
  auto t = server.target();
  const Capabilities& caps = t->capabilities();
  EXPECT_TRUE(caps.reset);
  EXPECT_TRUE(caps.manual_clock);
  EXPECT_TRUE(caps.probe);
  EXPECT_FALSE(caps.deterministic);  // real threads and sockets
  EXPECT_EQ(caps.workers, 2);
  EXPECT_EQ(caps.strategy, "ttl-only");
  ASSERT_TRUE(caps.staleness_bound_s);
  EXPECT_DOUBLE_EQ(*caps.staleness_bound_s, 60);  // ttl-only promises its TTL
  EXPECT_EQ(caps.faults, (std::set<Fault>{Fault::evict, Fault::evict_version, Fault::evict_random, Fault::flush,
                                          Fault::route}));
  EXPECT_EQ(caps.semantics, Semantics::reference());
  EXPECT_NE(t->nemesis(), nullptr);
  EXPECT_NE(t->probe(), nullptr);

  Server none({.strategy = "none"});
  auto fresh = none.target();
  ASSERT_TRUE(fresh->capabilities().staleness_bound_s);
  EXPECT_DOUBLE_EQ(*fresh->capabilities().staleness_bound_s, 0);  // always fresh
  EXPECT_EQ(fresh->capabilities().workers, 1);
}

// The same server, reached in-process or over HTTP, declares the same freshness: with
// --http-cache max-age=N a browser may show an answer N s old, so the bound grows by N.
TEST(CalendarServerTarget, DeclaresTheSameBoundAsTheSameServerInProcess) {
  for (const char* http_cache : {"never", "max-age=60"}) {
    Server server({.strategy = "ttl-only", .ttl_s = 120, .http_cache = http_cache});
    auto over_http = server.target(TargetConfig{.http_cache = http_cache});
    InProcessTarget in_process(TargetConfig{.strategy = "ttl-only", .ttl_s = 120, .http_cache = http_cache});
    EXPECT_EQ(over_http->capabilities().staleness_bound_s, in_process.capabilities().staleness_bound_s) << http_cache;
  }
}

TEST(CalendarServerTarget, SetNowMovesTheServerClockAndExpiresTheTtl) {
  Server server({.strategy = "ttl-only", .ttl_s = 60});
  auto t = server.target();
  Client& c = t->client();
  Response first = feed(*t, 1);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.header("x-cache"), "MISS");
  EXPECT_EQ(c.served_by(first), Layer::store);
  ASSERT_EQ(c.remove(1, item_uuid(1)).status, 200);

  Response cached = feed(*t, 1);
  EXPECT_EQ(cached.header("x-cache"), "HIT");
  EXPECT_EQ(c.served_by(cached), Layer::server_cache);
  EXPECT_TRUE(shows(cached, item_uuid(1)));  // ttl-only: the delete invalidates nothing

  t->clock().set_now(t0() + 59'500);  // ms precision
  EXPECT_EQ(server.fx.clock().now(), t0() + 59'500);
  EXPECT_EQ(t->clock().now(), t0() + 59'500);
  EXPECT_EQ(feed(*t, 1).header("x-cache"), "HIT");

  t->clock().set_now(t0() + 61'000);
  EXPECT_EQ(server.fx.clock().now(), t0() + 61'000);
  Response expired = feed(*t, 1);
  EXPECT_EQ(expired.header("x-cache"), "MISS");
  EXPECT_FALSE(shows(expired, item_uuid(1)));

  // The same instant again sends nothing: a clock moved behind the target's back stays.
  server.fx.clock().set(t0() + 5'000'000);
  t->clock().set_now(t0() + 61'000);
  EXPECT_EQ(server.fx.clock().now(), t0() + 5'000'000);
  // Nor does an earlier one: a manual clock never goes back.
  t->clock().set_now(t0() + 1'000);
  EXPECT_EQ(server.fx.clock().now(), t0() + 5'000'000);
  EXPECT_EQ(t->clock().now(), t0() + 61'000);
}

TEST(CalendarServerTarget, FaultsAndProbe) {
  Server server({.strategy = "ttl-only", .workers = 2});
  auto t = server.target();
  auto* http = dynamic_cast<SpecTarget*>(t.get());
  ASSERT_NE(http, nullptr);
  EXPECT_TRUE(http->config_notes().empty());
  Nemesis& n = *t->nemesis();
  Probe& probe = *t->probe();
  ProbeCounters start = probe.counters();

  n.route(1);
  EXPECT_EQ(server.fx.server().pinned_worker(), std::optional<std::size_t>(1));
  n.route(2);  // modulo the server's 2 workers, as in-process
  EXPECT_EQ(server.fx.server().pinned_worker(), std::optional<std::size_t>(0));
  Response f = feed(*t, 1);
  EXPECT_EQ(f.header("x-worker"), "0");
  EXPECT_EQ(t->client().worker_of(f), std::optional<int>(0));
  EXPECT_EQ(f.header("x-cache"), "MISS");
  EXPECT_EQ(feed(*t, 1).header("x-cache"), "HIT");

  EXPECT_EQ(n.evict({kOctoberKey, "calendar_feed:nothing"}), std::optional<std::size_t>(1));
  EXPECT_EQ(feed(*t, 1).header("x-cache"), "MISS");

  n.flush();
  EXPECT_EQ(feed(*t, 1).header("x-cache"), "MISS");
  EXPECT_EQ(n.evict_random(10, 42), std::optional<std::size_t>(1));  // the one key there is
  EXPECT_EQ(n.evict_random(10, 42), std::optional<std::size_t>(0));
  EXPECT_EQ(n.evict_version(1), std::optional<std::size_t>(0));  // ttl-only keeps no version counter

  n.route(std::nullopt);
  EXPECT_EQ(server.fx.server().pinned_worker(), std::nullopt);

  // The probe: the server's cache and store counters, since the reset.
  ProbeCounters p = probe.counters() - start;
  EXPECT_EQ(p.cache_hits, 1u);
  EXPECT_EQ(p.cache_misses, 3u);
  EXPECT_EQ(p.store_queries, 3u);  // one per miss
  EXPECT_GE(p.cache_sets, 3u);
  EXPECT_GE(p.cache_evictions, 1u);  // the flush dropped the entry there was
  json st = server.fx.stats();
  EXPECT_EQ(probe.counters().cache_hits, st["cache"]["hits"].get<std::uint64_t>());
  EXPECT_EQ(probe.counters().store_queries, st["db"]["queries"].get<std::uint64_t>());

  // A config that differs from the server's is reported, not refused.
  auto other = make_target(url(server.fx.port()), TargetConfig{.workers = 3});
  auto* notes = dynamic_cast<SpecTarget*>(other.get());
  ASSERT_NE(notes, nullptr);
  ASSERT_EQ(notes->config_notes().size(), 1u);
  EXPECT_NE(notes->config_notes()[0].find("runs 2 process(es), not 3"), std::string::npos) << notes->config_notes()[0];
  EXPECT_EQ(other->capabilities().workers, 2);  // what the server has, not what was asked
}

TEST(CalendarServerTarget, EvictVersionEvictsTheUsersVersionCounter) {
  Server server({.strategy = "versioned"});
  auto t = server.target();
  ASSERT_EQ(feed(*t, 1).header("x-cache"), "MISS");
  ASSERT_EQ(feed(*t, 1).header("x-cache"), "HIT");
  ASSERT_EQ(t->client().edit(1, item_uuid(1), json{{"title", "Renamed"}}).status, 200);  // versioned: incr
  EXPECT_EQ(t->nemesis()->evict_version(1), std::optional<std::size_t>(1));
  EXPECT_EQ(t->nemesis()->evict_version(1), std::optional<std::size_t>(0));  // already gone
  EXPECT_EQ(t->nemesis()->evict_version(std::nullopt), std::optional<std::size_t>(0));  // versioned has no global one
  // The rollback: the version restarts at 0, and the entry cached under it comes back.
  Response back = feed(*t, 1);
  EXPECT_EQ(back.header("x-cache"), "HIT");
  auto shown = t->client().decode_feed(back.body);
  auto it = std::find_if(shown.begin(), shown.end(), [](const ShownEvent& e) { return e.item_id == item_uuid(1); });
  ASSERT_NE(it, shown.end());
  EXPECT_EQ(it->title, "Item 1");
}

TEST(CalendarServerTarget, RunConcurrentlyRunsEveryTask) {
  Server server({.strategy = "none"});
  auto t = server.target();
  std::atomic<int> ok{0};
  std::vector<std::function<void()>> tasks;
  for (int i = 0; i < 6; ++i) {  // two users, three tasks each: the same user concurrently too
    tasks.push_back([&, i] {
      UserId user = i % 2 + 1;
      if (feed(*t, user).status == 200 && t->client().detail(user, item_uuid(2)).status == 200) ++ok;
    });
  }
  EXPECT_TRUE(t->run_concurrently(std::move(tasks), 7).empty());
  EXPECT_EQ(ok.load(), 6);

  // A write and reads at once; the write lands.
  std::vector<std::function<void()>> race;
  race.push_back([&] { EXPECT_EQ(t->client().remove(1, item_uuid(3)).status, 200); });
  race.push_back([&] { EXPECT_EQ(feed(*t, 1).status, 200); });
  race.push_back([&] { EXPECT_EQ(feed(*t, 2).status, 200); });
  t->run_concurrently(std::move(race), 8);
  EXPECT_EQ(t->client().detail(2, item_uuid(3)).status, 404);

  // Every task runs even when one throws; the exception comes back.
  std::atomic<int> ran{0};
  std::vector<std::function<void()>> failing;
  failing.push_back([&] { ++ran; throw std::runtime_error("boom"); });
  failing.push_back([&] { ++ran; });
  failing.push_back([&] { ++ran; feed(*t, 2); });
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
TEST(CalendarServerTarget, TheRunnerPlaysAScriptOverHttp) {
  Server server({.strategy = "sweep"});
  auto t = server.target();
  Script script;
  script.setup = fixture();
  TabSetup tab{ClientModel::fullcalendar_month, 1, 480, *Date::parse("2025-10-15")};
  script.steps = {Open{1, "alice-1", tab, std::nullopt, std::nullopt}, Delete{1, "alice-1", item_uuid(1)},
                  HardRefresh{1, "alice-1"}};
  ASSERT_EQ(validate(script), "");
  RunOutput out = run_script(*t, script, RunOptions{1, {}});
  ASSERT_EQ(out.history.ops.size(), 3u);
  ASSERT_EQ(out.steps.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(out.steps[i].ops, std::vector<std::size_t>{i});
    EXPECT_TRUE(out.steps[i].interleaving.empty());
    const Op& op = out.history.ops[i];
    EXPECT_EQ(op.index, i);
    EXPECT_EQ(op.outcome, Outcome::ok) << op.error;
    EXPECT_EQ(op.worker, std::optional<int>(0));
    EXPECT_TRUE(op.probe) << "the target has a probe: every sequential operation carries its counters";
  }
  EXPECT_EQ(out.history.ops[0].request.value("query_string", ""), kOctober);
  EXPECT_EQ(out.history.ops[0].query, (Query{*Date::parse("2025-09-29"), *Date::parse("2025-11-10"), {}, {}}));
  const Op& last = out.history.ops[2];
  EXPECT_EQ(last.kind, OpKind::view);
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(last.layer, Layer::server_cache);
  EXPECT_TRUE(std::any_of(last.shown.begin(), last.shown.end(),
                          [](const ShownEvent& e) { return e.item_id == item_uuid(1); }));
  ASSERT_TRUE(last.probe);
  EXPECT_EQ(last.probe->cache_hits, 1u);
  EXPECT_EQ(last.probe->store_queries, 0u);
  EXPECT_EQ(out.history.ops[1].kind, OpKind::remove);
  EXPECT_EQ(out.history.ops[1].deleted, std::vector<std::string>{item_uuid(1)});
  EXPECT_EQ(server.fx.clock().now(), t->clock().now());
  // The history carries what the target declares, and judging it finds the seed's bug.
  EXPECT_EQ(out.history.bound_s, t->capabilities().staleness_bound_s);
  Verdict v = judge(out.history);
  ASSERT_NE(v.first(), nullptr);
  EXPECT_EQ(v.first()->kind, kStaleVisible);
  EXPECT_EQ(v.first()->item_id, item_uuid(1));
  EXPECT_EQ(v.first()->layer, Layer::server_cache);
}

// No answer is an answer of its own: the runner records it as indeterminate, not lost.
TEST(CalendarServerTarget, TheRunnerRecordsOperationsWithoutAnAnswerAsIndeterminate) {
  auto server = std::make_unique<Server>(testsupport::ServerConfig{.strategy = "none"});
  auto t = server->target();
  // A client that loses every answer after the first request, as a server gone away does.
  struct Lossy final : Client {
    explicit Lossy(Client& inner) : inner(inner) {}
    Response feed(UserId u, const FeedRequest& r) override { return calls++ ? lost() : inner.feed(u, r); }
    Response detail(UserId u, const std::string& id) override { return calls++ ? lost() : inner.detail(u, id); }
    Response create(UserId u, const json& f) override { return calls++ ? lost() : inner.create(u, f); }
    Response edit(UserId u, const std::string& id, const json& f) override { return calls++ ? lost() : inner.edit(u, id, f); }
    Response remove(UserId u, const std::string& id) override { return calls++ ? lost() : inner.remove(u, id); }
    static Response lost() {
      Response r;
      r.transport_error = "connection reset (lost on purpose)";
      return r;
    }
    Client& inner;
    int calls = 0;
  };
  std::unique_ptr<Lossy> lossy;
  RunOptions options{1, [&](Client& inner) -> Client& {
                       lossy = std::make_unique<Lossy>(inner);
                       return *lossy;
                     }};
  Script script;
  script.setup = fixture();
  TabSetup tab{ClientModel::fullcalendar_month, 1, 480, *Date::parse("2025-10-15")};
  script.steps = {Open{1, "alice-1", tab, std::nullopt, std::nullopt}, Delete{1, "alice-1", item_uuid(1)},
                  HardRefresh{1, "alice-1"}};
  RunOutput out = run_script(*t, script, options);
  ASSERT_EQ(out.history.ops.size(), 3u);
  EXPECT_EQ(out.history.ops[0].outcome, Outcome::ok);
  for (std::size_t i : {1u, 2u}) {
    const Op& op = out.history.ops[i];
    EXPECT_EQ(op.outcome, Outcome::indeterminate) << i;
    EXPECT_EQ(op.status, 0) << i;
    EXPECT_NE(op.error.find("lost on purpose"), std::string::npos) << op.error;
    EXPECT_TRUE(op.shown.empty()) << i;
  }
  // The delete really did not happen; the oracle judges it as possibly done and the
  // indeterminate read not at all: no violation either way.
  EXPECT_EQ(t->client().detail(1, item_uuid(1)).status, 200);
  Verdict v = judge(out.history);
  EXPECT_TRUE(v.clean());
  EXPECT_EQ(v.reads_checked, 1u);  // the open only
}

TEST(CalendarServerTarget, MakeTargetRefusesBadSpecs) {
  EXPECT_EQ(make_target("in-process", {})->describe(), "in-process");
  auto ftp = target_error([] { make_target("ftp://x", {}); });
  EXPECT_NE(ftp.find("unknown target 'ftp://x'"), std::string::npos) << ftp;
  EXPECT_NE(ftp.find("in-process"), std::string::npos) << ftp;  // names the kinds there are
  EXPECT_NE(ftp.find("http://HOST:PORT"), std::string::npos) << ftp;
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

TEST(CalendarServerTarget, MakeTargetNamesTheMissingServerFlags) {
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

// A server that goes away: operations get no answer (status 0 with the reason, never an
// exception); the admin API, which the harness cannot do without, is a TargetError.
TEST(CalendarServerTarget, AServerThatGoesAwayAnswersNothing) {
  auto bare = std::make_unique<BareServer>(true, true, 1);
  std::string base = url(bare->server->port());
  auto t = make_target(base, {});
  EXPECT_EQ(t->capabilities().workers, 1);
  t->reset(fixture());
  ASSERT_EQ(feed(*t, 1).status, 200);
  // The server closes idle keep-alive connections after 5 s: the next requests,
  // POST included, open new ones.
  std::this_thread::sleep_for(std::chrono::milliseconds(5500));
  EXPECT_EQ(t->client()
                .create(1, json{{"title", "After a pause"}, {"work_type", "task"}, {"status", "not_started"},
                                {"start_date", "2025-10-09"}, {"due_date", "2025-10-10"}})
                .status,
            201);
  EXPECT_EQ(feed(*t, 1).status, 200);
  // Before any reset/set_now, now() is the server's clock.
  bare->clock.set(t0() + 12'345);
  EXPECT_EQ(make_target(base, {})->clock().now(), t0() + 12'345);
  bare.reset();

  Response gone;
  EXPECT_NO_THROW(gone = feed(*t, 1));
  EXPECT_EQ(gone.status, 0);
  EXPECT_EQ(read_outcome(gone), Outcome::indeterminate);
  EXPECT_NE(gone.transport_error.find("GET " + base + "/oobc-management/calendar/feed/"), std::string::npos)
      << gone.transport_error;
  EXPECT_NE(gone.transport_error.find("as alice"), std::string::npos) << gone.transport_error;
  EXPECT_EQ(response_error(gone), gone.transport_error);
  Response write;
  EXPECT_NO_THROW(write = t->client().remove(1, item_uuid(2)));
  EXPECT_EQ(write.status, 0);
  EXPECT_EQ(write_outcome(write), Outcome::indeterminate);  // it may have happened
  EXPECT_FALSE(write.transport_error.empty());

  auto e = target_error([&] { t->probe()->counters(); });
  EXPECT_NE(e.find("cannot reach " + base), std::string::npos) << e;
  e = target_error([&] { t->nemesis()->flush(); });
  EXPECT_NE(e.find("cannot reach " + base), std::string::npos) << e;
  e = target_error([&] { t->reset(fixture()); });
  EXPECT_NE(e.find("cannot reach " + base), std::string::npos) << e;
}

// ---- the matrix over HTTP: what the server has decides what it can run ----------

MatrixOptions over_http(const Server& server, int cases) {
  MatrixOptions o;
  o.target = url(server.fx.port());
  o.cases = cases;
  o.seed = 3;
  o.out_dir = "";
  return o;
}

TEST(CalendarServerTarget, MultiWorkerOnAOneWorkerServerIsUnsupportedNeverAPass) {
  Server server({.strategy = "robust", .workers = 1});
  CellResult r = run_cell("robust", "multi-worker", over_http(server, 20), Expectation{"pass", "", {}, {}});
  EXPECT_EQ(r.verdict, "unsupported");
  EXPECT_NE(r.unsupported_reason.find("at least 2 server processes; the target has 1"), std::string::npos)
      << r.unsupported_reason;
  EXPECT_EQ(r.cases_run, 0);
  EXPECT_FALSE(r.matches());
  EXPECT_NE(r.difference().find("expected pass, got unsupported"), std::string::npos) << r.difference();
  // Scenarios that need one worker still run there.
  EXPECT_EQ(run_cell("robust", "multiple-deletions", over_http(server, 10), Expectation{"pass", "", {}, {}}).verdict,
            "pass");
}

TEST(CalendarServerTarget, MultiWorkerRunsOnATwoWorkerServer) {
  {
    Server robust({.strategy = "robust", .workers = 2});
    CellResult r = run_cell("robust", "multi-worker", over_http(robust, 20), Expectation{"pass", "", {}, {}});
    EXPECT_EQ(r.verdict, "pass") << r.unsupported_reason
                                 << (r.first_violation ? r.first_violation->kind + " of " + r.first_violation->item : "");
    EXPECT_TRUE(r.unsupported_reason.empty()) << r.unsupported_reason;
    EXPECT_EQ(r.cases_run, 20);
    EXPECT_GT(r.ops, 0u);
    EXPECT_GT(r.stats.reads, 0u);
    EXPECT_EQ(r.indeterminate_reads + r.indeterminate_writes, 0u);
  }
  {
    // And it judges what it runs: versioned's private per-worker caches go stale.
    Server versioned({.strategy = "versioned", .workers = 2});
    CellResult r = run_cell("versioned", "multi-worker", over_http(versioned, 60), Expectation{"fail", "", {}, {}});
    EXPECT_EQ(r.verdict, "fail");
    ASSERT_TRUE(r.first_violation);
    EXPECT_EQ(r.first_violation->layer, "server-cache");
  }
}

TEST(CalendarServerTarget, ACellForAnotherStrategyThanTheServersIsRefused) {
  Server server({.strategy = "robust"});
  try {
    run_cell("sweep", "multiple-deletions", over_http(server, 5), Expectation{"fail", "", {}, {}});
    ADD_FAILURE() << "no TargetError";
  } catch (const TargetError& e) {
    EXPECT_NE(std::string(e.what()).find("runs strategy 'robust', not 'sweep'"), std::string::npos) << e.what();
  }
}

}  // namespace
