// Header-level text parsers: the Cookie header the server reads, the
// Set-Cookie lines our clients apply, form bodies, and the UTF-8 check.
// Finds: crashes, sanitizer reports, and valid_utf8 disagreeing with
// nlohmann-json (which must then accept exactly the same strings).
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "calendar/cookie_jar.h"
#include "calendar/request_parsing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace calendar;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::map<std::string, std::string> cookies;
  parse_cookie_header(text, cookies);
  for (auto& [name, value] : cookies)
    if (name.empty() || name.find(';') != std::string::npos || value.find(';') != std::string::npos) __builtin_trap();
  CookieJar jar;
  apply_set_cookie(jar, text);
  for (auto& [name, value] : parse_form(text)) (void)name, (void)value;
  form_decode(text);
  bool json_accepts = true;
  try {
    (void)nlohmann::json(text).dump();
  } catch (const nlohmann::json::type_error&) {
    json_accepts = false;
  }
  if (json_accepts != valid_utf8(text)) __builtin_trap();
  return 0;
}
