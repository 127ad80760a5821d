// The calendar-server program itself: flags, errors, start-up line, login, SIGTERM.
#include <signal.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "http_client.h"

namespace fs = std::filesystem;

namespace {

using Child = testsupport::ChildProcess;
using testsupport::free_port;

fs::path server_binary() { return testsupport::calendar_server_binary(); }

int lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

TEST(CalendarServerCli, TheBinaryIsNextToTheTests) { ASSERT_TRUE(fs::exists(server_binary())) << server_binary(); }

TEST(CalendarServerCli, BadFlagsExitTwoWithOneLine) {
  const std::vector<std::vector<std::string>> bad{
      {"--strategy", "lru"},         {"--cache", "memcached://localhost"}, {"--cache", "redis://host"},
      {"--workers", "0"},            {"--workers", "many"},                {"--ttl", "-1"},
      {"--visibility", "everyone"},  {"--http-cache", "sometimes"},        {"--http-cache", "max-age=x"},
      {"--clock", "sundial"},        {"--clock", "manual", "--now", "soon"}, {"--port", "70000"},
      {"--cache-capacity", "-5"},    {"--no-such-flag"},                   {"--now", "2025-10-05T09:00:00Z"},
  };
  for (const auto& args : bad) {
    std::string joined;
    for (auto& a : args) joined += a + " ";
    SCOPED_TRACE(joined);
    Child c(args);
    EXPECT_EQ(c.wait(), 2);
    std::string err = c.err();
    EXPECT_EQ(lines(err), 1) << err;
    EXPECT_EQ(err.rfind("calendar-server: error: ", 0), 0u) << err;
    EXPECT_TRUE(c.out().empty()) << c.out();
  }
}

TEST(CalendarServerCli, HelpAndVersionExitZero) {
  Child help({"--help"});
  EXPECT_EQ(help.wait(), 0);
  std::string out = help.out();
  for (const char* flag : {"--port", "--strategy", "--cache", "--cache-capacity", "--ttl", "--visibility", "--workers",
                           "--pipeline", "--http-cache", "--clock", "--now", "--admin", "--seed-demo", "--version"})
    EXPECT_NE(out.find(flag), std::string::npos) << flag;
  EXPECT_NE(out.find("sweep"), std::string::npos) << "lists the strategies";
  Child version({"--version"});
  EXPECT_EQ(version.wait(), 0);
  EXPECT_NE(version.out().find("calendar-server"), std::string::npos);
}

TEST(CalendarServerCli, ServesLogsInAndStopsOnSigterm) {
  int port = free_port();
  Child c({"--port", std::to_string(port), "--admin", "--clock", "manual", "--seed-demo", "--workers", "2"});
  testsupport::HttpResponse health;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline && c.running()) {
    health = testsupport::BrowserSession(port).get("/healthz");
    if (health.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(health.status, 200) << c.err();
  EXPECT_EQ(c.out(), "calendar-server listening on http://127.0.0.1:" + std::to_string(port) +
                         " (strategy=sweep, cache=memory, workers=2)\n");
  {
    testsupport::BrowserSession alice(port);
    ASSERT_EQ(alice.login("alice").status, 200);
    auto feed = alice.feed_response("start=2025-10-01&end=2025-10-31");
    EXPECT_EQ(feed.status, 200);
    EXPECT_EQ(feed.header("Date"), "Sun, 05 Oct 2025 09:00:00 GMT") << "manual clock at the default --now";
    EXPECT_GT(feed.json().size(), 0u) << "the demo fixture is loaded";
    EXPECT_EQ(alice.get("/__admin/stats").status, 200);
  }
  // A second server on the same port: a clear error and exit 1.
  Child second({"--port", std::to_string(port)});
  EXPECT_EQ(second.wait(), 1);
  EXPECT_NE(second.err().find("cannot listen"), std::string::npos) << second.err();

  c.signal(SIGTERM);
  EXPECT_EQ(c.wait(std::chrono::seconds(10)), 0) << c.err();
}

TEST(CalendarServerCli, SigintStopsItToo) {
  int port = free_port();
  Child c({"--port", std::to_string(port)});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline && c.out().empty())
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_FALSE(c.out().empty()) << c.err();
  EXPECT_EQ(testsupport::BrowserSession(port).get("/__admin/stats").status, 404) << "no --admin";
  c.signal(SIGINT);
  EXPECT_EQ(c.wait(std::chrono::seconds(10)), 0) << c.err();
}

}  // namespace
