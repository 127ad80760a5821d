// A browser's cookie jar for one site, as the harness keeps it (RFC 6265 §5.2:
// the name=value pair of a Set-Cookie line, and the attributes that end a cookie).
// The harness's own, so that a cookie bug of the application is not shared.
#pragma once

#include <map>
#include <string>

namespace cachecheck {

using CookieJar = std::map<std::string, std::string>;

// Applies one Set-Cookie field value: stores name=value, or removes the cookie when
// the value is empty or an attribute ends it (Max-Age ≤ 0, an Expires in 1970).
// A line without '=' in its first pair is ignored (§5.2 step 2).
void apply_set_cookie(CookieJar& jar, const std::string& line);
// The Cookie request header: "a=1; b=2" (names in order); "" when empty.
std::string cookie_header(const CookieJar& jar);

}  // namespace cachecheck
