#include "http/connection_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "http/framing.h"

namespace calendar::http {
namespace {

using std::chrono::steady_clock;

constexpr std::size_t kReadChunk = 16 * 1024;

int millis_until(SteadyTime deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady_clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 24 * 3600 * 1000));
}

void address_of(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  int rc = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len)
                : ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  if (rc != 0 || addr.ss_family != AF_INET) return;
  const auto& in = reinterpret_cast<const sockaddr_in&>(addr);
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
  ip = text;
  port = ntohs(in.sin_port);
}

}  // namespace

ConnectionStream::Next ConnectionStream::next_request(SteadyTime idle_deadline,
                                                      std::chrono::milliseconds header_timeout,
                                                      std::size_t max_header_bytes) {
  buffer_.erase(0, pos_);
  pos_ = 0;
  failed_ = false;
  std::optional<SteadyTime> header_deadline;
  while (true) {
    std::size_t skip = 0;
    while (skip < buffer_.size() && (buffer_[skip] == '\r' || buffer_[skip] == '\n')) ++skip;
    buffer_.erase(0, skip);
    if (header_block_end(buffer_)) return Next::request;
    if (buffer_.size() > max_header_bytes) return Next::headers_too_large;
    if (!buffer_.empty() && !header_deadline) header_deadline = steady_clock::now() + header_timeout;
    switch (fill(header_deadline ? *header_deadline : idle_deadline)) {
      case Fill::data: break;
      case Fill::timeout: return header_deadline ? Next::header_timeout : Next::idle_timeout;
      case Fill::stopped: return Next::stopped;
      case Fill::eof:
      case Fill::error: return Next::closed;
    }
  }
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (pos_ >= buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
    Fill f = fill(body_deadline_);
    if (f != Fill::data) {
      failed_ = true;
      return f == Fill::eof ? 0 : -1;
    }
  }
  const std::size_t n = std::min(size, buffer_.size() - pos_);
  std::memcpy(ptr, buffer_.data() + pos_, n);
  pos_ += n;
  return static_cast<ssize_t>(n);
}

bool ConnectionStream::write_all(const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(bytes.data() + done, bytes.size() - done);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

ConnectionStream::Fill SocketConnectionStream::fill(SteadyTime deadline) {
  while (true) {
    pollfd fds[2] = {{sock_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    int ready = ::poll(fds, 2, millis_until(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return Fill::error;
    if (fds[1].revents) return Fill::stopped;
    if (ready == 0) return Fill::timeout;
    char chunk[kReadChunk];
    ssize_t n = ::recv(sock_, chunk, sizeof chunk, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) return Fill::error;
    if (n == 0) return Fill::eof;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return Fill::data;
  }
}

bool SocketConnectionStream::is_writable() const {
  pollfd p{sock_, POLLOUT, 0};
  return ::poll(&p, 1, static_cast<int>(write_timeout_.count())) > 0 && (p.revents & POLLOUT);
}

ssize_t SocketConnectionStream::write(const char* ptr, size_t size) {
  while (true) {
    if (!is_writable()) return -1;
    ssize_t n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    return n;
  }
}

void SocketConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  address_of(sock_, true, ip, port);
}

void SocketConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  address_of(sock_, false, ip, port);
}

ssize_t MemoryConnectionStream::write(const char* ptr, size_t size) {
  output_.append(ptr, size);
  return static_cast<ssize_t>(size);
}

void MemoryConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = "127.0.0.1";
  port = 0;
}

void MemoryConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  ip = "127.0.0.1";
  port = 0;
}

}  // namespace calendar::http
