// Percent-decoding of a URL query string (application/x-www-form-urlencoded).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cachecheck {

// "a=1&b=x%2By" → {a: "1", b: "x+y"}; `+` decodes to a space; a repeated name keeps the last.
std::map<std::string, std::string> parse_query_string(std::string_view query);
std::optional<std::string> param(const std::map<std::string, std::string>& params, const std::string& name);
std::string percent_decode(std::string_view s);
// A URL path segment: RFC 3986 unreserved bytes as they are, every other byte %XX.
std::string percent_encode_segment(std::string_view s);

}  // namespace cachecheck
