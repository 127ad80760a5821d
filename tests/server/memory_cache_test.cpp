// The memory backend: TTL on the injected clock, Django-style cull, counters.
#include <gtest/gtest.h>

#include "calendar/memory_cache.h"

using calendar::ManualClock;
using calendar::MemoryCache;

namespace {

TEST(MemoryCache, ExpiresOnTheInjectedClock) {
  ManualClock clock(1'000'000);
  MemoryCache cache(clock);
  cache.set("k", "v", 300);
  clock.advance_ms(299'999);
  EXPECT_EQ(cache.get("k"), "v");
  clock.advance_ms(1);
  EXPECT_EQ(cache.get("k"), std::nullopt);
  cache.set("forever", "1", std::nullopt);
  clock.advance_ms(10'000'000'000);
  EXPECT_EQ(cache.get("forever"), "1");
}

TEST(MemoryCache, IncrCreatesOneWithoutExpiryThenCounts) {
  ManualClock clock(0);
  MemoryCache cache(clock);
  EXPECT_EQ(cache.incr("calendar_version:1"), 1);
  EXPECT_EQ(cache.incr("calendar_version:1"), 2);
  EXPECT_EQ(cache.get("calendar_version:1"), "2");
  cache.set("text", "abc", 10);
  EXPECT_EQ(cache.incr("text"), std::nullopt);
  EXPECT_EQ(cache.stats().errors, 1u);
}

TEST(MemoryCache, CullsALeastRecentlyUsedThirdWhenFull) {
  ManualClock clock(0);
  MemoryCache cache(clock, 9);
  for (int i = 0; i < 9; ++i) cache.set(std::string("k").append(std::to_string(i)), "v", 300);  // GCC 12 warns falsely on "k" + std::string&&
  cache.get("k0");  // k0 becomes most recently used; k1, k2, k3 are the oldest
  cache.set("new", "v", 300);
  EXPECT_EQ(cache.size(), 7u);  // 9 - 9/3 + 1
  EXPECT_EQ(cache.stats().evictions, 3u);
  EXPECT_TRUE(cache.get("k0"));
  EXPECT_FALSE(cache.get("k1"));
  EXPECT_FALSE(cache.get("k2"));
  EXPECT_FALSE(cache.get("k3"));
  EXPECT_TRUE(cache.get("k4"));
  EXPECT_TRUE(cache.get("new"));
}

TEST(MemoryCache, CountsEveryOperationAndRoundTrip) {
  ManualClock clock(0);
  MemoryCache cache(clock);
  cache.set("a", "1", 10);
  cache.get("a");
  cache.get("b");
  cache.del("a");
  cache.del_many({"x", "y", "z"});
  cache.incr("n");
  auto s = cache.stats();
  EXPECT_EQ(s.sets, 1u);
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.deletes, 4u);
  EXPECT_EQ(s.incrs, 1u);
  EXPECT_EQ(s.round_trips, 6u);  // del_many is one call
  EXPECT_EQ(cache.get_many({"n", "a"}), (std::vector<std::optional<std::string>>{"1", std::nullopt}));
}

TEST(MemoryCache, FlushAndEvict) {
  ManualClock clock(0);
  MemoryCache cache(clock);
  cache.set("a", "1", 10);
  cache.set("b", "1", 10);
  EXPECT_EQ(cache.evict({"a", "missing"}), 1u);
  EXPECT_EQ(cache.keys(), std::vector<std::string>{"b"});
  cache.flush();
  EXPECT_TRUE(cache.keys().empty());
}

}  // namespace
