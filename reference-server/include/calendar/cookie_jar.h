// A client's cookie jar: applies a response's `Set-Cookie` header lines
// (a value of "" or `Max-Age=0` removes the cookie). Shared by every HTTP client
// of ours: the harness's HTTP target and the tests' browser session.
#pragma once

#include <map>
#include <string>

namespace calendar {

using CookieJar = std::map<std::string, std::string>;

void apply_set_cookie(CookieJar& jar, const std::string& set_cookie_line);

}  // namespace calendar
