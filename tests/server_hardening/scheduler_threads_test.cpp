// Threads that meet in the reference server, for ThreadSanitizer above all:
// the harness's deterministic scheduler (harness/targets/in_process/
// scheduler.cpp, compiled in here so that this suite needs no other harness
// code) running concurrent feeds and writes on a cluster of workers, and the
// HTTP server's connection threads sharing those workers, the session table
// and a Redis-backed cache.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "calendar/cluster.h"
#include "fixtures.h"
#include "http_client.h"
#include "redis_server.h"
#include "server_fixture.h"
#include "targets/in_process/scheduler.h"

namespace {

using namespace calendar;

const FeedParams kOctober{"2025-10-01", "2025-11-01", {}, {}};

struct World {
  explicit World(const std::string& strategy)
      : clock(*parse_instant("2025-10-05T09:00:00Z")), store(clock),
        cluster(ClusterConfig{.strategy = strategy, .cache = "memory", .workers = 2}, store, clock) {
    cluster.reset(testsupport::demo_users(),
                  {testsupport::make_item(1, "2025-10-10", "2025-10-12"), testsupport::make_item(2, "2025-10-14", "2025-10-20")},
                  std::nullopt);
  }
  ManualClock clock;
  Store store;
  Cluster cluster;
};

// Feeds, an edit and a delete on two workers, interleaved at every cache and
// store access by the seeded scheduler; returns the order it chose. The tasks
// call the workers directly, as the in-process target does: the cluster's
// per-worker lock would block a task the scheduler has paused another in.
std::vector<std::string> interleave(std::uint64_t seed) {
  World w("robust");
  cachecheck::Scheduler scheduler(seed);
  w.cluster.set_hook(&scheduler);
  std::vector<std::function<void()>> tasks;
  for (UserId user : {1, 2, 3})
    tasks.push_back([&w, user] { EXPECT_EQ(w.cluster.worker(user % 2).feed(user, kOctober).status, 200); });
  tasks.push_back([&w] { EXPECT_EQ(w.cluster.worker(0).patch(1, testsupport::item_uuid(2), {{"title", "x"}}).status, 200); });
  tasks.push_back([&w] { EXPECT_EQ(w.cluster.worker(1).remove(1, testsupport::item_uuid(1)).status, 200); });
  scheduler.run(std::move(tasks));
  w.cluster.set_hook(nullptr);
  std::vector<std::string> order;
  for (const auto& step : scheduler.trace()) order.push_back(std::to_string(step.task) + " " + step.what);
  for (std::size_t worker : {0, 1})
    EXPECT_EQ(w.cluster.worker(worker).feed(1, kOctober).body.find(testsupport::item_uuid(1)), std::string::npos);
  return order;
}

TEST(Threads, TheSchedulerInterleavesWorkersTheSameWayForTheSameSeed) {
  auto first = interleave(7);
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(interleave(7), first);
}

TEST(Threads, ConnectionThreadsShareWorkersSessionsAndARedisCache) {
  testsupport::RedisServerProcess redis;
  testsupport::ServerConfig config;
  config.strategy = "robust";
  config.cache = redis.url();
  config.workers = 3;
  testsupport::ServerFixture s(config);
  const std::string query = testsupport::encode_query({{"start", "2025-10-01"}, {"end", "2025-11-01"}});
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      testsupport::BrowserSession b = s.logged_in(c % 2 ? "alice" : "bob");
      for (int i = 0; i < 40; ++i) {
        EXPECT_EQ(b.feed_response(query).status, 200);
        if (i % 10 == 0) {
          auto created = b.create({{"title", "t"}, {"work_type", "task"}, {"status", "not_started"},
                                   {"start_date", "2025-10-15"}, {"due_date", "2025-10-16"}});
          ASSERT_EQ(created.status, 201);
          EXPECT_EQ(b.del(created.json()["id"]).status, 200);
        }
        if (i == 20) {
          ASSERT_EQ(b.logout().status, 200);
          ASSERT_EQ(b.login(c % 2 ? "alice" : "bob").status, 200);
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(s.stats()["cache"]["errors"], 0);
}

}  // namespace
