// "http://HOST:PORT": the server of the `--target http://HOST:PORT` shorthand, and
// the host part of every base URL a target spec gives (targets/http_pool.h).
#pragma once

#include <optional>
#include <string>

namespace cachecheck {

// "http://HOST:PORT" or "http://HOST:PORT/" (HOST may be a bracketed IPv6 literal).
struct HttpEndpoint {
  std::string host;  // without brackets
  int port = 0;      // 1..65535
  std::string url() const;  // "http://HOST:PORT" (IPv6 re-bracketed)
};
// Parses `spec`; nullopt with `error` set (a reason, without the spec) when it is not of that form.
std::optional<HttpEndpoint> parse_http_endpoint(const std::string& spec, std::string& error);

}  // namespace cachecheck
