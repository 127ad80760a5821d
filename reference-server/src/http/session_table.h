// Sessions: like Django's database sessions, one table shared by all workers.
//
// Bounded in time and in memory: a session unused for `idle_timeout` is gone
// (Django's SESSION_SAVE_EVERY_REQUEST with a sliding expiry), and when
// `max_sessions` are live a login evicts the least recently used one. The
// table keeps its entries in least-recently-used order, which is also the order
// of their last use, so both rules act on the list's tail: expiry costs O(1) per
// expired session and never scans live ones.
//
// Time is the steady clock, not the server's (possibly manual) clock: session
// expiry is a resource bound, and the harness's clock jumps must not log
// anybody out. Tests inject `now`.
#pragma once

#include <chrono>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>

#include "calendar/domain.h"

namespace calendar::http {

struct Session {
  UserId user = 0;
  std::string username;
  std::string csrf;
};

struct SessionLimits {
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(30)};
  std::size_t max_sessions = 10'000;
};

class SessionTable {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Now = std::function<TimePoint()>;

  explicit SessionTable(SessionLimits limits, Now now = [] { return std::chrono::steady_clock::now(); });

  // Returns {session id, csrf token}.
  std::pair<std::string, std::string> create(UserId user, const std::string& username);
  // The live session `id`, marked as used now; nullopt when unknown or expired.
  std::optional<Session> find(const std::string& id);
  void erase(const std::string& id);
  void clear();
  std::size_t size() const;

 private:
  struct Entry {
    Session session;
    TimePoint last_used;
    std::list<std::string>::iterator lru_pos;
  };
  std::string token_locked();  // 128 random bits as 32 hex digits
  void expire_locked(TimePoint now);
  void erase_locked(std::unordered_map<std::string, Entry>::iterator it);

  const SessionLimits limits_;
  const Now now_;
  mutable std::mutex mutex_;
  std::mt19937_64 rng_;
  std::unordered_map<std::string, Entry> sessions_;
  std::list<std::string> lru_;  // front = most recently used
};

}  // namespace calendar::http
