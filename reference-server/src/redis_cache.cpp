// The Redis backend (see redis_cache.h).
//
// Connection handling: one synchronous hiredis context per instance, guarded by
// a mutex, behind a circuit breaker on the steady clock (a real network timer,
// not the injected one):
// - closed: commands run on the connection, each within `command`;
// - a failure (refused, timed out, closed, protocol error) frees the context
//   and opens the breaker for `retry_after`: every command fails at once
//   without touching the network, and the application serves from the store;
// - when the window has passed, the next command probes: a fresh connection
//   and a PING, both within `probe` (a healthy Redis answers in well under a
//   millisecond). Success closes the breaker and the command runs; failure
//   opens it again for twice the window, up to `retry_max`.
// Why: a hung Redis (SIGSTOP: the kernel still completes connections, nothing
// answers) used to cost a full command timeout after every 200 ms, because the
// reconnect succeeded and the next command waited again (issue 14 measured
// throughput falling about 33x). Now it costs one command timeout, then one
// short probe per window.
// Freshness is the strategies' concern: a command that failed did nothing, and
// one that timed out may still run when Redis resumes (robust's keys carry the
// store's generation, so a late SET lands under a generation nobody reads).
//
// Value encoding: every value written by do_set is stored as
//   "v1:" <expiry in ms since the epoch on the injected clock, or -1> "|" <payload>
// and a read whose expiry is <= clock.now() is a miss. Anything without a
// well-formed "v1:" header (e.g. the plain integers INCR writes) is returned as
// is, with no expiry. A Redis EX of ttl + 60 s is only a real-time backstop so
// that abandoned entries do not pile up.
//
// SIGPIPE: hiredis writes with write(2), which raises SIGPIPE when Redis has
// gone away. Commands run with SIGPIPE blocked in the calling thread, and a
// SIGPIPE raised meanwhile is consumed, so the process disposition is left alone.
#include "calendar/redis_cache.h"

#include <hiredis/hiredis.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>

namespace calendar {

namespace {

constexpr std::string_view kValuePrefix = "v1:";
constexpr int kBackstopExtraSeconds = 60;

timeval to_timeval(std::chrono::milliseconds ms) {
  if (ms.count() < 0) ms = std::chrono::milliseconds{0};
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(ms.count() / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((ms.count() % 1000) * 1000);
  return tv;
}

struct ReplyDeleter {
  void operator()(redisReply* r) const {
    if (r != nullptr) freeReplyObject(r);
  }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

// Blocks SIGPIPE in this thread for the scope and swallows one raised meanwhile.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_set_);
    sigaddset(&pipe_set_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    blocked_ = pthread_sigmask(SIG_BLOCK, &pipe_set_, &old_mask_) == 0;
  }
  ~SigpipeGuard() {
    if (!blocked_) return;
    if (!was_pending_) {
      sigset_t pending;
      sigemptyset(&pending);
      if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
        timespec zero{0, 0};
        while (sigtimedwait(&pipe_set_, nullptr, &zero) == -1 && errno == EINTR) {
        }
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_set_{};
  sigset_t old_mask_{};
  bool blocked_ = false;
  bool was_pending_ = false;
};

std::string encode(std::optional<TimeMs> expires_at, const std::string& payload) {
  std::string out;
  out.reserve(kValuePrefix.size() + 21 + payload.size());
  out.append(kValuePrefix);
  out.append(expires_at ? std::to_string(*expires_at) : std::string("-1"));
  out.push_back('|');
  out.append(payload);
  return out;
}

struct Decoded {
  std::optional<TimeMs> expires_at;  // nullopt: no expiry
  std::string_view payload;
};

Decoded decode(std::string_view raw) {
  if (raw.substr(0, kValuePrefix.size()) != kValuePrefix) return {std::nullopt, raw};
  const std::string_view rest = raw.substr(kValuePrefix.size());
  const auto bar = rest.find('|');
  if (bar == std::string_view::npos || bar == 0) return {std::nullopt, raw};
  const std::string_view head = rest.substr(0, bar);
  const std::string_view payload = rest.substr(bar + 1);
  if (head == "-1") return {std::nullopt, payload};
  if (head.find_first_not_of("0123456789") != std::string_view::npos) return {std::nullopt, raw};
  TimeMs expiry = 0;
  const auto [ptr, ec] = std::from_chars(head.data(), head.data() + head.size(), expiry);
  if (ec != std::errc{} || ptr != head.data() + head.size()) return {std::nullopt, raw};
  return {expiry, payload};
}

}  // namespace

struct RedisCache::Impl {
  Impl(RedisAddress a, const Clock& c, RedisTimeouts t)
      : address(std::move(a)), clock(c), timeouts(t) {}
  ~Impl() { drop(); }

  RedisAddress address;
  const Clock& clock;
  RedisTimeouts timeouts;

  std::mutex mutex;  // guards everything below
  redisContext* ctx = nullptr;
  std::optional<std::chrono::steady_clock::time_point> retry_at;  // set while the breaker is open
  std::chrono::milliseconds window{0};                           // the open breaker's current window
  RedisBreakerStats counts;
  std::atomic<bool> reached{false};

  void drop() {
    if (ctx != nullptr) {
      redisFree(ctx);
      ctx = nullptr;
    }
  }

  // Frees the context and opens the breaker for `next_window`.
  void open(std::chrono::milliseconds next_window) {
    drop();
    reached = false;
    window = next_window;
    retry_at = std::chrono::steady_clock::now() + window;
  }
  // A probe failed: open again, for twice as long.
  bool probe_failed() {
    open(std::min(std::max(window * 2, timeouts.retry_after), std::max(timeouts.retry_max, timeouts.retry_after)));
    return false;
  }

  // Makes sure there is a usable context (mutex held). False while the breaker
  // is open or when the probe fails.
  bool ensure() {
    if (ctx != nullptr) return true;
    if (retry_at && std::chrono::steady_clock::now() < *retry_at) {
      ++counts.short_circuits;
      return false;
    }
    ++counts.probes;
    ctx = redisConnectWithTimeout(address.host.c_str(), address.port, to_timeval(timeouts.connect));
    if (ctx == nullptr || ctx->err != 0 || redisSetTimeout(ctx, to_timeval(timeouts.probe)) != REDIS_OK)
      return probe_failed();
    ReplyPtr pong(static_cast<redisReply*>(redisCommand(ctx, "PING")));
    if (!pong || pong->type != REDIS_REPLY_STATUS) return probe_failed();
    if (redisSetTimeout(ctx, to_timeval(timeouts.command)) != REDIS_OK) return probe_failed();
    if (address.db != 0) {
      ReplyPtr r(static_cast<redisReply*>(redisCommand(ctx, "SELECT %d", address.db)));
      if (!r || r->type != REDIS_REPLY_STATUS) return probe_failed();
    }
    retry_at.reset();
    window = std::chrono::milliseconds{0};
    reached = true;
    return true;
  }

  // Checks a reply (mutex held): a null reply is a connection failure, which
  // trips the breaker. A Redis error reply reached Redis, so the connection is kept.
  ReplyPtr check(void* raw) {
    ReplyPtr r(static_cast<redisReply*>(raw));
    if (!r || ctx == nullptr || ctx->err != 0) {
      ++counts.trips;
      open(timeouts.retry_after);
      return nullptr;
    }
    reached = true;
    return r;
  }

  // Runs one command given as binary-safe arguments (mutex held).
  ReplyPtr argv_command(const std::vector<std::string_view>& args) {
    if (!ensure()) return nullptr;
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    argv.reserve(args.size());
    lens.reserve(args.size());
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    return check(redisCommandArgv(ctx, static_cast<int>(argv.size()), argv.data(), lens.data()));
  }

  std::optional<std::size_t> del(const std::vector<std::string>& keys) {
    if (keys.empty()) return 0;
    std::vector<std::string_view> args;
    args.reserve(keys.size() + 1);
    args.emplace_back("DEL");
    for (const auto& k : keys) args.emplace_back(k);
    std::lock_guard lock(mutex);
    SigpipeGuard guard;
    ReplyPtr r = argv_command(args);
    if (!r || r->type != REDIS_REPLY_INTEGER || r->integer < 0) return std::nullopt;
    return static_cast<std::size_t>(r->integer);
  }
};

std::optional<RedisAddress> parse_redis_url(std::string_view url, std::string& error) {
  const std::string shape =
      "redis URL must look like redis://HOST:PORT[/DB]: got '" + std::string(url) + "'";
  constexpr std::string_view scheme = "redis://";
  if (url.substr(0, scheme.size()) != scheme) {
    error = shape;
    return std::nullopt;
  }
  std::string_view rest = url.substr(scheme.size());
  if (rest.find_first_of(" \t\r\n@?#") != std::string_view::npos) {
    error = shape;
    return std::nullopt;
  }

  std::string_view authority = rest;
  std::optional<std::string_view> db_text;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    db_text = rest.substr(slash + 1);
  }

  std::string_view host;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    const auto close = authority.find(']');
    if (close == std::string_view::npos || close + 1 >= authority.size() ||
        authority[close + 1] != ':') {
      error = shape;
      return std::nullopt;
    }
    host = authority.substr(1, close - 1);
    port_text = authority.substr(close + 2);
  } else {
    const auto colon = authority.rfind(':');
    if (colon == std::string_view::npos || authority.find(':') != colon) {
      error = shape;
      return std::nullopt;
    }
    host = authority.substr(0, colon);
    port_text = authority.substr(colon + 1);
  }
  if (host.empty()) {
    error = "redis URL has an empty host: got '" + std::string(url) + "'";
    return std::nullopt;
  }

  auto parse_uint = [](std::string_view text) -> std::optional<long long> {
    if (text.empty() || text.size() > 10 ||
        text.find_first_not_of("0123456789") != std::string_view::npos)
      return std::nullopt;
    long long v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
    return v;
  };

  const auto port = parse_uint(port_text);
  if (!port || *port < 1 || *port > 65535) {
    error = "redis URL port must be an integer in 1..65535: got '" + std::string(port_text) +
            "' in '" + std::string(url) + "'";
    return std::nullopt;
  }
  RedisAddress address;
  address.host = std::string(host);
  address.port = static_cast<int>(*port);
  if (db_text) {
    const auto db = parse_uint(*db_text);
    if (!db || *db > std::numeric_limits<int>::max()) {
      error = "redis URL database must be a non-negative integer: got '" + std::string(*db_text) +
              "' in '" + std::string(url) + "'";
      return std::nullopt;
    }
    address.db = static_cast<int>(*db);
  }
  error.clear();
  return address;
}

RedisCache::RedisCache(RedisAddress address, const Clock& clock, RedisTimeouts timeouts)
    : impl_(std::make_unique<Impl>(std::move(address), clock, timeouts)) {
  // Connect eagerly so that connected() means something from the start; a
  // failure here only starts the back-off.
  std::lock_guard lock(impl_->mutex);
  SigpipeGuard guard;
  impl_->ensure();
}

RedisCache::~RedisCache() = default;

std::string RedisCache::describe() const {
  const auto& a = impl_->address;
  const bool v6 = a.host.find(':') != std::string::npos;
  return "redis://" + (v6 ? "[" + a.host + "]" : a.host) + ":" + std::to_string(a.port) + "/" +
         std::to_string(a.db);
}

bool RedisCache::connected() const { return impl_->reached.load(); }

RedisBreakerStats RedisCache::breaker() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->counts;
}

bool RedisCache::ping() {
  std::lock_guard lock(impl_->mutex);
  SigpipeGuard guard;
  ReplyPtr r = impl_->argv_command({"PING"});
  return r && r->type == REDIS_REPLY_STATUS && std::string_view(r->str, r->len) == "PONG";
}

std::vector<Cache::GetResult> RedisCache::do_get(const std::vector<std::string>& keys) {
  std::vector<GetResult> out(keys.size());
  if (keys.empty()) return out;
  std::vector<std::string_view> args;
  args.reserve(keys.size() + 1);
  args.emplace_back(keys.size() == 1 ? "GET" : "MGET");
  for (const auto& k : keys) args.emplace_back(k);

  ReplyPtr r;
  {
    std::lock_guard lock(impl_->mutex);
    SigpipeGuard guard;
    r = impl_->argv_command(args);
  }
  auto all_errors = [&] {
    for (auto& g : out) g.status = Status::error;
    return out;
  };
  if (!r) return all_errors();

  auto fill = [&](GetResult& g, const redisReply* e) {
    if (e->type == REDIS_REPLY_NIL) {
      g.status = Status::miss;
      return;
    }
    if (e->type != REDIS_REPLY_STRING) {  // e.g. WRONGTYPE: not something we can read
      g.status = Status::error;
      return;
    }
    const Decoded d = decode(std::string_view(e->str, e->len));
    if (d.expires_at && *d.expires_at <= impl_->clock.now()) {
      g.status = Status::miss;
      return;
    }
    g.status = Status::hit;
    g.value.assign(d.payload.data(), d.payload.size());
  };

  if (keys.size() == 1) {
    fill(out[0], r.get());
    return out;
  }
  if (r->type != REDIS_REPLY_ARRAY || r->elements != keys.size()) return all_errors();
#if CACHECHECK_MUTANT == 27  // mutant 27 (redis-mget-index): an index slip: every MGET result is the first key's
  for (std::size_t i = 0; i < keys.size(); ++i) fill(out[i], r->element[0]);
#else
  for (std::size_t i = 0; i < keys.size(); ++i) fill(out[i], r->element[i]);
#endif
  return out;
}

bool RedisCache::do_set(const std::string& key, const std::string& value, std::optional<int> ttl_s) {
  std::optional<TimeMs> expires_at;
  if (ttl_s) expires_at = impl_->clock.now() + static_cast<TimeMs>(*ttl_s) * 1000;
#if CACHECHECK_MUTANT == 28  // mutant 28 (redis-no-expiry): the value is stored without its expiry (only the real-time backstop EX remains)
  const std::string encoded = encode(std::nullopt, value);
#else
  const std::string encoded = encode(expires_at, value);
#endif

  std::lock_guard lock(impl_->mutex);
  SigpipeGuard guard;
  if (!impl_->ensure()) return false;
  ReplyPtr r;
  if (ttl_s) {
    const std::string backstop = std::to_string(
        std::max<long long>(1, static_cast<long long>(*ttl_s) + kBackstopExtraSeconds));
    r = impl_->check(redisCommand(impl_->ctx, "SET %b %b EX %s", key.data(), key.size(),
                                  encoded.data(), encoded.size(), backstop.c_str()));
  } else {
    r = impl_->check(redisCommand(impl_->ctx, "SET %b %b", key.data(), key.size(), encoded.data(),
                                  encoded.size()));
  }
  return r && r->type == REDIS_REPLY_STATUS;
}

std::optional<std::size_t> RedisCache::do_del(const std::vector<std::string>& keys) {
  return impl_->del(keys);
}

std::optional<std::int64_t> RedisCache::do_incr(const std::string& key) {
  std::lock_guard lock(impl_->mutex);
  SigpipeGuard guard;
  if (!impl_->ensure()) return std::nullopt;
  ReplyPtr r = impl_->check(redisCommand(impl_->ctx, "INCR %b", key.data(), key.size()));
  if (!r || r->type != REDIS_REPLY_INTEGER) return std::nullopt;
  return static_cast<std::int64_t>(r->integer);
}

// A lease: SET NX with Redis's own (real-time) expiry; the value is written
// unencoded (nobody GETs a lease key as a feed entry).
Cache::AddResult RedisCache::do_add(const std::string& key, const std::string& value, int ttl_ms) {
  std::lock_guard lock(impl_->mutex);
  SigpipeGuard guard;
  if (!impl_->ensure()) return AddResult::error;
  const std::string px = std::to_string(std::max(1, ttl_ms));
  ReplyPtr r = impl_->check(redisCommand(impl_->ctx, "SET %b %b NX PX %s", key.data(), key.size(), value.data(),
                                         value.size(), px.c_str()));
  if (!r) return AddResult::error;
  if (r->type == REDIS_REPLY_STATUS) return AddResult::added;
  return r->type == REDIS_REPLY_NIL ? AddResult::exists : AddResult::error;
}

void RedisCache::do_flush() {
  std::lock_guard lock(impl_->mutex);
  SigpipeGuard guard;
  impl_->argv_command({"FLUSHDB"});
}

std::size_t RedisCache::do_evict(const std::vector<std::string>& keys) {
  return impl_->del(keys).value_or(0);
}

std::vector<std::string> RedisCache::do_keys() {
  std::vector<std::string> out;
  std::string cursor = "0";
  std::lock_guard lock(impl_->mutex);
  SigpipeGuard guard;
  do {
    ReplyPtr r = impl_->argv_command({"SCAN", cursor, "COUNT", "1000"});
    if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
        r->element[0]->type != REDIS_REPLY_STRING || r->element[1]->type != REDIS_REPLY_ARRAY)
      return {};
    cursor.assign(r->element[0]->str, r->element[0]->len);
    const redisReply* batch = r->element[1];
    for (std::size_t i = 0; i < batch->elements; ++i) {
      const redisReply* e = batch->element[i];
      if (e->type == REDIS_REPLY_STRING) out.emplace_back(e->str, e->len);
    }
  } while (cursor != "0");
  // SCAN may return a key more than once.
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace calendar
