// One connection's bytes as an httplib::Stream that outlives a request.
//
// cpp-httplib 0.11 builds a new SocketStream for every request of a keep-alive
// connection, and that stream reads ahead up to 4 KiB: the bytes of a second
// pipelined request are lost with it (three GET /healthz in one write got one
// answer and a 5 s stall). Here one stream serves the whole connection and its
// buffer carries over from one request to the next.
//
// It also frames requests before httplib parses them: next_request() waits
// until the buffer holds a whole header block, so httplib never blocks inside
// a header and the deadlines are the server's: `idle` until a request's first
// byte, `header_timeout` from that byte to the end of its headers, then the
// body deadline set by set_body_deadline() for every later read.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include <httplib.h>

namespace calendar::http {

using SteadyTime = std::chrono::steady_clock::time_point;

class ConnectionStream : public httplib::Stream {
 public:
  enum class Next { request, closed, idle_timeout, header_timeout, headers_too_large, stopped };

  // Drops the bytes of the request just served, skips empty lines before the
  // next one (RFC 9112 §2.2), and waits for its whole header block.
  Next next_request(SteadyTime idle_deadline, std::chrono::milliseconds header_timeout, std::size_t max_header_bytes);
  void set_body_deadline(SteadyTime deadline) { body_deadline_ = deadline; }
  // A read of the current request timed out, failed or met the end of input.
  bool failed() const { return failed_; }
  // Writes all of `bytes` (for responses written outside httplib); false if the peer is gone.
  bool write_all(const std::string& bytes);

  bool is_readable() const override { return pos_ < buffer_.size(); }
  ssize_t read(char* ptr, size_t size) override;

 protected:
  enum class Fill { data, eof, timeout, stopped, error };
  // Appends what arrives before `deadline` to buffer_.
  virtual Fill fill(SteadyTime deadline) = 0;

  std::string buffer_;
  std::size_t pos_ = 0;  // bytes of buffer_ already handed out

 private:
  SteadyTime body_deadline_{};
  bool failed_ = false;
};

// A connected socket. Waits for input also watch `stop_fd`: once it is readable
// (the server is stopping) every wait ends at once.
class SocketConnectionStream final : public ConnectionStream {
 public:
  SocketConnectionStream(int sock, int stop_fd, std::chrono::milliseconds write_timeout)
      : sock_(sock), stop_fd_(stop_fd), write_timeout_(write_timeout) {}

  bool is_writable() const override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return sock_; }

 protected:
  Fill fill(SteadyTime deadline) override;

 private:
  int sock_, stop_fd_;
  std::chrono::milliseconds write_timeout_;
};

// A whole connection's input given at once, its output collected: the same
// request loop without a socket, for the fuzz target and unit tests.
class MemoryConnectionStream final : public ConnectionStream {
 public:
  explicit MemoryConnectionStream(std::string input) { buffer_ = std::move(input); }
  const std::string& output() const { return output_; }

  bool is_writable() const override { return true; }
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return INVALID_SOCKET; }

 protected:
  Fill fill(SteadyTime) override { return Fill::eof; }

 private:
  std::string output_;
};

}  // namespace calendar::http
