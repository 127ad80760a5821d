#include "http/connection_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <system_error>
#include <thread>

#include "http/framing.h"
#include "http/json_response.h"

namespace calendar::http {
namespace {

using std::chrono::steady_clock;

// The request being served on this thread: what the pre- and post-routing
// handlers (which httplib calls without the stream) need to know of it.
struct RequestState {
  const ConnectionStream* stream = nullptr;
  bool parsed = false;  // httplib read its request line and headers
  bool close = false;   // the connection ends after this response
};
thread_local RequestState* t_request = nullptr;
// Set while the accepting thread runs a connection it must refuse.
thread_local bool t_refusing = false;

struct CurrentRequest {
  explicit CurrentRequest(RequestState& s) { t_request = &s; }
  ~CurrentRequest() { t_request = nullptr; }
};

const char* reason(int status) {
  switch (status) {
    case 408: return "Request Timeout";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

constexpr auto kDrainTime = std::chrono::milliseconds(1000);
constexpr std::size_t kDrainBytes = 4 << 20;

}  // namespace

class ConnectionServer::ThreadPerConnection final : public httplib::TaskQueue {
 public:
  explicit ThreadPerConnection(ConnectionServer& server) : server_(server) {}
  void enqueue(std::function<void()> fn) override { server_.start_connection(std::move(fn)); }
  void shutdown() override { server_.wait_for_connections(); }

 private:
  ConnectionServer& server_;
};

ConnectionServer::ConnectionServer(ConnectionLimits limits, std::function<std::string()> http_date)
    : limits_(limits), http_date_(std::move(http_date)), stop_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (stop_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  new_task_queue = [this] { return new ThreadPerConnection(*this); };
  set_keep_alive_timeout(std::max<time_t>(1, limits_.idle_timeout.count() / 1000));  // advertised in Keep-Alive
  set_keep_alive_max_count(limits_.max_requests_per_connection);
  set_payload_max_length(limits_.max_body_bytes);

  set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (auto error = check_framing(req, limits_.max_body_bytes)) {
      send_error(res, error->status, error->message);
      res.set_header("Connection", "close");
      return HandlerResponse::Handled;
    }
    if (has_unread_body(req)) res.set_header("Connection", "close");
    return HandlerResponse::Unhandled;
  });
  // Runs on every response just before it is written, after httplib chose
  // between `Connection: close` and `Keep-Alive`.
  set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    RequestState* s = t_request;
    bool close = res.get_header_value("Connection") == "close" ||
                 (s && (!s->parsed || s->close || (s->stream && s->stream->failed())));
    if (!close) return;
    if (s) s->close = true;
    res.headers.erase("Keep-Alive");
    res.headers.erase("Connection");
    res.set_header("Connection", "close");
  });
}

ConnectionServer::~ConnectionServer() {
  if (stop_fd_ >= 0) ::close(stop_fd_);
}

void ConnectionServer::wake_all() {
  stopping_ = true;
  std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(stop_fd_, &one, sizeof one);  // never read: stays readable
}

void ConnectionServer::start_connection(std::function<void()> task) {
  auto shared = std::make_shared<std::function<void()>>(std::move(task));
  {
    std::lock_guard lock(mutex_);
    if (live_ < limits_.max_connections) {
      ++live_;
      try {
        std::thread([this, shared] {
          (*shared)();
          shared->operator=(nullptr);
          std::lock_guard done(mutex_);
          --live_;
          all_closed_.notify_all();  // under the lock: the waiter may destroy the queue next
        }).detach();
        return;
      } catch (const std::system_error&) {
        --live_;  // no thread to be had: refuse like any connection beyond the bound
      }
    }
  }
  t_refusing = true;
  (*shared)();
  t_refusing = false;
}

void ConnectionServer::wait_for_connections() {
  std::unique_lock lock(mutex_);
  all_closed_.wait(lock, [this] { return live_ == 0; });
}

bool ConnectionServer::process_and_close_socket(socket_t sock) {
  if (t_refusing) {
    refuse(sock);
    return false;
  }
  int yes = 1;
  ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  SocketConnectionStream stream(sock, stop_fd_, limits_.write_timeout);
  serve(stream);
  close_gently(sock);
  return true;
}

std::string ConnectionServer::serve_bytes(std::string input) {
  MemoryConnectionStream stream(std::move(input));
  serve(stream);
  return stream.output();
}

void ConnectionServer::serve(ConnectionStream& stream) {
  auto idle_deadline = steady_clock::now() + limits_.idle_timeout;
  for (std::size_t served = 1;; ++served) {
    switch (stream.next_request(idle_deadline, limits_.header_timeout, limits_.max_header_bytes)) {
      case ConnectionStream::Next::request: break;
      case ConnectionStream::Next::header_timeout:
        stream.write_all(plain_response(408, "the request's headers did not arrive in time"));
        return;
      case ConnectionStream::Next::headers_too_large:
        stream.write_all(plain_response(431, "request headers too large"));
        return;
      default: return;  // closed by the peer, idle, or stopping
    }
    RequestState state;
    state.stream = &stream;
    CurrentRequest current(state);
    stream.set_body_deadline(steady_clock::now() + limits_.body_timeout);
    const bool last = served >= limits_.max_requests_per_connection || stopping_;
    bool connection_closed = false;
    bool ok = process_request(stream, last, connection_closed, [&state](httplib::Request& req) {
      state.parsed = true;
      if (has_implicit_empty_body(req)) req.set_header("Content-Length", "0");
    });
    if (!ok || last || connection_closed || !state.parsed || state.close || stream.failed()) return;
    idle_deadline = steady_clock::now() + limits_.idle_timeout;
  }
}

std::string ConnectionServer::plain_response(int status, const std::string& message) const {
  const std::string body = error_body(message);
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
  out += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  out += "Connection: close\r\n";
  if (status == 503) out += "Retry-After: 1\r\n";
  if (http_date_) out += "Date: " + http_date_() + "\r\n";
  return out + "\r\n" + body;
}

void ConnectionServer::refuse(socket_t sock) {
  ++refused_;
  char sink[16384];
  for (std::size_t drained = 0; drained < 4 * sizeof sink;) {  // what the client sent already
    ssize_t n = ::recv(sock, sink, sizeof sink, MSG_DONTWAIT);
    if (n <= 0) break;
    drained += static_cast<std::size_t>(n);
  }
  const std::string response = plain_response(503, "too many connections; try again");
  [[maybe_unused]] auto sent = ::send(sock, response.data(), response.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
}

void ConnectionServer::close_gently(socket_t sock) const {
  if (!stopping_ && ::shutdown(sock, SHUT_WR) == 0) {
    // Closing with unread input sends a reset, which can destroy the response
    // before the peer reads it: read and drop what is still coming, briefly.
    const auto deadline = steady_clock::now() + kDrainTime;
    char sink[16384];
    for (std::size_t drained = 0; drained < kDrainBytes;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady_clock::now()).count();
      pollfd fds[2] = {{sock, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
      if (left <= 0 || ::poll(fds, 2, static_cast<int>(left)) <= 0 || fds[1].revents) break;
      ssize_t n = ::recv(sock, sink, sizeof sink, 0);
      if (n <= 0) break;
      drained += static_cast<std::size_t>(n);
    }
  }
  ::close(sock);
}

}  // namespace calendar::http
