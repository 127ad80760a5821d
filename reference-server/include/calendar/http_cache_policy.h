// `--http-cache`: the HTTP caching headers of the feed (see feed_headers.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace calendar {

struct HttpCachePolicy {
  enum class Mode { never, max_age, unset };
  Mode mode = Mode::never;
  int max_age_s = 0;  // Mode::max_age only

  std::string describe() const;  // "never", "max-age=60", "unset"
  friend bool operator==(const HttpCachePolicy&, const HttpCachePolicy&) = default;
};
// Parses "never", "max-age=N" (0 ≤ N ≤ 31536000) or "unset"; nullopt with `error` set otherwise.
std::optional<HttpCachePolicy> parse_http_cache(std::string_view text, std::string& error);

}  // namespace calendar
