#include "calendar/cookie_jar.h"

#include <algorithm>
#include <cctype>

namespace calendar {
namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(s.begin());
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  return s;
}

}  // namespace

void apply_set_cookie(CookieJar& jar, const std::string& line) {
  auto semi = line.find(';');
  std::string pair = line.substr(0, semi);
  auto eq = pair.find('=');
  if (eq == std::string::npos) return;
  std::string name = trim(pair.substr(0, eq)), value = trim(pair.substr(eq + 1));
  std::string attrs = semi == std::string::npos ? "" : line.substr(semi);
  std::transform(attrs.begin(), attrs.end(), attrs.begin(), [](unsigned char c) { return std::tolower(c); });
  bool expired = attrs.find("max-age=0") != std::string::npos || value.empty() || value == "\"\"";
  if (expired) jar.erase(name);
  else jar[name] = value;
}

}  // namespace calendar
