// Message framing rules of RFC 9112 that cpp-httplib 0.11 does not apply
// itself, checked once a request's header block is parsed and before its body
// is read. httplib reads a POST without Content-Length until the peer closes
// (the old 5 s wait, then 400) and skips `Content-Length: -1` bytes as if it
// were 2^64 - 1 (5 s, then 413); these checks answer both at once.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <httplib.h>

namespace calendar::http {

struct FramingError {
  int status;
  std::string message;
};

// RFC 9112 §3.2 (exactly one Host in HTTP/1.1, at most one in HTTP/1.0),
// §6.1 (Transfer-Encoding: only chunked; never with Content-Length), §6.3 and
// RFC 9110 §8.6 (Content-Length: 1*DIGIT, repeated only with the same value);
// 411 for a POST, PUT or PATCH with neither; 413 for a length over `max_body`.
// After any of these errors the connection's framing is lost: close it.
std::optional<FramingError> check_framing(const httplib::Request& req, std::size_t max_body);

// A request without Content-Length and Transfer-Encoding has no body (RFC 9112
// §6.3 rule 7), but httplib reads a DELETE's body until EOF. Says whether `req`
// is such a DELETE (a POST, PUT or PATCH like it gets 411 from check_framing).
bool has_implicit_empty_body(const httplib::Request& req);

// Whether a request of a bodiless method carries a body anyway (httplib does
// not read it, so the next request on the connection could not be found).
bool has_unread_body(const httplib::Request& req);

// The offset just past the empty line that ends the header block at the start
// of `buffer` ("\r\n\r\n", or a bare "\n\n" that httplib then refuses), or
// nullopt while it has not arrived.
std::optional<std::size_t> header_block_end(std::string_view buffer);

}  // namespace calendar::http
