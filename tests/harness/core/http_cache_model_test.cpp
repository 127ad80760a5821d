// The browser HTTP cache model (RFC 9111 freshness, heuristic included; one instance per user).
#include "browser/http_cache_model.h"

#include <string>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

namespace cachecheck {
namespace {

using Mode = BrowserHttpCache::Mode;

const TimeMs T0 = *parse_instant("2025-10-05T09:00:00Z");
constexpr TimeMs kSec = 1000;

const std::string kUrl =
    "/oobc-management/calendar/feed/?start=2025-09-29T00%3A00%3A00%2B08%3A00"
    "&end=2025-11-10T00%3A00%3A00%2B08%3A00";
const std::string kOtherUrl =
    "/oobc-management/calendar/feed/?start=2025-09-29T00%3A00%3A00%2B08%3A00"
    "&end=2025-11-10T00%3A00%3A00%2B08%3A00&type=task";

// The server's never_cache header (Django's `never_cache`).
const std::string kNever = "max-age=0, no-cache, no-store, must-revalidate";

// A 200 answered instantly at `at`, with a Date header of `at` and the given Cache-Control.
StoredResponse response(std::string body, TimeMs at, std::optional<std::string> cache_control) {
  StoredResponse r;
  r.body = std::move(body);
  r.status = 200;
  r.headers["date"] = format_http_date(at);
  r.headers["content-type"] = "application/json";
  if (cache_control) r.headers["cache-control"] = *cache_control;
  r.request_time = at;
  r.response_time = at;
  return r;
}

TEST(HttpCacheModel, NoStoreIsNeverStored) {
  BrowserHttpCache cache;
  EXPECT_FALSE(cache.store(kUrl, response("[]", T0, "no-store")));
  EXPECT_EQ(cache.find(kUrl), nullptr);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_FALSE(cache.lookup(kUrl, T0, Mode::normal));
  // Even alongside a long max-age, and whatever the case of the directive.
  EXPECT_FALSE(cache.store(kUrl, response("[]", T0, "private, max-age=3600, No-Store")));
  EXPECT_EQ(cache.find(kUrl), nullptr);
}

TEST(HttpCacheModel, TheServersNeverHeaderNeverServes) {
  BrowserHttpCache cache;
  StoredResponse never = response("[1]", T0, kNever);
  EXPECT_FALSE(cache.store(kUrl, never));
  EXPECT_FALSE(cache.lookup(kUrl, T0, Mode::normal));
  EXPECT_FALSE(cache.usable_without_server(never, T0));
  EXPECT_EQ(cache.freshness_lifetime_s(never), 0.0);
}

TEST(HttpCacheModel, ANonStorableResponseReplacesAnEarlierStoredOne) {
  // Before the fix the feed was cacheable; once the server answers with `never`, the old body
  // must not come back on a later navigation.
  BrowserHttpCache cache;
  ASSERT_TRUE(cache.store(kUrl, response("[\"old\"]", T0, "private, max-age=300")));
  EXPECT_EQ(cache.lookup(kUrl, T0 + 10 * kSec, Mode::normal), "[\"old\"]");
  EXPECT_FALSE(cache.store(kUrl, response("[]", T0 + 20 * kSec, kNever)));
  EXPECT_EQ(cache.find(kUrl), nullptr);
  EXPECT_FALSE(cache.lookup(kUrl, T0 + 30 * kSec, Mode::normal));
}

TEST(HttpCacheModel, PrivateMaxAge60IsFreshAt59sAndStaleAt60s) {
  BrowserHttpCache cache;
  ASSERT_TRUE(cache.store(kUrl, response("[42]", T0, "private, max-age=60")));
  const StoredResponse& r = *cache.find(kUrl);
  EXPECT_EQ(cache.freshness_lifetime_s(r), 60.0);
  EXPECT_EQ(cache.current_age_s(r, T0), 0.0);
  EXPECT_EQ(cache.current_age_s(r, T0 + 59 * kSec), 59.0);
  EXPECT_EQ(cache.lookup(kUrl, T0, Mode::normal), "[42]");
  EXPECT_EQ(cache.lookup(kUrl, T0 + 59 * kSec, Mode::normal), "[42]");
  EXPECT_EQ(cache.lookup(kUrl, T0 + 59'999, Mode::normal), "[42]");
  EXPECT_FALSE(cache.lookup(kUrl, T0 + 60 * kSec, Mode::normal));
  EXPECT_FALSE(cache.lookup(kUrl, T0 + 3600 * kSec, Mode::normal));
  // A stale entry stays stored (it would be revalidated); the model just says "go to the server".
  EXPECT_NE(cache.find(kUrl), nullptr);
}

TEST(HttpCacheModel, MaxAgeZeroIsNeverFresh) {
  BrowserHttpCache cache;
  ASSERT_TRUE(cache.store(kUrl, response("[]", T0, "max-age=0")));
  EXPECT_EQ(cache.freshness_lifetime_s(*cache.find(kUrl)), 0.0);
  EXPECT_FALSE(cache.lookup(kUrl, T0, Mode::normal));
}

TEST(HttpCacheModel, HeuristicFreshnessIsTenPercentOfTheTimeSinceLastModified) {
  BrowserHttpCache cache;
  StoredResponse r = response("[7]", T0, std::nullopt);
  r.headers["last-modified"] = format_http_date(T0 - 1000 * kSec);
  ASSERT_TRUE(cache.store(kUrl, r));
  EXPECT_DOUBLE_EQ(cache.freshness_lifetime_s(r), 100.0);
  EXPECT_EQ(cache.lookup(kUrl, T0 + 99 * kSec, Mode::normal), "[7]");
  EXPECT_EQ(cache.lookup(kUrl, T0 + 99'999, Mode::normal), "[7]");
  EXPECT_FALSE(cache.lookup(kUrl, T0 + 100 * kSec, Mode::normal));
}

TEST(HttpCacheModel, HeuristicDoesNotApplyWithExplicitFreshnessOrNoCache) {
  BrowserHttpCache cache;
  StoredResponse r = response("[]", T0, "max-age=5");
  r.headers["last-modified"] = format_http_date(T0 - 100'000 * kSec);
  EXPECT_EQ(cache.freshness_lifetime_s(r), 5.0);
  r.headers["cache-control"] = "no-cache";
  cache.store(kUrl, r);
  EXPECT_FALSE(cache.lookup(kUrl, T0, Mode::normal));
  // Last-Modified after Date (a broken clock) gives no heuristic lifetime.
  StoredResponse future = response("[]", T0, std::nullopt);
  future.headers["last-modified"] = format_http_date(T0 + 10 * kSec);
  EXPECT_EQ(cache.freshness_lifetime_s(future), 0.0);
}

TEST(HttpCacheModel, NoValidatorsAndNoExplicitFreshnessIsNeverFresh) {
  BrowserHttpCache cache;
  ASSERT_TRUE(cache.store(kUrl, response("[]", T0, std::nullopt)));
  EXPECT_EQ(cache.freshness_lifetime_s(*cache.find(kUrl)), 0.0);
  EXPECT_FALSE(cache.lookup(kUrl, T0, Mode::normal));
  EXPECT_FALSE(cache.lookup(kUrl, T0 + 1, Mode::normal));
  // s-maxage is for shared caches: alone it gives a private cache nothing.
  ASSERT_TRUE(cache.store(kUrl, response("[]", T0, "public, s-maxage=600")));
  EXPECT_EQ(cache.freshness_lifetime_s(*cache.find(kUrl)), 0.0);
  EXPECT_FALSE(cache.lookup(kUrl, T0, Mode::normal));
}

TEST(HttpCacheModel, SMaxAgeIsIgnoredInFavourOfMaxAge) {
  BrowserHttpCache cache;
  EXPECT_EQ(cache.freshness_lifetime_s(response("[]", T0, "s-maxage=600, max-age=5")), 5.0);
  EXPECT_EQ(cache.freshness_lifetime_s(response("[]", T0, "max-age=600, s-maxage=5")), 600.0);
}

TEST(HttpCacheModel, AgeHeaderCountsTowardsTheAge) {
  BrowserHttpCache cache;
  StoredResponse r = response("[1]", T0, "max-age=60");
  r.headers["age"] = "50";
  ASSERT_TRUE(cache.store(kUrl, r));
  EXPECT_EQ(cache.current_age_s(r, T0), 50.0);
  EXPECT_EQ(cache.lookup(kUrl, T0 + 9 * kSec, Mode::normal), "[1]");
  EXPECT_FALSE(cache.lookup(kUrl, T0 + 10 * kSec, Mode::normal));
  // An Age beyond max-age: stale on arrival.
  r.headers["age"] = "60";
  EXPECT_FALSE(cache.usable_without_server(r, T0));
  // An invalid Age is ignored; a list uses its first member.
  r.headers["age"] = "soon";
  EXPECT_EQ(cache.current_age_s(r, T0), 0.0);
  r.headers["age"] = "20, 40";
  EXPECT_EQ(cache.current_age_s(r, T0), 20.0);
}

TEST(HttpCacheModel, ApparentAgeFromDateAndResponseDelay) {
  BrowserHttpCache cache;
  // The Date header says the response was generated 30 s before it arrived.
  StoredResponse skewed = response("[]", T0, "max-age=60");
  skewed.headers["date"] = format_http_date(T0 - 30 * kSec);
  EXPECT_EQ(cache.current_age_s(skewed, T0), 30.0);
  EXPECT_TRUE(cache.usable_without_server(skewed, T0 + 29 * kSec));
  EXPECT_FALSE(cache.usable_without_server(skewed, T0 + 30 * kSec));
  // A Date in the future (server clock ahead) does not make the age negative.
  StoredResponse ahead = response("[]", T0, "max-age=60");
  ahead.headers["date"] = format_http_date(T0 + 30 * kSec);
  EXPECT_EQ(cache.current_age_s(ahead, T0), 0.0);
  // The request took 2 s: corrected_age_value = age_value + response_delay.
  StoredResponse slow = response("[]", T0 + 2 * kSec, "max-age=60");
  slow.request_time = T0;
  EXPECT_EQ(cache.current_age_s(slow, T0 + 2 * kSec), 2.0);
  EXPECT_TRUE(cache.usable_without_server(slow, T0 + 59 * kSec));
  EXPECT_FALSE(cache.usable_without_server(slow, T0 + 60 * kSec));
  // No Date header: taken as the time the response arrived.
  StoredResponse undated = response("[]", T0, "max-age=60");
  undated.headers.erase("date");
  EXPECT_EQ(cache.current_age_s(undated, T0 + 5 * kSec), 5.0);
}

TEST(HttpCacheModel, ExpiresMinusDateWhenThereIsNoMaxAge) {
  BrowserHttpCache cache;
  StoredResponse r = response("[3]", T0, std::nullopt);
  r.headers["expires"] = format_http_date(T0 + 120 * kSec);
  ASSERT_TRUE(cache.store(kUrl, r));
  EXPECT_EQ(cache.freshness_lifetime_s(r), 120.0);
  EXPECT_EQ(cache.lookup(kUrl, T0 + 119 * kSec, Mode::normal), "[3]");
  EXPECT_FALSE(cache.lookup(kUrl, T0 + 120 * kSec, Mode::normal));
  // max-age wins over Expires.
  r.headers["cache-control"] = "max-age=10";
  EXPECT_EQ(cache.freshness_lifetime_s(r), 10.0);
  r.headers.erase("cache-control");
  // Expires is relative to Date, not to the receiving clock.
  r.headers["date"] = format_http_date(T0 - 60 * kSec);
  EXPECT_EQ(cache.freshness_lifetime_s(r), 180.0);
  // An Expires in the past, or an invalid one such as "0", is already expired and disables the
  // heuristic even with a Last-Modified.
  r.headers["last-modified"] = format_http_date(T0 - 100'000 * kSec);
  r.headers["expires"] = format_http_date(T0 - 3600 * kSec);
  EXPECT_EQ(cache.freshness_lifetime_s(r), 0.0);
  r.headers["expires"] = "0";
  EXPECT_EQ(cache.freshness_lifetime_s(r), 0.0);
}

TEST(HttpCacheModel, NoCacheIsStoredButNeverServedWithoutTheServer) {
  BrowserHttpCache cache;
  ASSERT_TRUE(cache.store(kUrl, response("[]", T0, "private, no-cache, max-age=600")));
  EXPECT_NE(cache.find(kUrl), nullptr);
  EXPECT_FALSE(cache.lookup(kUrl, T0, Mode::normal));
  // The qualified form only restricts the named fields.
  ASSERT_TRUE(cache.store(kUrl, response("[9]", T0, "no-cache=\"set-cookie\", max-age=60")));
  EXPECT_EQ(cache.lookup(kUrl, T0 + kSec, Mode::normal), "[9]");
}

TEST(HttpCacheModel, ReloadAndHardReloadGoToTheServer) {
  BrowserHttpCache cache;
  ASSERT_TRUE(cache.store(kUrl, response("[5]", T0, "private, max-age=300")));
  EXPECT_EQ(cache.lookup(kUrl, T0 + kSec, Mode::normal), "[5]");
  EXPECT_FALSE(cache.lookup(kUrl, T0 + kSec, Mode::reload));
  EXPECT_FALSE(cache.lookup(kUrl, T0 + kSec, Mode::hard_reload));
  // Looking up does not drop the entry: a later navigation still uses it.
  EXPECT_EQ(cache.lookup(kUrl, T0 + 2 * kSec, Mode::normal), "[5]");
  // The reload's fresh response replaces it.
  ASSERT_TRUE(cache.store(kUrl, response("[6]", T0 + 3 * kSec, "private, max-age=300")));
  EXPECT_EQ(cache.lookup(kUrl, T0 + 4 * kSec, Mode::normal), "[6]");
  EXPECT_EQ(to_string(Mode::normal), "normal");
  EXPECT_EQ(to_string(Mode::reload), "reload");
  EXPECT_EQ(to_string(Mode::hard_reload), "hard-reload");
}

TEST(HttpCacheModel, EntriesAreSeparatePerUrl) {
  BrowserHttpCache cache;
  ASSERT_TRUE(cache.store(kUrl, response("[\"all\"]", T0, "private, max-age=60")));
  ASSERT_TRUE(cache.store(kOtherUrl, response("[\"tasks\"]", T0, "private, max-age=600")));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.lookup(kUrl, T0 + kSec, Mode::normal), "[\"all\"]");
  EXPECT_EQ(cache.lookup(kOtherUrl, T0 + kSec, Mode::normal), "[\"tasks\"]");
  EXPECT_FALSE(cache.lookup(kUrl + "&status=completed", T0 + kSec, Mode::normal));
  // Each has its own freshness.
  EXPECT_FALSE(cache.lookup(kUrl, T0 + 60 * kSec, Mode::normal));
  EXPECT_EQ(cache.lookup(kOtherUrl, T0 + 60 * kSec, Mode::normal), "[\"tasks\"]");
  // Replacing or erasing one leaves the other.
  ASSERT_TRUE(cache.store(kUrl, response("[]", T0 + 61 * kSec, "private, max-age=60")));
  EXPECT_EQ(cache.lookup(kOtherUrl, T0 + 62 * kSec, Mode::normal), "[\"tasks\"]");
  cache.erase(kOtherUrl);
  EXPECT_FALSE(cache.lookup(kOtherUrl, T0 + 62 * kSec, Mode::normal));
  EXPECT_EQ(cache.lookup(kUrl, T0 + 62 * kSec, Mode::normal), "[]");
  cache.clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_FALSE(cache.lookup(kUrl, T0 + 62 * kSec, Mode::normal));
}

TEST(HttpCacheModel, OnlyStatus200IsStored) {
  BrowserHttpCache cache;
  StoredResponse missing = response("{}", T0, "max-age=600");
  missing.status = 404;
  EXPECT_FALSE(cache.store(kUrl, missing));
  EXPECT_EQ(cache.find(kUrl), nullptr);
  ASSERT_TRUE(cache.store(kUrl, response("[1]", T0, "max-age=600")));
  StoredResponse error = response("oops", T0 + kSec, "max-age=600");
  error.status = 500;
  EXPECT_FALSE(cache.store(kUrl, error));
  EXPECT_FALSE(cache.lookup(kUrl, T0 + 2 * kSec, Mode::normal));
}

TEST(HttpCacheModel, CacheControlParsing) {
  BrowserHttpCache cache;
  auto lifetime = [&](const std::string& cc) {
    return cache.freshness_lifetime_s(response("[]", T0, cc));
  };
  EXPECT_EQ(lifetime("Private, Max-Age=60"), 60.0);
  EXPECT_EQ(lifetime("max-age=\"60\""), 60.0);
  EXPECT_EQ(lifetime("  max-age = 60 ,private"), 60.0);
  EXPECT_EQ(lifetime("max-age=60, max-age=5"), 60.0);  // the first occurrence counts
  EXPECT_EQ(lifetime("max-age=abc"), 0.0);             // malformed: stale
  EXPECT_EQ(lifetime("max-age=-5"), 0.0);
  EXPECT_EQ(lifetime("max-age"), 0.0);
  EXPECT_EQ(lifetime("max-age=99999999999999999999"), 2147483648.0);  // §1.2.2 cap
  EXPECT_EQ(lifetime("foo=\"a,b\", max-age=30"), 30.0);  // commas inside quotes
  EXPECT_EQ(lifetime(",,max-age=30,,"), 30.0);
}

RC_GTEST_PROP(HttpCacheModelProperty, MaxAgeFreshExactlyBeforeItElapses, ()) {
  const auto max_age = *rc::gen::inRange<std::int64_t>(0, 1'000'000);
  const auto age_header = *rc::gen::inRange<std::int64_t>(0, 1000);
  const auto elapsed_ms = *rc::gen::inRange<std::int64_t>(0, 2'000'000'000);
  BrowserHttpCache cache;
  StoredResponse r = response("[x]", T0, "private, max-age=" + std::to_string(max_age));
  if (age_header) r.headers["age"] = std::to_string(age_header);
  cache.store(kUrl, r);
  bool fresh = cache.lookup(kUrl, T0 + elapsed_ms, Mode::normal).has_value();
  RC_ASSERT(fresh == (age_header * 1000 + elapsed_ms < max_age * 1000));
  RC_ASSERT(!cache.lookup(kUrl, T0 + elapsed_ms, Mode::reload));
  RC_ASSERT(!cache.lookup(kUrl, T0 + elapsed_ms, Mode::hard_reload));
}

}  // namespace
}  // namespace cachecheck
