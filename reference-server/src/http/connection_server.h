// cpp-httplib's server with the connection handling replaced, because 0.11
// cannot degrade gracefully under slow, idle or pipelining clients:
// - its fixed pool gives each open connection a thread until it closes, so 64
//   slow or idle connections starved everybody else, and its queue has no bound;
// - its read timeout restarts with every byte, so a header sent at 1 byte/s
//   never times out; there is no header timeout;
// - a new stream per request loses pipelined requests (see connection_stream.h);
// - after its own 400 for a bad request line it keeps the socket open.
// The smallest change that fixes all four, with no copy of httplib: override
// its one virtual per-connection hook, process_and_close_socket(), and run our
// own keep-alive loop over one ConnectionStream, calling httplib's protected
// process_request() for each request. httplib still parses, routes and writes
// every response; its accept loop and handlers are untouched.
//
// Concurrency: one thread per connection (TaskQueue below), at most
// `max_connections` of them. A connection beyond the bound is refused at once
// on the accepting thread with 503 and `Retry-After`, never queued. A waiting
// connection costs a thread blocked in poll(2) and its buffer; the header,
// idle and body deadlines bound how long it can hold them.
//
// Closing: after a request it could not frame (httplib's 400/414/416, and our
// 408/411/413/431/501 and framing 400s), after a body it could not read, and
// when the server stops, the connection is closed (shutdown, then a short
// drain of unread input so the peer reads the answer rather than a reset).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

#include <httplib.h>

#include "http/connection_stream.h"

namespace calendar::http {

struct ConnectionLimits {
  std::size_t max_connections = 2048;
  std::chrono::milliseconds header_timeout{3000};  // a request's first byte → end of its headers
  std::chrono::milliseconds idle_timeout{5000};    // accept or last response → next request's first byte
  std::chrono::milliseconds body_timeout{10000};   // end of headers → end of body
  std::chrono::milliseconds write_timeout{5000};   // per write of a response
  std::size_t max_header_bytes = 64 * 1024;        // request line and headers, else 431
  std::size_t max_body_bytes = std::size_t{1} << 20;
  std::size_t max_requests_per_connection = 1000;
};

class ConnectionServer : public httplib::Server {
 public:
  // `http_date` gives the Date header of the responses written here (408, 431, 503).
  ConnectionServer(ConnectionLimits limits, std::function<std::string()> http_date);
  ~ConnectionServer() override;

  // Ends every connection's wait for input, now and later: idle connections
  // close at once, a request in progress still gets its response. For stop().
  void wake_all();
  std::size_t open_connections() const { return live_.load(); }
  std::size_t refused_connections() const { return refused_.load(); }
  const ConnectionLimits& limits() const { return limits_; }
  void set_max_connections(std::size_t n) { limits_.max_connections = n; }

  // Serves one connection whose whole input is `input`; returns its output.
  // The same loop as a socket's, without one (fuzzing, tests).
  std::string serve_bytes(std::string input);

 private:
  class ThreadPerConnection;

  bool process_and_close_socket(socket_t sock) override;
  void serve(ConnectionStream& stream);
  std::string plain_response(int status, const std::string& message) const;
  void refuse(socket_t sock);
  void close_gently(socket_t sock) const;
  // The task queue's two halves.
  void start_connection(std::function<void()> task);
  void wait_for_connections();

  ConnectionLimits limits_;
  std::function<std::string()> http_date_;
  int stop_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> live_{0}, refused_{0};
  std::mutex mutex_;
  std::condition_variable all_closed_;
};

}  // namespace calendar::http
