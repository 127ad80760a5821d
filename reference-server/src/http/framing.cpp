#include "http/framing.h"

#include <algorithm>
#include <cctype>
#include <limits>

#include "calendar/request_parsing.h"

namespace calendar::http {
namespace {

// Content-Length = 1*DIGIT; a value too large for 64 bits is still a length (max).
std::optional<std::uint64_t> parse_length(std::string_view v) {
  v = trim(v);
  if (v.empty() || v.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : v) {
    const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (n > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return std::numeric_limits<std::uint64_t>::max();
    n = n * 10 + digit;
  }
  return n;
}

bool reads_body(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE" || method == "PRI";
}

std::string lower(std::string_view s) {
  std::string out(trim(s));
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

std::optional<FramingError> check_framing(const httplib::Request& req, std::size_t max_body) {
  const std::size_t hosts = req.get_header_value_count("Host");
  if (hosts > 1) return FramingError{400, "more than one Host header"};
  if (hosts == 0 && req.version == "HTTP/1.1") return FramingError{400, "an HTTP/1.1 request needs a Host header"};

  const std::size_t lengths = req.get_header_value_count("Content-Length");
  const bool chunked_or_other = req.has_header("Transfer-Encoding");
  if (chunked_or_other) {
    if (req.get_header_value_count("Transfer-Encoding") > 1 || lower(req.get_header_value("Transfer-Encoding")) != "chunked")
      return FramingError{501, "only Transfer-Encoding: chunked is implemented"};
    if (lengths > 0) return FramingError{400, "Content-Length and Transfer-Encoding together"};
    return std::nullopt;
  }
  std::optional<std::uint64_t> length;
  for (std::size_t i = 0; i < lengths; ++i) {
    auto n = parse_length(req.get_header_value("Content-Length", i));
    if (!n) return FramingError{400, "Content-Length must be a non-negative whole number"};
    if (length && *length != *n) return FramingError{400, "Content-Length headers disagree"};
    length = n;
  }
  if (!length) {
    if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH")
      return FramingError{411, "a " + req.method + " request needs a Content-Length"};
    return std::nullopt;
  }
  if (*length > max_body) return FramingError{413, "request body too large"};
  return std::nullopt;
}

bool has_implicit_empty_body(const httplib::Request& req) {
  return req.method == "DELETE" && !req.has_header("Content-Length") && !req.has_header("Transfer-Encoding");
}

bool has_unread_body(const httplib::Request& req) {
  if (reads_body(req.method)) return false;
  if (req.has_header("Transfer-Encoding")) return true;
  auto n = parse_length(req.get_header_value("Content-Length"));
  return req.has_header("Content-Length") && (!n || *n > 0);
}

std::optional<std::size_t> header_block_end(std::string_view buffer) {
  for (std::size_t nl = buffer.find('\n'); nl != std::string_view::npos; nl = buffer.find('\n', nl + 1)) {
    if (nl + 1 < buffer.size() && buffer[nl + 1] == '\n') return nl + 2;
    if (nl + 2 < buffer.size() && buffer[nl + 1] == '\r' && buffer[nl + 2] == '\n') return nl + 3;
  }
  return std::nullopt;
}

}  // namespace calendar::http
