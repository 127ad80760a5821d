// Parsers for what a request carries besides its framing (which cpp-httplib
// reads): JSON bodies, form bodies and Cookie headers. Pure functions of their
// input, so the fuzz targets in tests/fuzz/ call them directly.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace calendar {

// Deeper JSON bodies are refused before they are parsed.
inline constexpr int kMaxJsonDepth = 32;

// Whether `s` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
bool valid_utf8(std::string_view s);
// Deepest nesting of arrays/objects in JSON text (strings skipped).
int json_depth(std::string_view text);
// A JSON body; nullopt with `error` set when empty, malformed or too deep.
std::optional<nlohmann::json> parse_json_body(const std::string& body, std::string& error);

// application/x-www-form-urlencoded: '+' is a space, %XX a byte; the last value of a name wins.
std::string form_decode(std::string_view s);
std::map<std::string, std::string> parse_form(std::string_view body);

// Adds the pairs of one Cookie header value ("a=1; b=2") to `out`; the first
// value of a name wins, as Django reads it; quoted values lose their quotes.
void parse_cookie_header(std::string_view header, std::map<std::string, std::string>& out);

// `s` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);

}  // namespace calendar
