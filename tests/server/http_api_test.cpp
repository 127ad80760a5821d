// calendar-server over real HTTP: sessions, CSRF, permissions, the feed's format
// and HTTP caching headers, and the admin API.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "calendar/demo_fixture.h"
#include "calendar/http_server.h"
#include "http_client.h"
#include "server_fixture.h"

using namespace calendar;
using testsupport::BrowserSession;
using testsupport::encode_query;
using testsupport::event_id;
using testsupport::HttpResponse;
using testsupport::ServerConfig;
using testsupport::ServerFixture;

namespace {

// Demo fixture ids (see demo_fixture.cpp).
std::string demo(int n) { return demo_items().at(static_cast<std::size_t>(n - 1)).id; }
const std::string kProject = demo(1);       // alice's project, root of 2..7
const std::string kConsultations = demo(2); // alice's activity, bob assigned; children 3, 4 (→ 5)
const std::string kMaterials = demo(3);     // alice's task, nobody assigned
const std::string kVenues = demo(4);        // bob's task
const std::string kCatering = demo(5);      // bob's subtask, carol assigned
const std::string kYearEnd = demo(6);       // carol's sub_activity
const std::string kFieldData = demo(7);     // carol's task, alice assigned
const std::string kPlanning = demo(8);      // bob's project
const std::string kStaffMeeting = demo(9);  // carol's task
const std::string kAudit = demo(10);        // alice's, not calendar-visible

const std::string kFullCalendarOctober =
    encode_query({{"start", "2025-09-29T00:00:00+08:00"}, {"end", "2025-11-10T00:00:00+08:00"}});
const std::string kAll = "";  // no range: everything visible

ServerConfig fresh() {  // no feed cache: every read comes from the store
  ServerConfig c;
  c.strategy = "none";
  return c;
}

std::set<std::string> ids_of(const std::vector<std::string>& events) { return {events.begin(), events.end()}; }

TEST(HttpApi, HealthzNeedsNoSession) {
  ServerFixture s(fresh());
  auto r = s.browser().get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json(), (nlohmann::json{{"ok", true}}));
}

TEST(HttpApi, EveryOtherEndpointNeedsASession) {
  ServerFixture s(fresh());
  BrowserSession anon = s.browser();
  std::vector<HttpResponse> rs{
      anon.feed_response(kFullCalendarOctober),
      anon.request("GET", "/oobc-management/work-items/" + kMaterials + "/modal/"),
      anon.create({{"title", "x"}}),
      anon.patch(kMaterials, {{"title", "x"}}),
      anon.del(kMaterials),
      anon.logout(),
  };
  for (const auto& r : rs) {
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_TRUE(r.is_json_error()) << r.body;
  }
  EXPECT_EQ(s.logged_in("alice").modal(kMaterials), 200) << "nothing was deleted";
}

TEST(HttpApi, LoginSetsSessionAndCsrfCookies) {
  ServerFixture s(fresh());
  BrowserSession b = s.browser();
  auto r = b.login("alice");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json(), (nlohmann::json{{"user", {{"id", 1}, {"username", "alice"}}}}));
  std::vector<std::string> set_cookies;
  for (auto [it, end] = r.headers.equal_range("Set-Cookie"); it != end; ++it) set_cookies.push_back(it->second);
  ASSERT_EQ(set_cookies.size(), 2u);
  bool session_ok = false, csrf_ok = false;
  for (const auto& c : set_cookies) {
    if (c.rfind("sessionid=", 0) == 0)
      session_ok = c.find("HttpOnly") != std::string::npos && c.find("Path=/") != std::string::npos;
    if (c.rfind("csrftoken=", 0) == 0)
      csrf_ok = c.find("HttpOnly") == std::string::npos && c.find("Path=/") != std::string::npos;
  }
  EXPECT_TRUE(session_ok);
  EXPECT_TRUE(csrf_ok);
  EXPECT_FALSE(b.cookie("sessionid").empty());
  EXPECT_FALSE(b.cookie("csrftoken").empty());
  EXPECT_EQ(b.feed_response(kAll).status, 200);
  EXPECT_EQ(s.server().session_count(), 1u);
}

TEST(HttpApi, LoginAcceptsJsonAndRejectsBadCredentials) {
  ServerFixture s(fresh());
  BrowserSession b = s.browser();
  EXPECT_EQ(b.login("alice", "bob").status, 401);
  EXPECT_EQ(b.login("mallory", "mallory").status, 401);
  EXPECT_TRUE(b.cookie("sessionid").empty());
  auto r = b.request("POST", "/accounts/login/", R"({"username": "bob", "password": "bob"})", "application/json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["user"]["id"], 2);
  EXPECT_EQ(b.feed_response(kAll).status, 200);
}

TEST(HttpApi, LogoutEndsTheSessionAndNeedsCsrf) {
  ServerFixture s(fresh());
  BrowserSession b = s.logged_in("alice");
  b.set_csrf_override("");
  EXPECT_EQ(b.logout().status, 403);
  b.set_csrf_override(std::nullopt);
  std::string old_session = b.cookie("sessionid");
  EXPECT_EQ(b.logout().status, 200);
  EXPECT_TRUE(b.cookie("sessionid").empty()) << "the cookie is cleared";
  EXPECT_EQ(b.feed_response(kAll).status, 401);
  b.set_cookie("sessionid", old_session);
  EXPECT_EQ(b.feed_response(kAll).status, 401) << "the old session id is dead on the server too";
  EXPECT_EQ(s.server().session_count(), 0u);
}

TEST(HttpApi, UnsafeMethodsNeedTheCsrfHeaderMatchingTheCookie) {
  ServerFixture s(fresh());
  BrowserSession b = s.logged_in("alice");
  for (std::optional<std::string> token : {std::optional<std::string>(""), std::optional<std::string>("wrong")}) {
    b.set_csrf_override(token);
    EXPECT_EQ(b.del(kMaterials).status, 403);
    EXPECT_EQ(b.patch(kMaterials, {{"title", "x"}}).status, 403);
    auto created = b.create({{"title", "x"}, {"work_type", "task"}, {"status", "not_started"},
                             {"start_date", "2025-10-10"}, {"due_date", "2025-10-10"}});
    EXPECT_EQ(created.status, 403);
    EXPECT_TRUE(created.is_json_error());
  }
  // A header equal to a cookie the client forged itself is fine (double submit, as Django);
  // but without the cookie the header alone is not.
  b.set_csrf_override(std::nullopt);
  std::string csrf = b.cookie("csrftoken");
  BrowserSession no_cookie = s.browser();
  no_cookie.set_cookie("sessionid", b.cookie("sessionid"));
  no_cookie.set_csrf_override(csrf);
  EXPECT_EQ(no_cookie.del(kMaterials).status, 403);
  EXPECT_EQ(b.modal(kMaterials), 200) << "nothing was deleted";
  EXPECT_EQ(b.del(kMaterials).status, 200);
}

TEST(HttpApi, OnlyOwnerAndAssigneesMayEditOrDelete) {
  ServerFixture s(fresh());
  BrowserSession bob = s.logged_in("bob");
  auto r = bob.del(kMaterials);  // alice's, bob not assigned
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(r.is_json_error());
  EXPECT_EQ(bob.patch(kMaterials, {{"title", "mine now"}}).status, 403);
  EXPECT_EQ(bob.modal(kMaterials), 200);

  r = bob.patch(kConsultations, {{"status", "at_risk"}});  // alice's, bob assigned
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "at_risk");
  EXPECT_EQ(r.json()["owner_id"], 1);

  BrowserSession carol = s.logged_in("carol");
  EXPECT_EQ(carol.patch(kCatering, {{"title", "Confirm catering (3 quotes)"}}).status, 200);  // assignee
  EXPECT_EQ(carol.del(kVenues).status, 403);
}

TEST(HttpApi, DeleteReturnsTheSubtreeAndHxTriggerThenModalIs404) {
  ServerFixture s(fresh());
  BrowserSession alice = s.logged_in("alice");
  auto r = alice.del(kConsultations);
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<std::string> deleted = r.json()["deleted"];
  ASSERT_FALSE(deleted.empty());
  EXPECT_EQ(deleted.front(), kConsultations) << "the item first";
  EXPECT_EQ(ids_of(deleted), (std::set<std::string>{kConsultations, kMaterials, kVenues, kCatering}));
  EXPECT_EQ(nlohmann::json::parse(r.header("HX-Trigger")),
            (nlohmann::json{{"workItemDeleted", {{"id", kConsultations}}}}));
  for (const auto& id : deleted) EXPECT_EQ(alice.modal(id), 404) << id;
  auto again = alice.del(kConsultations);
  EXPECT_EQ(again.status, 404);
  EXPECT_TRUE(again.is_json_error());
  auto feed = ids_of(alice.feed(kAll));
  for (const auto& id : deleted) EXPECT_FALSE(feed.count(event_id(id))) << id;
  EXPECT_TRUE(feed.count(event_id(kProject)));
}

TEST(HttpApi, CreateIs201AndShowsOnTheCalendar) {
  ServerFixture s(fresh());
  BrowserSession bob = s.logged_in("bob");
  auto r = bob.create({{"title", "Print banners"},
                       {"work_type", "subtask"},
                       {"status", "not_started"},
                       {"start_date", "2025-10-13"},
                       {"due_date", "2025-10-14"},
                       {"parent_id", kVenues},
                       {"assignee_ids", {3}}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto item = r.json();
  std::string id = item["id"];
  EXPECT_TRUE(is_uuid(id));
  EXPECT_EQ(item["owner_id"], 2) << "the acting user owns what they create";
  EXPECT_EQ(item["parent_id"], kVenues);
  EXPECT_EQ(bob.modal(id), 200);
  EXPECT_TRUE(bob.shows(kFullCalendarOctober, id));
  EXPECT_TRUE(s.logged_in("alice").shows(kFullCalendarOctober, id)) << "global visibility";
  auto modal = bob.get("/oobc-management/work-items/" + id + "/modal/");
  EXPECT_EQ(modal.json(), item);
}

TEST(HttpApi, AssignedVisibilityHidesOtherPeoplesItems) {
  ServerFixture s(fresh());
  s.reset(demo_users(), demo_items(), Visibility::assigned);
  EXPECT_EQ(ids_of(s.logged_in("bob").feed(kAll)),
            (std::set<std::string>{event_id(kConsultations), event_id(kVenues), event_id(kCatering),
                                   event_id(kPlanning)}));
  EXPECT_EQ(ids_of(s.logged_in("carol").feed(kAll)),
            (std::set<std::string>{event_id(kCatering), event_id(kYearEnd), event_id(kFieldData),
                                   event_id(kStaffMeeting)}));
  // Back to global through the same reset.
  s.reset(demo_users(), demo_items(), Visibility::global);
  EXPECT_EQ(s.logged_in("bob").feed(kAll).size(), 9u);
}

TEST(HttpApi, FeedEventFormatAndSortOrder) {
  ServerFixture s(fresh());
  BrowserSession alice = s.logged_in("alice");
  auto r = alice.feed_response(kFullCalendarOctober);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  auto events = r.json();
  ASSERT_TRUE(events.is_array());
  // Everything calendar-visible that overlaps 2025-09-29 .. 2025-11-10 (exclusive): all but
  // the hidden audit; 8 (Nov 10 ..) starts on the exclusive end.
  std::set<std::string> expected;
  for (int n : {1, 2, 3, 4, 5, 6, 7, 9}) expected.insert(event_id(demo(n)));
  std::set<std::string> got;
  for (auto& e : events) got.insert(e["id"].get<std::string>());
  EXPECT_EQ(got, expected);
  for (std::size_t i = 1; i < events.size(); ++i) {
    auto key = [](const nlohmann::json& e) { return std::make_pair(e["start"].get<std::string>(), e["id"].get<std::string>()); };
    EXPECT_LT(key(events[i - 1]), key(events[i])) << "sorted by (start, id)";
  }
  const nlohmann::json expected_catering{
      {"id", event_id(kCatering)},
      {"title", "Confirm catering"},
      {"workType", "subtask"},
      {"status", "blocked"},
      {"start", "2025-10-14"},
      {"end", "2025-10-14"},
      {"parentId", event_id(kVenues)},
      {"level", 3},
      {"url", "/oobc-management/work-items/" + kCatering + "/modal/"}};
  bool found = false;
  for (auto& e : events)
    if (e["id"] == event_id(kCatering)) {
      EXPECT_EQ(e, expected_catering);
      found = true;
    }
  EXPECT_TRUE(found);
  for (auto& e : events)
    if (e["id"] == event_id(kProject)) {
      EXPECT_TRUE(e["parentId"].is_null());
    }
  EXPECT_FALSE(got.count(event_id(kAudit)));
  // Filters: `task` covers subtasks; a status.
  EXPECT_EQ(ids_of(alice.feed(kFullCalendarOctober + "&type=task")),
            (std::set<std::string>{event_id(kMaterials), event_id(kVenues), event_id(kCatering),
                                   event_id(kFieldData), event_id(kStaffMeeting)}));
  EXPECT_EQ(ids_of(alice.feed(kFullCalendarOctober + "&status=at_risk")),
            (std::set<std::string>{event_id(kVenues)}));
}

TEST(HttpApi, FeedAnswersWithCacheLayerWorkerAndDate) {
  ServerFixture s;  // sweep, memory
  BrowserSession alice = s.logged_in("alice");
  auto first = alice.feed_response(kFullCalendarOctober);
  auto second = alice.feed_response(kFullCalendarOctober);
  EXPECT_EQ(first.header("X-Cache"), "MISS");
  EXPECT_EQ(second.header("X-Cache"), "HIT");
  EXPECT_EQ(first.body, second.body);
  EXPECT_EQ(first.header("X-Worker"), "0");
  EXPECT_EQ(first.header("Date"), "Sun, 05 Oct 2025 09:00:00 GMT") << "the server's (manual) clock";
  s.advance(90);
  EXPECT_EQ(alice.feed_response(kFullCalendarOctober).header("Date"), "Sun, 05 Oct 2025 09:01:30 GMT");
  auto stats = s.stats();
  EXPECT_EQ(stats["cache"]["hits"], 2);
  EXPECT_EQ(stats["cache"]["misses"], 1);
}

TEST(HttpApi, HttpCacheNeverIsDjangosNeverCache) {
  ServerConfig c;
  c.http_cache = "never";
  ServerFixture s(c);
  auto r = s.logged_in("alice").feed_response(kFullCalendarOctober);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Cache-Control"), "max-age=0, no-cache, no-store, must-revalidate");
  EXPECT_EQ(r.headers.count("Cache-Control"), 1u);
  EXPECT_FALSE(r.has_header("Last-Modified"));
  EXPECT_TRUE(r.has_header("Date"));
}

TEST(HttpApi, HttpCacheMaxAge) {
  ServerConfig c;
  c.http_cache = "max-age=60";
  ServerFixture s(c);
  auto r = s.logged_in("alice").feed_response(kFullCalendarOctober);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Cache-Control"), "private, max-age=60");
  EXPECT_EQ(r.header("Date"), "Sun, 05 Oct 2025 09:00:00 GMT");
}

TEST(HttpApi, HttpCacheUnsetSendsLastModifiedAndDateOnly) {
  ServerConfig c;
  c.strategy = "none";
  c.http_cache = "unset";
  ServerFixture s(c);
  BrowserSession alice = s.logged_in("alice");
  auto r = alice.feed_response(kFullCalendarOctober);
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(r.has_header("Cache-Control"));
  EXPECT_EQ(r.header("Date"), "Sun, 05 Oct 2025 09:00:00 GMT");
  EXPECT_EQ(r.header("Last-Modified"), "Sun, 05 Oct 2025 09:00:00 GMT") << "the reset's time";
  auto lm = parse_http_date(r.header("Last-Modified"));
  auto date = parse_http_date(r.header("Date"));
  ASSERT_TRUE(lm && date);
  EXPECT_LE(*lm, *date);
  s.advance(600);
  ASSERT_EQ(alice.del(kMaterials).status, 200);
  s.advance(30);
  r = alice.feed_response(kFullCalendarOctober);
  EXPECT_EQ(r.header("Last-Modified"), "Sun, 05 Oct 2025 09:10:00 GMT") << "the delete's time";
  EXPECT_EQ(r.header("Date"), "Sun, 05 Oct 2025 09:10:30 GMT");
}

TEST(HttpApi, ParseHttpCache) {
  std::string error;
  EXPECT_EQ(parse_http_cache("never", error)->mode, HttpCachePolicy::Mode::never);
  EXPECT_EQ(parse_http_cache("unset", error)->mode, HttpCachePolicy::Mode::unset);
  auto p = parse_http_cache("max-age=60", error);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->max_age_s, 60);
  EXPECT_EQ(p->describe(), "max-age=60");
  for (const char* bad : {"", "always", "max-age=", "max-age=-1", "max-age=1x", "max-age=+5", "max-age=99999999999",
                          "Max-Age=5", "never "}) {
    error.clear();
    EXPECT_FALSE(parse_http_cache(bad, error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(HttpApi, AdminResetValidatesAndClearsSessions) {
  ServerFixture s(fresh());
  BrowserSession alice = s.logged_in("alice");
  BrowserSession admin = s.browser();
  auto users = demo_users();
  auto items = demo_items();
  auto post = [&](const nlohmann::json& body) { return admin.request("POST", "/__admin/reset", body.dump(), "application/json"); };
  auto valid = reset_to_json(ResetData{users, items, std::nullopt});

  std::vector<nlohmann::json> bad;
  bad.push_back(nlohmann::json::array());
  bad.push_back({{"items", valid["items"]}});  // no users
  auto dup_user = valid;
  dup_user["users"].push_back({{"id", 1}, {"username", "alice2"}, {"password", "x"}});
  bad.push_back(dup_user);
  auto dup_item = valid;
  dup_item["items"].push_back(valid["items"][0]);
  bad.push_back(dup_item);
  auto unknown_owner = valid;
  unknown_owner["items"][0]["owner_id"] = 42;
  bad.push_back(unknown_owner);
  auto unknown_parent = valid;
  unknown_parent["items"][0]["parent_id"] = "00000000-0000-4000-8000-00000000ffff";
  bad.push_back(unknown_parent);
  auto cycle = valid;
  cycle["items"][0]["parent_id"] = kMaterials;  // project under its own grandchild
  bad.push_back(cycle);
  auto bad_vis = valid;
  bad_vis["visibility"] = "everyone";
  bad.push_back(bad_vis);
  auto bad_item = valid;
  bad_item["items"][0]["due_date"] = "2025-02-30";
  bad.push_back(bad_item);
  auto extra = valid;
  extra["surprise"] = 1;
  bad.push_back(extra);
  for (const auto& body : bad) {
    auto r = post(body);
    EXPECT_EQ(r.status, 400) << body.dump().substr(0, 200);
    EXPECT_TRUE(r.is_json_error()) << r.body;
  }
  EXPECT_EQ(alice.feed_response(kAll).status, 200) << "failed resets change nothing";

  auto r = post(valid);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["items"], items.size());
  EXPECT_EQ(alice.feed_response(kAll).status, 401) << "a reset logs everyone out";
  EXPECT_EQ(s.server().session_count(), 0u);
}

TEST(HttpApi, AdminResetEmptiesTheCache) {
  ServerFixture s;
  BrowserSession alice = s.logged_in("alice");
  ASSERT_TRUE(alice.shows(kFullCalendarOctober, kMaterials));
  auto items = demo_items();
  items.erase(items.begin() + 2);  // without the materials task
  s.reset(demo_users(), items);
  alice = s.logged_in("alice");
  auto r = alice.feed_response(kFullCalendarOctober);
  EXPECT_EQ(r.header("X-Cache"), "MISS");
  EXPECT_EQ(r.body.find(kMaterials), std::string::npos);
}

TEST(HttpApi, AdminClockStatsFlushEvictAndRoute) {
  ServerConfig c;
  c.workers = 2;
  ServerFixture s(c);
  auto r = s.admin("POST", "/__admin/clock", {{"advance_s", 1.5}});
  EXPECT_EQ(r.json()["now"], "2025-10-05T09:00:01.500Z");
  r = s.admin("POST", "/__admin/clock", {{"now", "2025-11-01T00:00:00Z"}});
  EXPECT_EQ(r.json()["now"], "2025-11-01T00:00:00Z");
  EXPECT_EQ(s.clock().now(), *parse_instant("2025-11-01T00:00:00Z"));
  BrowserSession admin = s.browser();
  for (const char* body : {R"({"advance_s": "soon"})", R"({"advance_s": -5})", R"({"now": "yesterday"})",
                           R"({"advance_s": 1, "now": "2025-11-01T00:00:00Z"})", "{}", "[]", "nope"}) {
    auto bad = admin.request("POST", "/__admin/clock", body, "application/json");
    EXPECT_EQ(bad.status, 400) << body;
    EXPECT_TRUE(bad.is_json_error()) << body;
  }

  auto stats = s.stats();
  for (const char* k : {"hits", "misses", "sets", "deletes", "incrs", "evictions", "round_trips"})
    EXPECT_TRUE(stats["cache"].contains(k)) << k;
  EXPECT_TRUE(stats["db"].contains("queries"));
  EXPECT_TRUE(stats.contains("requests"));

  // Route everything to worker 1, fill its cache, evict by key, flush.
  s.route(1);
  EXPECT_EQ(s.server().pinned_worker(), std::optional<std::size_t>(1));
  BrowserSession alice = s.logged_in("alice");
  auto f = alice.feed_response("start=2025-10-01&end=2025-10-31");
  EXPECT_EQ(f.header("X-Worker"), "1");
  EXPECT_EQ(f.header("X-Cache"), "MISS");
  EXPECT_EQ(alice.feed_response("start=2025-10-01&end=2025-10-31").header("X-Cache"), "HIT");
  r = s.admin("POST", "/__admin/cache/evict", {{"keys", {"calendar_feed:1:None:None:2025-10-01:2025-10-31"}}});
  EXPECT_EQ(r.json()["evicted"], 1);
  EXPECT_EQ(alice.feed_response("start=2025-10-01&end=2025-10-31").header("X-Cache"), "MISS");
  r = s.admin("POST", "/__admin/cache/evict", {{"random", 5}, {"seed", 7}});
  EXPECT_EQ(r.json()["evicted"], 1) << "only one entry was cached";
  ASSERT_EQ(alice.feed_response("start=2025-10-01&end=2025-10-31").header("X-Cache"), "MISS");
  s.admin("POST", "/__admin/cache/flush");
  EXPECT_EQ(alice.feed_response("start=2025-10-01&end=2025-10-31").header("X-Cache"), "MISS");
  for (const char* body : {R"({"worker": 2})", R"({"worker": -1})", R"({"worker": "0"})", "{}"}) {
    auto bad = admin.request("POST", "/__admin/route", body, "application/json");
    EXPECT_EQ(bad.status, 400) << body;
  }
  EXPECT_EQ(s.server().pinned_worker(), std::optional<std::size_t>(1)) << "a bad request changes nothing";
  s.route(std::nullopt);
  EXPECT_EQ(s.server().pinned_worker(), std::nullopt);
  std::set<std::string> workers;
  for (int i = 0; i < 4; ++i) workers.insert(alice.feed_response(kAll).header("X-Worker"));
  EXPECT_EQ(workers, (std::set<std::string>{"0", "1"})) << "round robin again";
  for (const char* body : {R"({"random": -1})", R"({"keys": "k"})", R"({"keys": [1]})", "{}"}) {
    auto bad = admin.request("POST", "/__admin/cache/evict", body, "application/json");
    EXPECT_EQ(bad.status, 400) << body;
  }
  // Admin endpoints take no session and no CSRF; GET on a POST endpoint is 405.
  EXPECT_EQ(admin.get("/__admin/reset").status, 405);
}

// A server built by hand: admin off, real clock.
struct PlainServer {
  explicit PlainServer(bool admin)
      : store(clock), cluster(ClusterConfig{}, store, clock), server(cluster, nullptr, options(admin)) {
    cluster.reset(demo_users(), demo_items(), std::nullopt);
    started = server.start_in_background(0);
  }
  static HttpServerOptions options(bool admin) {
    HttpServerOptions o;
    o.admin = admin;
    return o;
  }
  RealClock clock;
  Store store;
  Cluster cluster;
  HttpServer server;
  bool started = false;
};

TEST(HttpApi, AdminApiIsAbsentWithoutTheFlag) {
  PlainServer p(false);
  ASSERT_TRUE(p.started);
  BrowserSession b(p.server.port());
  for (const char* path : {"/__admin/stats", "/__admin/reset", "/__admin/clock", "/__admin/route"}) {
    auto r = b.get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_TRUE(r.is_json_error());
  }
  EXPECT_EQ(b.request("POST", "/__admin/reset", "{}", "application/json").status, 404);
  EXPECT_EQ(b.login("alice").status, 200);
}

TEST(HttpApi, ClockEndpointIsAConflictOnTheRealClock) {
  PlainServer p(true);
  ASSERT_TRUE(p.started);
  BrowserSession b(p.server.port());
  auto r = b.request("POST", "/__admin/clock", R"({"advance_s": 10})", "application/json");
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(r.is_json_error());
  // The Date header follows the real clock.
  b.login("alice");
  auto date = parse_http_date(b.feed_response(kAll).header("Date"));
  ASSERT_TRUE(date);
  EXPECT_LT(std::abs(*date - RealClock().now()), 5000);
}

TEST(HttpApi, PortInUseIsRefusedAndStopIsIdempotent) {
  PlainServer a(false);
  ASSERT_TRUE(a.started);
  RealClock clock;
  Store store(clock);
  Cluster cluster(ClusterConfig{}, store, clock);
  HttpServer b(cluster, nullptr, {});
  EXPECT_FALSE(b.bind(a.server.port()));
  EXPECT_FALSE(b.start_in_background(a.server.port()));
  a.server.stop();
  a.server.stop();
  BrowserSession c(a.server.port());
  EXPECT_EQ(c.get("/healthz").status, 0) << "nobody listens any more";
}

}  // namespace
