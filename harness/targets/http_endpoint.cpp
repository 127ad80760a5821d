// "http://HOST:PORT" (see http_endpoint.h).
#include "targets/http_endpoint.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

namespace cachecheck {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::string HttpEndpoint::url() const {
  bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<HttpEndpoint> parse_http_endpoint(const std::string& spec, std::string& error) {
  constexpr std::string_view kScheme = "http://";
  if (spec.size() < kScheme.size() || lower(spec.substr(0, kScheme.size())) != kScheme) {
    error = "it does not start with http://";
    return std::nullopt;
  }
  std::string rest = spec.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find_first_of("/?#") != std::string::npos) {
    error = "only http://HOST:PORT is accepted (no path, query or fragment)";
    return std::nullopt;
  }
  if (rest.find('@') != std::string::npos) {
    error = "credentials in the URL are not supported";
    return std::nullopt;
  }
  HttpEndpoint ep;
  std::string port_text;
  const bool bracketed = !rest.empty() && rest.front() == '[';
  if (bracketed) {  // [IPv6]:PORT
    auto close = rest.find(']');
    if (close == std::string::npos) {
      error = "unterminated '[' in the host";
      return std::nullopt;
    }
    ep.host = rest.substr(1, close - 1);
    std::string after = rest.substr(close + 1);
    if (after.empty() || after.front() != ':') {
      error = "a port is required (http://HOST:PORT)";
      return std::nullopt;
    }
    port_text = after.substr(1);
  } else {
    auto colon = rest.rfind(':');
    if (colon == std::string::npos) {
      error = rest.empty() ? "the host is empty" : "a port is required (http://HOST:PORT)";
      return std::nullopt;
    }
    ep.host = rest.substr(0, colon);
    port_text = rest.substr(colon + 1);
    if (ep.host.find(':') != std::string::npos) {
      error = "an IPv6 host must be in brackets (http://[::1]:PORT)";
      return std::nullopt;
    }
  }
  if (ep.host.empty()) {
    error = "the host is empty";
    return std::nullopt;
  }
  // A name (letters, digits, '-', '.', '_') or, in brackets, an IPv6 address: nothing
  // that url() could not write back as the same host (the fuzzer found "[[>,]").
  for (unsigned char c : ep.host) {
    const bool ok = bracketed ? (std::isxdigit(c) || c == ':' || c == '.')
                              : (std::isalnum(c) || c == '-' || c == '.' || c == '_');
    if (!ok) {
      error = bracketed ? "an IPv6 host holds only hex digits, ':' and '.'"
                        : "the host holds only letters, digits, '-', '.' and '_'";
      return std::nullopt;
    }
  }
  int port = 0;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 1 ||
      port > 65535 || !std::isdigit(static_cast<unsigned char>(port_text.front()))) {
    error = "the port must be a number from 1 to 65535";
    return std::nullopt;
  }
  ep.port = port;
  return ep;
}

}  // namespace cachecheck
