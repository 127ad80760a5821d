// Two runs of calendar-server outside the deterministic mode (--clock real)
// share nothing by accident: not the ids they create, and not the robust
// strategy's cache keys on a Redis that outlives them.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <signal.h>
#include <string>
#include <thread>

#include "child_process.h"
#include "http_client.h"
#include "redis_server.h"

namespace {

using testsupport::BrowserSession;
using testsupport::ChildProcess;

// Waits for the start-up line and returns the port (0 when it did not start).
int listening_port(ChildProcess& server) {
  static const std::regex line(R"(listening on http://127\.0\.0\.1:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline && server.running()) {
    std::smatch m;
    std::string out = server.out();
    if (std::regex_search(out, m, line)) return std::stoi(m[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return 0;
}

const nlohmann::json kItem{{"title", "New"}, {"work_type", "task"}, {"status", "not_started"},
                           {"start_date", "2025-10-10"}, {"due_date", "2025-10-11"}};

// Starts a server with `args`, logs in as alice, creates one item; returns its id.
std::string first_created_id(std::vector<std::string> args) {
  args.insert(args.end(), {"--port", "0", "--seed-demo"});
  ChildProcess server(args);
  const int port = listening_port(server);
  EXPECT_GT(port, 0) << server.err();
  if (port == 0) return "";
  BrowserSession alice(port);
  EXPECT_EQ(alice.login("alice").status, 200);
  auto created = alice.create(kItem);
  EXPECT_EQ(created.status, 201) << created.body;
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0) << server.err();
  return created.status == 201 ? created.json()["id"].get<std::string>() : "";
}

TEST(Restart, CreatedIdsDifferBetweenRunsOnTheRealClock) {
  const std::string a = first_created_id({"--clock", "real"});
  const std::string b = first_created_id({"--clock", "real"});
  ASSERT_FALSE(a.empty());
  EXPECT_NE(a, b) << "two fresh servers created the same first id";
}

TEST(Restart, TheManualClockStaysDeterministic) {
  const std::string a = first_created_id({"--clock", "manual", "--admin"});
  const std::string b = first_created_id({"--clock", "manual", "--admin"});
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b) << "replays rely on the same ids";
}

TEST(Restart, TheRobustStrategyNeverServesAPreviousRunsEntries) {
  testsupport::RedisServerProcess redis;
  const std::vector<std::string> args{"--port", "0", "--seed-demo", "--strategy", "robust", "--cache", redis.url()};
  const std::string query = testsupport::encode_query({{"start", "2025-10-01"}, {"end", "2025-11-01"}});
  std::string first_run_id;
  {
    ChildProcess first(args);
    const int port = listening_port(first);
    ASSERT_GT(port, 0) << first.err();
    BrowserSession alice(port);
    ASSERT_EQ(alice.login("alice").status, 200);
    auto created = alice.create(kItem);  // one write after the fixture
    ASSERT_EQ(created.status, 201);
    first_run_id = created.json()["id"];
    ASSERT_TRUE(alice.shows(query, first_run_id));
    ASSERT_EQ(alice.feed_response(query).header("X-Cache"), "HIT");
    first.signal(SIGTERM);
    ASSERT_EQ(first.wait(), 0);
  }
  ChildProcess second(args);
  const int port = listening_port(second);
  ASSERT_GT(port, 0) << second.err();
  BrowserSession alice(port);
  ASSERT_EQ(alice.login("alice").status, 200);
  auto created = alice.create(kItem);  // the same number of writes as the first run
  ASSERT_EQ(created.status, 201);
  auto feed = alice.feed_response(query);
  ASSERT_EQ(feed.status, 200);
  EXPECT_EQ(feed.body.find(first_run_id), std::string::npos) << "the first run's cached feed was served";
  EXPECT_NE(feed.body.find(created.json()["id"].get<std::string>()), std::string::npos);
}

}  // namespace
