// The harness's target spec, `--target http://HOST:PORT` (parse_http_endpoint).
// Finds: crashes, sanitizer reports, and a parsed endpoint whose url() does
// not parse back to the same host and port.
#include <cstddef>
#include <cstdint>
#include <string>

#include "targets/http_endpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string error;
  auto endpoint = cachecheck::parse_http_endpoint(std::string(reinterpret_cast<const char*>(data), size), error);
  if (!endpoint) return 0;
  if (endpoint->port < 1 || endpoint->port > 65535) __builtin_trap();
  auto again = cachecheck::parse_http_endpoint(endpoint->url(), error);
  if (!again || again->host != endpoint->host || again->port != endpoint->port) __builtin_trap();
  return 0;
}
