#include "http/session_table.h"

#include <algorithm>

namespace calendar::http {

SessionTable::SessionTable(SessionLimits limits, Now now) : limits_(limits), now_(std::move(now)) {
  std::random_device rd;
  std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
  rng_.seed(seq);
}

std::string SessionTable::token_locked() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int half = 0; half < 2; ++half) {
    std::uint64_t v = rng_();
    for (int i = 0; i < 16; ++i, v >>= 4) out += kHex[v & 0xf];
  }
  return out;
}

void SessionTable::erase_locked(std::unordered_map<std::string, Entry>::iterator it) {
  lru_.erase(it->second.lru_pos);
  sessions_.erase(it);
}

void SessionTable::expire_locked(TimePoint now) {
  while (!lru_.empty()) {
    auto it = sessions_.find(lru_.back());
    if (now - it->second.last_used < limits_.idle_timeout) break;
    erase_locked(it);
  }
}

std::pair<std::string, std::string> SessionTable::create(UserId user, const std::string& username) {
  std::lock_guard lock(mutex_);
  const TimePoint now = now_();
  expire_locked(now);
  while (!lru_.empty() && sessions_.size() >= std::max<std::size_t>(1, limits_.max_sessions))
    erase_locked(sessions_.find(lru_.back()));
  std::string id = token_locked();
  while (sessions_.count(id)) id = token_locked();
  std::string csrf = token_locked() + token_locked();
  lru_.push_front(id);
  sessions_.emplace(id, Entry{Session{user, username, csrf}, now, lru_.begin()});
  return {id, csrf};
}

std::optional<Session> SessionTable::find(const std::string& id) {
  std::lock_guard lock(mutex_);
  const TimePoint now = now_();
  expire_locked(now);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  it->second.last_used = now;
  lru_.splice(lru_.begin(), lru_, it->second.lru_pos);
  return it->second.session;
}

void SessionTable::erase(const std::string& id) {
  std::lock_guard lock(mutex_);
  if (auto it = sessions_.find(id); it != sessions_.end()) erase_locked(it);
}

void SessionTable::clear() {
  std::lock_guard lock(mutex_);
  sessions_.clear();
  lru_.clear();
}

std::size_t SessionTable::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace calendar::http
