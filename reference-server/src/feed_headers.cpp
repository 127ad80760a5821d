#include "calendar/feed_headers.h"

namespace calendar {

HeaderList feed_response_headers(const HttpCachePolicy& policy, const AppResponse& response, TimeMs now,
                                 std::optional<std::size_t> worker) {
  HeaderList h;
  switch (policy.mode) {
    case HttpCachePolicy::Mode::never:
#if CACHECHECK_MUTANT == 22  // mutant 22 (http-never-forgotten): the feed forgets never_cache and sends only Last-Modified (browsers cache it heuristically)
      if (response.last_modified) h.emplace_back("Last-Modified", format_http_date(*response.last_modified));
#elif CACHECHECK_MUTANT == 23  // mutant 23 (http-never-as-ttl): the browser may keep the feed as long as the server's cache does
      h.emplace_back("Cache-Control", "private, max-age=300");
#else
      h.emplace_back("Cache-Control", "max-age=0, no-cache, no-store, must-revalidate");
#endif
      break;
    case HttpCachePolicy::Mode::max_age:
      h.emplace_back("Cache-Control", "private, max-age=" + std::to_string(policy.max_age_s));
      break;
    case HttpCachePolicy::Mode::unset:
      if (response.last_modified) h.emplace_back("Last-Modified", format_http_date(*response.last_modified));
      break;
  }
  h.emplace_back("Date", format_http_date(now));
  if (response.served) h.emplace_back("X-Cache", *response.served == Served::cache ? "HIT" : "MISS");
  if (worker) h.emplace_back("X-Worker", std::to_string(*worker));
  return h;
}

}  // namespace calendar
