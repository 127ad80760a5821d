#include "targets/cookies.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace cachecheck {
namespace {

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Whether an attribute ends the cookie now: Max-Age ≤ 0 (§5.2.2), or an Expires in
// the epoch year that servers use to delete ("Thu, 01 Jan 1970 …").
bool ends_cookie(std::string_view attrs) {
  std::size_t at = 0;
  while (at < attrs.size()) {
    auto semi = attrs.find(';', at);
    std::string av = trim(attrs.substr(at, semi == std::string_view::npos ? std::string_view::npos : semi - at));
    at = semi == std::string_view::npos ? attrs.size() : semi + 1;
    auto eq = av.find('=');
    std::string name = lower(trim(av.substr(0, eq)));
    std::string value = eq == std::string::npos ? "" : trim(av.substr(eq + 1));
    if (name == "max-age" && !value.empty() && (value[0] == '-' || std::all_of(value.begin(), value.end(), [](char c) {
                                                   return c == '0';
                                                 })))
      return true;
    if (name == "expires" && value.find("1970") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

void apply_set_cookie(CookieJar& jar, const std::string& line) {
  auto semi = line.find(';');
  std::string_view pair = std::string_view(line).substr(0, semi);
  auto eq = pair.find('=');
  if (eq == std::string_view::npos) return;
  std::string name = trim(pair.substr(0, eq)), value = trim(pair.substr(eq + 1));
  if (name.empty()) return;
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  bool ended = value.empty() || (semi != std::string::npos && ends_cookie(std::string_view(line).substr(semi + 1)));
  if (ended) jar.erase(name);
  else jar[name] = value;
}

std::string cookie_header(const CookieJar& jar) {
  std::string out;
  for (const auto& [name, value] : jar) {
    if (!out.empty()) out += "; ";
    out += name + "=" + value;
  }
  return out;
}

}  // namespace cachecheck
