// Request framing over a raw socket: pipelined requests all answered in order,
// the RFC 9112 rules on Host and Content-Length answered at once (not after a
// read timeout), and a connection closed at once after a request it could not
// frame. "At once" is checked against a 2 s deadline; the old behaviour waited 5 s.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "calendar/demo_fixture.h"
#include "http_client.h"
#include "raw_http.h"
#include "server_fixture.h"

namespace {

using hardening::get_request;
using hardening::RawConnection;
using testsupport::ServerFixture;
using namespace std::chrono_literals;

constexpr auto kAtOnce = 2000ms;
const std::string kFeed = "/oobc-management/calendar/feed/";

std::string cookie_header(const testsupport::BrowserSession& s) {
  return "Cookie: sessionid=" + s.cookie("sessionid") + "; csrftoken=" + s.cookie("csrftoken") + "\r\n";
}

bool is_json_error(const hardening::RawResponse& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("error") && j["error"].is_string();
}

// Sends `raw` and returns the status of the response (0: none within 2 s).
int status_of(RawConnection& c, const std::string& raw) {
  if (!c.send(raw)) return 0;
  auto r = c.read_response(kAtOnce);
  return r ? r->status : 0;
}

TEST(Pipelining, ThreeRequestsInOneWriteGetThreeResponses) {
  ServerFixture s;
  RawConnection c(s.port());
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c.send(get_request("/healthz") + get_request("/healthz") + get_request("/healthz")));
  for (int i = 0; i < 3; ++i) {
    auto r = c.read_response(kAtOnce);
    ASSERT_TRUE(r) << "response " << i << " missing";
    EXPECT_EQ(r->status, 200);
  }
}

TEST(Pipelining, ResponsesComeInRequestOrder) {
  ServerFixture s;
  RawConnection c(s.port());
  ASSERT_TRUE(c.ok());
  std::string batch;
  for (int i = 0; i < 30; ++i) batch += get_request(i % 3 == 0 ? "/healthz" : "/no-such-page-" + std::to_string(i));
  ASSERT_TRUE(c.send(batch));
  for (int i = 0; i < 30; ++i) {
    auto r = c.read_response(kAtOnce);
    ASSERT_TRUE(r) << "response " << i << " missing";
    if (i % 3 == 0) {
      EXPECT_EQ(r->status, 200) << i;
    } else {
      EXPECT_EQ(r->status, 404) << i;
      EXPECT_NE(r->body.find("/no-such-page-" + std::to_string(i) + "\""), std::string::npos) << i << r->body;
    }
  }
}

TEST(Pipelining, TwentyOneFeedRequestsAllAnsweredLikeSequentialOnes) {
  ServerFixture s;
  auto alice = s.logged_in("alice");
  std::vector<std::string> queries, expected;
  for (int i = 0; i < 21; ++i) {
    queries.push_back(testsupport::encode_query(
        {{"start", "2025-10-01"}, {"end", calendar::Date::from_ymd(2025, 10, 2 + i).iso()}, {"type", i % 2 ? "task" : "project"}}));
    auto r = alice.feed_response(queries.back());
    ASSERT_EQ(r.status, 200);
    expected.push_back(r.body);
  }
  RawConnection c(s.port());
  ASSERT_TRUE(c.ok());
  std::string batch;
  for (auto& q : queries) batch += get_request(kFeed + "?" + q, cookie_header(alice));
  ASSERT_TRUE(c.send(batch));
  for (std::size_t i = 0; i < queries.size(); ++i) {
    auto r = c.read_response(kAtOnce);
    ASSERT_TRUE(r) << "response " << i << " missing";
    EXPECT_EQ(r->status, 200) << i << " " << r->body;
    EXPECT_EQ(r->body, expected[i]) << i;
  }
}

TEST(Pipelining, RequestsSplitAcrossWritesAndAHalfClosedClientAreAnswered) {
  ServerFixture s;
  RawConnection c(s.port());
  ASSERT_TRUE(c.ok());
  std::string two = get_request("/healthz") + get_request("/no-such-page");
  ASSERT_TRUE(c.send(two.substr(0, 20)));
  ASSERT_TRUE(c.send(two.substr(20)));
  ::shutdown(c.fd(), SHUT_WR);  // like `printf ... | nc`: the client is done sending
  auto first = c.read_response(kAtOnce);
  auto second = c.read_response(kAtOnce);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(second->status, 404);
  EXPECT_TRUE(c.closed_within(kAtOnce));
}

struct FramingCase {
  std::string name;
  std::string raw;
  int expected;
};

TEST(Framing, LengthAndHostErrorsAreAnsweredAtOnceAndClose) {
  ServerFixture s;
  const std::string login = "POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Content-Type: application/x-www-form-urlencoded\r\n";
  const std::string create = "POST /oobc-management/work-items/ HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  const std::vector<FramingCase> cases{
      {"post_without_content_length", login + "\r\nusername=alice&password=alice", 411},
      {"negative_content_length", create + "Content-Length: -1\r\n\r\n", 400},
      {"signed_content_length", create + "Content-Length: +5\r\n\r\nhello", 400},
      {"content_length_not_a_number", create + "Content-Length: 1e3\r\n\r\n", 400},
      {"content_length_list", create + "Content-Length: 5, 6\r\n\r\nhello", 400},
      {"two_different_content_lengths", create + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello", 400},
      {"content_length_far_too_large", create + "Content-Length: 99999999999999999999\r\n\r\n", 413},
      {"content_length_over_the_body_limit", create + "Content-Length: 2000000\r\n\r\n", 413},
      {"length_and_chunked", create + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
      {"unknown_transfer_coding", create + "Transfer-Encoding: gzip\r\n\r\n", 501},
      {"http11_without_host", "GET /healthz HTTP/1.1\r\n\r\n", 400},
      {"two_hosts", "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"malformed_request_line", "HELLO\r\n\r\n", 400},
      {"bare_lf_request_line", "GET /healthz HTTP/1.1\n\n", 400},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    RawConnection conn(s.port());
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(conn.send(c.raw));
    auto r = conn.read_response(kAtOnce);
    if (!r) {
      ADD_FAILURE() << "no response within 2 s";
      continue;
    }
    EXPECT_EQ(r->status, c.expected) << r->body;
    EXPECT_TRUE(is_json_error(*r)) << r->body;
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(conn.closed_within(kAtOnce)) << "the server kept the connection open";
  }
  EXPECT_EQ(s.browser().get("/healthz").status, 200);
}

TEST(Framing, Http10WithoutHostIsServed) {
  ServerFixture s;
  RawConnection c(s.port());
  EXPECT_EQ(status_of(c, "GET /healthz HTTP/1.0\r\n\r\n"), 200);
}

TEST(Framing, DeleteWithoutContentLengthHasNoBodyAndIsAnsweredAtOnce) {
  ServerFixture s;
  auto alice = s.logged_in("alice");
  const std::string mine = calendar::demo_items()[2].id;  // alice's task
  RawConnection c(s.port());
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c.send("DELETE /oobc-management/work-items/" + mine + "/delete/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                     cookie_header(alice) + "X-CSRFToken: " + alice.cookie("csrftoken") + "\r\n\r\n"));
  auto r = c.read_response(kAtOnce);
  ASSERT_TRUE(r) << "no response within 2 s";
  EXPECT_EQ(r->status, 200) << r->body;
  // The connection stays usable: a request without a length has a body of length zero.
  EXPECT_EQ(status_of(c, get_request("/healthz")), 200);
}

TEST(Framing, AGetWithABodyIsAnsweredAndThenClosed) {
  ServerFixture s;
  RawConnection c(s.port());
  EXPECT_EQ(status_of(c, "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\nGET / HTTP/1"), 200);
  EXPECT_TRUE(c.closed_within(kAtOnce)) << "an unread body must not be taken for the next request";
}

}  // namespace
