// A raw HTTP/1.1 connection for tests that need what a well-behaved client
// library will not send: pipelined requests in one write, requests without
// Host or Content-Length, a header trickled byte by byte, an idle socket.
// Every wait has a deadline; nothing here retries.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hardening {

struct RawResponse {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string header(const std::string& lower_name) const;  // "" when absent
};

class RawConnection {
 public:
  // Connects to 127.0.0.1:`port`; `ok()` is false when that failed.
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&& other) noexcept;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  // Sends all of `bytes`; false when the peer is gone.
  bool send(const std::string& bytes);
  // The next response (Content-Length framed), or nullopt when the connection
  // closed or `timeout` passed first.
  std::optional<RawResponse> read_response(std::chrono::milliseconds timeout);
  // Whether the peer closes the connection (EOF or reset) within `timeout`;
  // bytes arriving meanwhile are kept for read_response.
  bool closed_within(std::chrono::milliseconds timeout);
  void close();

 private:
  // Reads what is available within the deadline; false on EOF, error or timeout.
  bool fill(std::chrono::steady_clock::time_point deadline);
  std::optional<RawResponse> parse_buffered();

  int fd_ = -1;
  std::string buffer_;
  bool eof_ = false;
};

// "GET <path> HTTP/1.1\r\nHost: 127.0.0.1\r\n<extra>\r\n".
std::string get_request(const std::string& path, const std::string& extra_headers = "");

}  // namespace hardening
