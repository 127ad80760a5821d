// A browser's private HTTP cache for the feed (RFC 9111), one instance per user, shared by that
// user's tabs. A pure model: no I/O, times are the target's clock in milliseconds.
//
// What is modelled
//   - Storing (§3): only status 200 responses; `no-store` responses are never stored; `private`
//     is fine (this is a private cache). A new response for a URL replaces the stored one, or,
//     when it is not storable, removes it.
//   - Freshness lifetime (§4.2.1, private cache): `max-age` (s-maxage ignored) wins over
//     Expires − Date; an Expires that does not parse (e.g. "0") means already expired; without
//     explicit freshness, the heuristic of §4.2.2: 10 % of (Date − Last-Modified), the fraction
//     browsers use; no explicit freshness and no Last-Modified → 0. A malformed max-age means
//     stale (§4.2.1); of repeated directives the first counts.
//   - Age (§4.2.3): apparent_age = max(0, response_time − date_value);
//     corrected_age_value = age_value + (response_time − request_time);
//     corrected_initial_age = max(apparent_age, corrected_age_value);
//     current_age = corrected_initial_age + (now − response_time).
//     A missing Date is taken as response_time. Fresh ⇔ freshness_lifetime > current_age.
//   - A response with (unqualified) `no-cache` is stored but never used without contacting the
//     server (§5.2.2.4).
//   - Request modes: normal (page load, navigation, FullCalendar's fetch()) uses a fresh stored
//     response; reload (F5: the browser revalidates, as with a request max-age=0) and hard_reload
//     (Ctrl+Shift+R: a no-cache request that bypasses the cache) never do.
//
// What is not modelled: conditional requests and 304s. Whenever the stored response may not be
// used as is, the model says "go to the server" and the caller makes a full fetch (and stores the
// new response); revalidation is therefore modelled as a full fetch. Serving stale responses (no
// network, stale-while-revalidate) is not modelled either, so `must-revalidate` changes nothing.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "model/time.h"

namespace cachecheck {

struct StoredResponse {
  std::string body;
  int status = 200;
  std::map<std::string, std::string> headers;  // lower-case names → values (repeats joined ", ")
  TimeMs request_time = 0;   // when the request was sent
  TimeMs response_time = 0;  // when the response was received
};

class BrowserHttpCache {
 public:
  enum class Mode {
    normal,       // navigation / refetch: a fresh stored response is used without the server
    reload,       // F5: revalidate (request max-age=0): always goes to the server
    hard_reload,  // Ctrl+Shift+R: request no-cache, bypasses the cache: always goes to the server
  };

  // The stored body for `url` when there is one, it is fresh at `now`, may be used without
  // contacting the server, and `mode` allows that; nullopt means "fetch from the server".
  std::optional<std::string> lookup(const std::string& url, TimeMs now,
                                    Mode mode) const;
  // Records the response the server just gave for `url`: stores it (replacing what was there)
  // when it is storable, i.e. status 200 and no `no-store`. A response that is not storable
  // removes the earlier stored one instead (as browsers do: the new response supersedes it, and a
  // later navigation must not fall back to an older body). Returns whether it was stored.
  bool store(const std::string& url, StoredResponse r);

  // RFC 9111 §4.2.1/§4.2.2 freshness lifetime in seconds (0 when none).
  double freshness_lifetime_s(const StoredResponse& r) const;
  // RFC 9111 §4.2.3 current age in seconds at `now`.
  double current_age_s(const StoredResponse& r, TimeMs now) const;
  // freshness_lifetime > current_age, and no `no-cache`: usable without contacting the server.
  bool usable_without_server(const StoredResponse& r, TimeMs now) const;

  // The stored response for `url`, fresh or not (for narration and tests); nullptr when none.
  const StoredResponse* find(const std::string& url) const;
  std::size_t size() const { return entries_.size(); }
  void erase(const std::string& url) { entries_.erase(url); }
  void clear() { entries_.clear(); }

 private:
  std::map<std::string, StoredResponse> entries_;
};

std::string_view to_string(BrowserHttpCache::Mode m);  // "normal", "reload", "hard-reload"

}  // namespace cachecheck
