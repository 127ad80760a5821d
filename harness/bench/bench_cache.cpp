// Families on the application library, no sockets except Redis':
//   invalidate/<strategy>/<backend>         one DELETE of an item (CalendarApp::remove), whole write path
//   invalidate/sweep-pipelined/<backend>    the same with the sweep's 100 deletes in one round trip
//   read-hit/<strategy>/<backend>           CalendarApp::feed, FullCalendar's October 2025 range, warm cache
//   read-miss/<strategy>/<backend>          the same after the entry expired (the manual clock passes the TTL)
//   floor/ping/redis                        one Redis round trip (RedisCache::ping)
//   floor/map-lookup/memory                 one MemoryCache::get of a present, small key
//   floor/raw-get/<backend>                 Cache::get of the very bytes a cached October feed occupies
//   floor/hiredis-get/redis                 a bare hiredis GET of those bytes (no client wrapper)
#include <hiredis/hiredis.h>

#include <memory>
#include <string>

#include "bench_env.h"
#include "calendar/cluster.h"
#include "calendar/memory_cache.h"
#include "calendar/redis_cache.h"
#include "calendar/store.h"
#include "calendar/strategy.h"

namespace bench {
namespace {

using calendar::CacheStats;
using calendar::Cluster;
using calendar::ClusterConfig;
using calendar::ManualClock;
using calendar::Store;

constexpr std::size_t kPool = 128;  // deletable items per refill

// --- invalidate -------------------------------------------------------------

void invalidate(benchmark::State& state, const std::string& strategy, const std::string& backend, bool pipeline) {
  auto spec = backend_spec(state, backend);
  if (!spec) return;
  ManualClock clock(bench_now());
  Store store(clock);
  ClusterConfig cc;
  cc.strategy = strategy;
  cc.cache = *spec;
  cc.pipeline = pipeline;
  Cluster cluster(cc, store, clock);
  cluster.reset(bench_users(3), calendar_items(), calendar::Visibility::global);  // flushes the cache
  calendar::CalendarApp& app = cluster.worker(0);
  // Warm the actor's feed so that the write has something to invalidate.
  app.feed(1, october_params());

  std::vector<calendar::WorkItem> pool;
  for (std::size_t i = 0; i < kPool; ++i) pool.push_back(pool_item(i, 1));
  auto refill = [&] {
    for (auto& item : pool) store.insert(item);
  };
  refill();
  std::size_t next = 0;
  std::uint64_t writes = 0;
  const CacheStats before = app.cache().stats();
  for (auto _ : state) {
    if (next == pool.size()) {
      state.PauseTiming();
      refill();
      next = 0;
      state.ResumeTiming();
    }
    auto r = app.remove(1, pool[next++].id);
    if (r.status != 200) {
      state.SkipWithError(("DELETE answered " + std::to_string(r.status) + ": " + r.body).c_str());
      break;
    }
    ++writes;
  }
  const CacheStats after = app.cache().stats();
  set_cache_counters(state, before, after);
  if (app.cache().stats().errors != before.errors) state.SkipWithError("the cache reported errors");
  state.SetLabel(pipeline ? "DELETE, sweep pipelined" : "DELETE of one item");
}

// --- reads --------------------------------------------------------------------

void read(benchmark::State& state, const std::string& strategy, const std::string& backend, bool hit) {
  auto spec = backend_spec(state, backend);
  if (!spec) return;
  ManualClock clock(bench_now());
  Store store(clock);
  ClusterConfig cc;
  cc.strategy = strategy;
  cc.cache = *spec;
  Cluster cluster(cc, store, clock);
  cluster.reset(bench_users(3), calendar_items(), calendar::Visibility::global);
  calendar::CalendarApp& app = cluster.worker(0);
  const calendar::FeedParams params = october_params();
  const calendar::TimeMs past_ttl = (static_cast<calendar::TimeMs>(cc.ttl_s) + 1) * 1000;

  // Check that the loop measures what its name says.
  auto first = app.feed(1, params);
  if (first.status != 200) {
    state.SkipWithError(("the feed answered " + std::to_string(first.status)).c_str());
    return;
  }
  if (!hit) clock.advance_ms(past_ttl);
  auto probe = app.feed(1, params);
  const bool cached = strategy != "none";
  const calendar::Served expected = hit && cached ? calendar::Served::cache : calendar::Served::store;
  if (probe.served != expected) {
    state.SkipWithError(hit ? "expected a cache hit" : "expected a cache miss");
    return;
  }

  const CacheStats before = app.cache().stats();
  const std::uint64_t queries_before = store.queries();
  std::size_t bytes = 0;
  for (auto _ : state) {
    if (!hit) clock.advance_ms(past_ttl);
    auto r = app.feed(1, params);
    benchmark::DoNotOptimize(r.body.data());
    bytes = r.body.size();
  }
  const CacheStats after = app.cache().stats();
  set_cache_counters(state, before, after);
  state.counters["store_queries"] = per_iteration(static_cast<double>(store.queries() - queries_before));
  state.counters["bytes"] = static_cast<double>(bytes);
  if (after.errors != before.errors) state.SkipWithError("the cache reported errors");
  if (!cached)
    state.SetLabel("no cache: every read is a store query");
  else
    state.SetLabel(hit ? "FullCalendar October 2025, cache hit" : "FullCalendar October 2025, entry expired");
}

// --- floors -------------------------------------------------------------------

std::optional<calendar::RedisAddress> redis_address(benchmark::State& state) {
  auto spec = backend_spec(state, "redis");
  if (!spec) return std::nullopt;
  std::string error;
  auto address = calendar::parse_redis_url(*spec, error);
  if (!address) state.SkipWithError(error.c_str());
  return address;
}

void floor_ping(benchmark::State& state) {
  auto address = redis_address(state);
  if (!address) return;
  ManualClock clock(bench_now());
  calendar::RedisCache cache(*address, clock);
  if (!cache.ping()) {
    state.SkipWithError("PING failed");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(cache.ping());
  state.SetLabel("one Redis round trip");
}

void floor_map_lookup(benchmark::State& state) {
  ManualClock clock(bench_now());
  calendar::MemoryCache cache(clock);
  const std::string key = "calendar_version:1";
  cache.set(key, "42", std::nullopt);
  for (auto _ : state) {
    auto v = cache.get(key);
    benchmark::DoNotOptimize(v);
  }
  state.SetLabel("one MemoryCache::get of a present key");
}

// The bytes a cached October feed occupies in `backend` (what read-hit fetches).
std::optional<std::string> cached_feed_bytes(const std::string& spec) {
  ManualClock clock(bench_now());
  Store store(clock);
  ClusterConfig cc;
  cc.strategy = "ttl-only";
  cc.cache = spec;
  Cluster cluster(cc, store, clock);
  cluster.reset(bench_users(3), calendar_items(), calendar::Visibility::global);
  cluster.worker(0).feed(1, october_params());
  return cluster.worker(0).cache().get(calendar::feed_key(1, october_query()));
}

void floor_raw_get(benchmark::State& state, const std::string& backend) {
  auto spec = backend_spec(state, backend);
  if (!spec) return;
  auto bytes = cached_feed_bytes(*spec);
  if (!bytes) {
    state.SkipWithError("could not read a cached feed entry");
    return;
  }
  ManualClock clock(bench_now());
  auto cache = calendar::make_cache(*spec, clock, 0);
  const std::string key = "bench:raw-get";
  cache->set(key, *bytes, 300);
  if (!cache->get(key)) {
    state.SkipWithError("the raw GET missed");
    return;
  }
  for (auto _ : state) {
    auto v = cache->get(key);
    benchmark::DoNotOptimize(v);
  }
  state.counters["bytes"] = static_cast<double>(bytes->size());
  state.SetLabel("Cache::get of a cached feed's bytes");
}

void floor_hiredis_get(benchmark::State& state) {
  auto address = redis_address(state);
  if (!address) return;
  auto bytes = cached_feed_bytes(*backend_spec(state, "redis"));
  if (!bytes) {
    state.SkipWithError("could not read a cached feed entry");
    return;
  }
  redisContext* ctx = redisConnect(address->host.c_str(), address->port);
  if (ctx == nullptr || ctx->err != 0) {
    state.SkipWithError("hiredis could not connect");
    if (ctx != nullptr) redisFree(ctx);
    return;
  }
  const std::string key = "bench:hiredis-get";
  freeReplyObject(redisCommand(ctx, "SET %b %b", key.data(), key.size(), bytes->data(), bytes->size()));
  for (auto _ : state) {
    auto* reply = static_cast<redisReply*>(redisCommand(ctx, "GET %b", key.data(), key.size()));
    if (reply == nullptr || reply->type != REDIS_REPLY_STRING) {
      if (reply != nullptr) freeReplyObject(reply);
      state.SkipWithError("hiredis GET failed");
      break;
    }
    benchmark::DoNotOptimize(reply->str);
    freeReplyObject(reply);
  }
  redisFree(ctx);
  state.counters["bytes"] = static_cast<double>(bytes->size());
  state.SetLabel("bare hiredis GET of a cached feed's bytes");
}

}  // namespace

void register_cache_benchmarks(const Selection& sel) {
  if (sel.redis) {
    benchmark::RegisterBenchmark("floor/ping/redis", floor_ping)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("floor/raw-get/redis", [](benchmark::State& st) { floor_raw_get(st, "redis"); })
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("floor/hiredis-get/redis", floor_hiredis_get)->Unit(benchmark::kMicrosecond);
  }
  if (sel.memory) {
    benchmark::RegisterBenchmark("floor/map-lookup/memory", floor_map_lookup)->Unit(benchmark::kNanosecond);
    benchmark::RegisterBenchmark("floor/raw-get/memory", [](benchmark::State& st) { floor_raw_get(st, "memory"); })
        ->Unit(benchmark::kNanosecond);
  }
  const auto strategies = calendar::strategy_names();
  for (const auto& backend : sel.backends()) {
    for (const auto& s : strategies) {
      benchmark::RegisterBenchmark(("invalidate/" + s + "/" + backend).c_str(),
                                   [s, backend](benchmark::State& st) { invalidate(st, s, backend, false); })
          ->Unit(benchmark::kMicrosecond);
      if (s == "sweep")
        benchmark::RegisterBenchmark(("invalidate/sweep-pipelined/" + backend).c_str(),
                                     [backend](benchmark::State& st) { invalidate(st, "sweep", backend, true); })
            ->Unit(benchmark::kMicrosecond);
    }
    for (const auto& s : strategies) {
      benchmark::RegisterBenchmark(("read-hit/" + s + "/" + backend).c_str(),
                                   [s, backend](benchmark::State& st) { read(st, s, backend, true); })
          ->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark(("read-miss/" + s + "/" + backend).c_str(),
                                   [s, backend](benchmark::State& st) { read(st, s, backend, false); })
          ->Unit(benchmark::kMicrosecond);
    }
  }
}

}  // namespace bench
