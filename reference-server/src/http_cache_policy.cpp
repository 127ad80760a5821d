#include "calendar/http_cache_policy.h"

#include <charconv>

namespace calendar {

std::string HttpCachePolicy::describe() const {
  switch (mode) {
    case Mode::never: return "never";
    case Mode::max_age: return "max-age=" + std::to_string(max_age_s);
    case Mode::unset: return "unset";
  }
  return "never";
}

std::optional<HttpCachePolicy> parse_http_cache(std::string_view text, std::string& error) {
  HttpCachePolicy p;
  if (text == "never") return p;
  if (text == "unset") {
    p.mode = HttpCachePolicy::Mode::unset;
    return p;
  }
  constexpr std::string_view kMaxAge = "max-age=";
  if (text.substr(0, kMaxAge.size()) == kMaxAge) {
    std::string_view digits = text.substr(kMaxAge.size());
    int n = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (!digits.empty() && digits.front() != '-' && digits.front() != '+' && ec == std::errc() &&
        ptr == digits.data() + digits.size() && n >= 0 && n <= 31536000) {
      p.mode = HttpCachePolicy::Mode::max_age;
      p.max_age_s = n;
      return p;
    }
    error = "invalid --http-cache value '" + std::string(text) +
            "': max-age needs a whole number of seconds from 0 to 31536000";
    return std::nullopt;
  }
  error = "invalid --http-cache value '" + std::string(text) + "': expected never, max-age=N or unset";
  return std::nullopt;
}

}  // namespace calendar
