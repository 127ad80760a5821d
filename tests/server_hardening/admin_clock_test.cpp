// The admin API's edges: a reset without `visibility` goes back to the
// server's own setting; the manual clock stays within the years the server can
// print and read back (0000-9999, ISO 8601 and IMF-fixdate both have four
// digits), and refuses with 400 whatever would leave them.
#include <gtest/gtest.h>

#include "calendar/date.h"
#include "calendar/demo_fixture.h"
#include "calendar/http_server.h"
#include "http_client.h"
#include "server_fixture.h"

namespace {

using testsupport::ServerFixture;

testsupport::HttpResponse clock_request(ServerFixture& s, const nlohmann::json& body) {
  return s.browser().request("POST", "/__admin/clock", body.dump(), "application/json");
}

nlohmann::json reset_body(std::optional<calendar::Visibility> visibility) {
  return calendar::reset_to_json(calendar::ResetData{calendar::demo_users(), calendar::demo_items(), visibility});
}

TEST(AdminReset, WithoutVisibilityGoesBackToTheServersSetting) {
  ServerFixture s;  // started with the default, global
  auto assigned = s.admin("POST", "/__admin/reset", reset_body(calendar::Visibility::assigned)).json();
  EXPECT_EQ(assigned["visibility"], "assigned");
  auto plain = s.admin("POST", "/__admin/reset", reset_body(std::nullopt)).json();
  EXPECT_EQ(plain["visibility"], "global") << "the previous reset's override stayed";
}

TEST(AdminReset, WithoutVisibilityKeepsAnAssignedServerAssigned) {
  testsupport::ServerConfig config;
  config.visibility = calendar::Visibility::assigned;
  ServerFixture s(config);
  s.admin("POST", "/__admin/reset", reset_body(calendar::Visibility::global));
  EXPECT_EQ(s.admin("POST", "/__admin/reset", reset_body(std::nullopt)).json()["visibility"], "assigned");
}

TEST(ManualClock, CannotBeMovedPastTheLastRepresentableInstant) {
  ServerFixture s;
  auto set = clock_request(s, {{"now", "9999-12-31T00:00:00Z"}});
  ASSERT_EQ(set.status, 200) << set.body;
  auto past = clock_request(s, {{"advance_s", 86400}});
  EXPECT_EQ(past.status, 400) << past.body;
  EXPECT_TRUE(past.is_json_error());
  auto now = clock_request(s, {{"advance_s", 0}});
  ASSERT_EQ(now.status, 200);
  EXPECT_EQ(now.json()["now"], "9999-12-31T00:00:00Z") << "a refused advance changes nothing";
  EXPECT_EQ(clock_request(s, {{"advance_s", 86399.999}}).status, 200) << "the last millisecond is fine";
  auto health = s.browser().get("/healthz");
  EXPECT_EQ(health.header("Date"), "Fri, 31 Dec 9999 23:59:59 GMT");
}

TEST(ManualClock, RepeatedHugeAdvancesNeverWrapTheDate) {
  ServerFixture s;
  int refused = 0;
  for (int i = 0; i < 100; ++i) {
    auto r = clock_request(s, {{"advance_s", 1e10}});
    refused += r.status == 400;
    auto date = s.browser().get("/healthz").header("Date");
    ASSERT_TRUE(calendar::parse_http_date(date)) << "unreadable Date header '" << date << "' after " << i + 1;
  }
  EXPECT_GT(refused, 0);
}

TEST(ManualClock, InstantsBeforeYearZeroAreRefused) {
  ServerFixture s;
  ASSERT_EQ(clock_request(s, {{"now", "0000-01-01T00:00:00+00:00"}}).status, 200);
  EXPECT_EQ(clock_request(s, {{"now", "0000-01-01T00:00:00+01:00"}}).status, 400) << "that is year -1";
}

}  // namespace
