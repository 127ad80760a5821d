// HttpServer's lifecycle: wiring httplib (through ConnectionServer) to the
// RequestHandler, binding, serving, stopping. The request side lives in
// src/http/: connections, framing, routes, sessions, the handlers.
#include "calendar/http_server.h"

#include <sys/resource.h>
#include <sys/socket.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "http/connection_server.h"
#include "http/json_response.h"
#include "http/request_handler.h"

namespace calendar {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

http::ConnectionLimits limits_of(const HttpServerOptions& o) {
  http::ConnectionLimits l;
  l.max_connections = std::max<std::size_t>(1, o.max_connections);
  l.header_timeout = seconds(std::max(1, o.header_timeout_s));
  l.idle_timeout = seconds(std::max(1, o.keep_alive_timeout_s));
  l.body_timeout = seconds(std::max(1, o.read_timeout_s));
  l.write_timeout = seconds(std::max(1, o.write_timeout_s));
  l.max_header_bytes = o.max_header_bytes;
  l.max_body_bytes = o.max_body_bytes;
  return l;
}

// A connection beyond the open-file limit could not even be accepted (httplib
// then retries accept() in a loop): keep the bound below it, with room for
// the listening socket, Redis connections and files.
std::size_t fit_to_open_file_limit(std::size_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return wanted;
  constexpr std::size_t kReserve = 64;
  const std::size_t fit = limit.rlim_cur > kReserve * 2 ? limit.rlim_cur - kReserve : limit.rlim_cur / 2;
  return std::max<std::size_t>(1, std::min(wanted, fit));
}

}  // namespace

struct HttpServer::Impl {
  Impl(Cluster& cluster, ManualClock* manual_clock, const HttpServerOptions& options)
      : handler(cluster, manual_clock, options),
        svr(limits_of(options), [this] { return format_http_date(handler.clock().now()); }) {}

  http::RequestHandler handler;
  http::ConnectionServer svr;
  std::thread thread;
  std::atomic<bool> bound{false}, entering{false}, finished{false}, stop_requested{false};
  std::atomic<int> listen_fd{-1};

  // httplib 0.11 listens with a backlog of 5, so a burst of connections gets
  // refused or reset; listen() again on the bound socket raises it.
  void widen_backlog() {
    if (int fd = listen_fd.load(); fd >= 0) ::listen(fd, SOMAXCONN);
  }

  void setup() {
    // SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, which would let
    // a second server bind a port that is already in use.
    svr.set_socket_options([this](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
      listen_fd = sock;
    });
    svr.set_tcp_nodelay(true);

    auto handle = [this](const httplib::Request& req, httplib::Response& res) { handler.handle(req, res); };
    const std::string all = "[\\s\\S]*";
    svr.Get(all, handle);
    svr.Post(all, handle);
    svr.Put(all, handle);
    svr.Patch(all, handle);
    svr.Delete(all, handle);
    svr.Options(all, handle);

    // Every error httplib answers by itself (unknown method, 413, bad request line,
    // …) and every error of ours passes here: give the former a JSON body.
    svr.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request&, httplib::Response& res) {
      if (res.body.empty()) http::send_error(res, res.status, http::default_error_message(res.status));
      if (!res.has_header("Date")) res.set_header("Date", format_http_date(handler.clock().now()));
      return httplib::Server::HandlerResponse::Handled;
    }));
    svr.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
      std::cerr << "calendar-server: internal error on " << req.method << " " << req.path << "\n";
      res.headers.clear();
      http::send_error(res, 500, "internal server error");
    });
  }
};

HttpServer::HttpServer(Cluster& cluster, ManualClock* manual_clock, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(cluster, manual_clock, options)) {
  impl_->setup();
}

HttpServer::~HttpServer() { stop(); }

bool HttpServer::bind(int port) {
  if (impl_->bound) return false;
  if (port < 0 || port > 65535) return false;
  if (port == 0) {
    int p = impl_->svr.bind_to_any_port("127.0.0.1");
    if (p <= 0) return false;
    port_ = p;
  } else {
    if (!impl_->svr.bind_to_port("127.0.0.1", port)) return false;
    port_ = port;
  }
  impl_->widen_backlog();
  impl_->bound = true;
  return true;
}

bool HttpServer::run() {
  if (!impl_->bound) return false;
  impl_->svr.set_max_connections(fit_to_open_file_limit(impl_->svr.limits().max_connections));
  impl_->entering = true;
  if (impl_->stop_requested) {
    impl_->finished = true;
    return true;
  }
  bool ok = impl_->svr.listen_after_bind();
  impl_->finished = true;
  return ok || impl_->stop_requested;
}

bool HttpServer::listen(int port) { return bind(port) && run(); }

bool HttpServer::start_in_background(int port) {
  if (impl_->thread.joinable() || !bind(port)) return false;
  impl_->thread = std::thread([this] { run(); });
  auto deadline = std::chrono::steady_clock::now() + seconds(5);
  while (!impl_->svr.is_running() && !impl_->finished && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(milliseconds(1));
  return impl_->svr.is_running();
}

void HttpServer::stop() {
  impl_->stop_requested = true;
  if (impl_->entering) {
    // run() is starting or serving: wait until it accepts (or gave up), then stop it.
    while (!impl_->svr.is_running() && !impl_->finished) std::this_thread::sleep_for(milliseconds(1));
    impl_->svr.stop();      // no new connections
    impl_->svr.wake_all();  // idle ones end now; run() returns when the last one has
    while (!impl_->finished) std::this_thread::sleep_for(milliseconds(1));
  }
  if (impl_->thread.joinable() && impl_->thread.get_id() != std::this_thread::get_id()) impl_->thread.join();
}

std::string HttpServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::size_t HttpServer::session_count() const { return impl_->handler.sessions().size(); }

std::optional<std::size_t> HttpServer::pinned_worker() const { return impl_->handler.pinned_worker(); }

std::size_t HttpServer::open_connections() const { return impl_->svr.open_connections(); }

std::size_t HttpServer::refused_connections() const { return impl_->svr.refused_connections(); }

std::string HttpServer::serve_bytes(std::string raw) { return impl_->svr.serve_bytes(std::move(raw)); }

}  // namespace calendar
