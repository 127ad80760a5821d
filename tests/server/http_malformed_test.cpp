// Bad input over HTTP: every malformed request gets a 4xx with a JSON error,
// never a 500 or a dropped connection, and the server stays healthy.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "calendar/demo_fixture.h"
#include "http_client.h"
#include "server_fixture.h"

using testsupport::BrowserSession;
using testsupport::HttpResponse;
using testsupport::ServerFixture;

namespace {

const std::string kFeed = "/oobc-management/calendar/feed/";
const std::string kItems = "/oobc-management/work-items/";

struct Case {
  std::string name;
  std::string method;
  std::string path;
  std::string body = "";
  std::string content_type = "";
  int expected = 400;
  enum class As { alice, anonymous, bad_cookie } as = As::alice;
};

std::string item_json(const std::string& overrides_json) {
  auto j = nlohmann::json::parse(R"({"title": "New", "work_type": "task", "status": "not_started",
                                     "start_date": "2025-10-10", "due_date": "2025-10-11"})");
  j.update(nlohmann::json::parse(overrides_json));
  return j.dump();
}

std::vector<Case> cases() {
  const std::string mine = calendar::demo_items()[2].id;  // alice's task
  const std::string json = "application/json";
  std::vector<Case> c{
      // The feed's query.
      {"feed_bad_month", "GET", kFeed + "?start=2025-13-01&end=2025-12-31"},
      {"feed_not_a_date", "GET", kFeed + "?start=yesterday&end=2025-10-31"},
      {"feed_bad_day", "GET", kFeed + "?start=2025-02-30&end=2025-03-31"},
      {"feed_bad_time", "GET", kFeed + "?start=2025-09-29T25%3A00%3A00%2B08%3A00&end=2025-11-10"},
      {"feed_bad_offset", "GET", kFeed + "?start=2025-09-29T00%3A00%3A00%2B8&end=2025-11-10"},
      {"feed_unencoded_plus_is_a_space", "GET", kFeed + "?start=2025-09-29T00:00:00+08:00&end=2025-11-10"},
      {"feed_start_after_end", "GET", kFeed + "?start=2025-10-31&end=2025-10-01"},
      {"feed_start_equals_end", "GET", kFeed + "?start=2025-10-01&end=2025-10-01"},
      {"feed_range_over_400_days", "GET", kFeed + "?start=2025-01-01&end=2026-03-01"},
      {"feed_unknown_type_meeting", "GET", kFeed + "?type=meeting"},
      {"feed_unknown_status", "GET", kFeed + "?status=done"},
      {"feed_not_utf8", "GET", kFeed + "?type=%FF%FE"},
      {"feed_bad_percent_escape", "GET", kFeed + "?start=%ZZ"},
      {"feed_wrong_method", "POST", kFeed, "", "", 405},
      {"feed_put", "PUT", kFeed, "{}", json, 405},
      // Creating items.
      {"create_garbage_json", "POST", kItems, R"({"title": )", json},
      {"create_not_json_at_all", "POST", kItems, "title=New", "application/x-www-form-urlencoded"},
      {"create_empty_body", "POST", kItems, "", json},
      {"create_json_array", "POST", kItems, "[1, 2, 3]", json},
      {"create_json_string", "POST", kItems, R"("task")", json},
      {"create_wrong_title_type", "POST", kItems, item_json(R"({"title": 5})"), json},
      {"create_empty_title", "POST", kItems, item_json(R"({"title": ""})"), json},
      {"create_start_after_due", "POST", kItems, item_json(R"({"start_date": "2025-10-12"})"), json},
      {"create_unknown_work_type", "POST", kItems, item_json(R"({"work_type": "meeting"})"), json},
      {"create_unknown_status", "POST", kItems, item_json(R"({"status": "done"})"), json},
      {"create_bad_date", "POST", kItems, item_json(R"({"due_date": "10/11/2025"})"), json},
      {"create_missing_fields", "POST", kItems, R"({"title": "New"})", json},
      {"create_with_id", "POST", kItems, item_json(R"({"id": "00000000-0000-4000-8000-000000000001"})"), json},
      {"create_unknown_parent", "POST", kItems, item_json(R"({"parent_id": "00000000-0000-4000-8000-00000000ffff"})"), json},
      {"create_parent_not_uuid", "POST", kItems, item_json(R"({"parent_id": "root"})"), json},
      {"create_unknown_assignee", "POST", kItems, item_json(R"({"assignee_ids": [99]})"), json},
      {"create_assignees_not_array", "POST", kItems, item_json(R"({"assignee_ids": "bob"})"), json},
      {"create_visible_not_bool", "POST", kItems, item_json(R"({"is_calendar_visible": "yes"})"), json},
      {"create_unknown_field", "POST", kItems, item_json(R"({"colour": "red"})"), json},
      {"create_huge_number", "POST", kItems, R"({"title": "New", "work_type": "task", "status": "not_started", "start_date": "2025-10-10",
                                          "due_date": "2025-10-11", "owner_id": 1e400})", json},
      {"create_deeply_nested", "POST", kItems, std::string(100000, '[') + std::string(100000, ']'), json},
      {"create_body_over_1MiB", "POST", kItems, std::string((1 << 20) + 1, 'x'), json, 413},
      {"create_get_is_wrong_method", "GET", kItems, "", "", 405},
      // Editing, deleting, reading one item.
      {"patch_wrong_type", "PATCH", kItems + mine + "/", R"({"due_date": 20251011})", json},
      {"patch_due_before_start", "PATCH", kItems + mine + "/", R"({"due_date": "2025-01-01"})", json},
      {"patch_change_id", "PATCH", kItems + mine + "/", R"({"id": "00000000-0000-4000-8000-000000000001"})", json},
      {"patch_own_parent", "PATCH", kItems + mine + "/", R"({"parent_id": ")" + mine + R"("})", json},
      {"patch_garbage", "PATCH", kItems + mine + "/", "{]", json},
      {"patch_not_uuid", "PATCH", kItems + "not-a-uuid/", R"({"title": "x"})", json, 404},
      {"patch_unknown_uuid", "PATCH", kItems + "00000000-0000-4000-8000-00000000ffff/", R"({"title": "x"})", json, 404},
      {"delete_not_uuid", "DELETE", kItems + "123/delete/", "", "", 404},
      {"delete_sql_injection", "DELETE", kItems + "1%27%20OR%20%271%27=%271/delete/", "", "", 404},
      {"delete_with_get", "GET", kItems + mine + "/delete/", "", "", 405},
      {"delete_with_post", "POST", kItems + mine + "/delete/", "", "", 405},
      {"modal_not_uuid", "GET", kItems + "..%2F..%2Fetc%2Fpasswd/modal/", "", "", 404},
      {"modal_unknown_uuid", "GET", kItems + "00000000-0000-4000-8000-00000000ffff/modal/", "", "", 404},
      {"modal_wrong_method", "DELETE", kItems + mine + "/modal/", "", "", 405},
      // Paths, methods, sessions.
      {"unknown_path", "GET", "/oobc-management/calendar/", "", "", 404},
      {"no_trailing_slash", "GET", "/oobc-management/calendar/feed", "", "", 404},
      {"unknown_method", "BREW", "/healthz", "", "", 400},
      {"healthz_post", "POST", "/healthz", "", "", 405},
      {"admin_unknown_path", "GET", "/__admin/nope", "", "", 404},
      {"uri_too_long", "GET", kFeed + "?type=" + std::string(9000, 'a'), "", "", 414},
      {"no_session", "GET", kFeed, "", "", 401, Case::As::anonymous},
      {"bad_cookie", "GET", kFeed, "", "", 401, Case::As::bad_cookie},
      {"bad_cookie_delete", "DELETE", kItems + mine + "/delete/", "", "", 401, Case::As::bad_cookie},
      {"login_garbage_json", "POST", "/accounts/login/", "{\"username\": ", json, 400, Case::As::anonymous},
      {"login_missing_password", "POST", "/accounts/login/", "username=alice", "application/x-www-form-urlencoded",
       400, Case::As::anonymous},
      {"login_wrong_types", "POST", "/accounts/login/", R"({"username": 1, "password": ["a"]})", json, 400,
       Case::As::anonymous},
      {"login_get", "GET", "/accounts/login/", "", "", 405, Case::As::anonymous},
      // The admin API validates too.
      {"admin_reset_garbage", "POST", "/__admin/reset", "{{", json, 400, Case::As::anonymous},
      {"admin_reset_bad_item", "POST", "/__admin/reset",
       R"({"users": [{"id": 1, "username": "a", "password": "a"}], "items": [{"id": "x"}]})", json, 400,
       Case::As::anonymous},
      {"admin_clock_bad", "POST", "/__admin/clock", R"({"advance_s": "ten"})", json, 400, Case::As::anonymous},
      {"admin_route_out_of_range", "POST", "/__admin/route", R"({"worker": 3})", json, 400, Case::As::anonymous},
      {"admin_evict_bad", "POST", "/__admin/cache/evict", R"({"random": "all"})", json, 400, Case::As::anonymous},
  };
  return c;
}

TEST(HttpMalformed, EveryBadRequestIsA4xxWithAJsonError) {
  ServerFixture s;
  BrowserSession alice = s.logged_in("alice");
  auto all = cases();
  ASSERT_GE(all.size(), 20u);
  for (const Case& c : all) {
    SCOPED_TRACE(c.name);
    BrowserSession b = s.browser();  // a fresh connection per case
    if (c.as == Case::As::alice) {
      b.set_cookie("sessionid", alice.cookie("sessionid"));
      b.set_cookie("csrftoken", alice.cookie("csrftoken"));
    } else if (c.as == Case::As::bad_cookie) {
      b.set_cookie("sessionid", "\x01garbage;;=");
      b.set_cookie("csrftoken", "x");
    }
    HttpResponse r = b.request(c.method, c.path, c.body, c.content_type);
    EXPECT_EQ(r.status, c.expected) << r.error << " " << r.body.substr(0, 300);
    EXPECT_GE(r.status, 400);
    EXPECT_LT(r.status, 500);
    EXPECT_TRUE(r.is_json_error()) << r.body.substr(0, 300);
    EXPECT_EQ(r.header("Content-Type"), "application/json");
  }
  auto health = s.browser().get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(alice.feed(testsupport::encode_query({{"start", "2025-10-01"}, {"end", "2025-10-31"}})).size(), 6u)
      << "nothing changed the data";
  EXPECT_EQ(alice.modal(calendar::demo_items()[2].id), 200);
}

TEST(HttpMalformed, GarbageOnTheSocketIsAJsonError) {
  ServerFixture s;
  for (const std::string& raw : {std::string("HELLO\r\n\r\n"), std::string("GET / HTTP/9.9\r\n\r\n"),
                                std::string("POST /oobc-management/work-items/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n")}) {
    // httplib's client cannot send a malformed request line: write it by hand.
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(s.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ASSERT_EQ(::send(fd, raw.data(), raw.size(), MSG_NOSIGNAL), static_cast<ssize_t>(raw.size()));
    std::string reply;
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
      reply.append(buf, static_cast<std::size_t>(n));
      if (reply.find("\r\n\r\n") != std::string::npos && reply.find('}') != std::string::npos) break;
    }
    ::close(fd);
    SCOPED_TRACE(raw);
    EXPECT_EQ(reply.rfind("HTTP/1.1 4", 0), 0u) << reply;
    EXPECT_NE(reply.find("{\"error\":"), std::string::npos) << reply;
  }
  EXPECT_EQ(s.browser().get("/healthz").status, 200);
}

}  // namespace
