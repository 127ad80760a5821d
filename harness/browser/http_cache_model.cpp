#include "browser/http_cache_model.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <utility>
#include <vector>

namespace cachecheck {
namespace {


// RFC 9111 §1.2.2: a delta-seconds too large to represent is taken as 2^31.
constexpr std::int64_t kMaxDeltaSeconds = 2147483648LL;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// delta-seconds (§1.2.2): 1*DIGIT; nullopt when malformed.
std::optional<std::int64_t> parse_delta_seconds(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = std::min<std::int64_t>(v * 10 + (c - '0'), kMaxDeltaSeconds);
  }
  return v;
}

// One Cache-Control directive: its name (lower case) and argument, if any (unquoted).
struct Directive {
  std::string name;
  std::optional<std::string> arg;
};

// Cache-Control = #cache-directive; cache-directive = token [ "=" ( token / quoted-string ) ].
std::vector<Directive> parse_cache_control(std::string_view v) {
  std::vector<Directive> out;
  std::size_t i = 0;
  while (i < v.size()) {
    // One list member, up to a comma outside a quoted string.
    std::string member;
    bool quoted = false;
    for (; i < v.size(); ++i) {
      char c = v[i];
      if (quoted && c == '\\' && i + 1 < v.size()) {
        member.push_back(c);
        member.push_back(v[++i]);
        continue;
      }
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) break;
      member.push_back(c);
    }
    ++i;  // skip the comma
    std::string_view m = trim(member);
    if (m.empty()) continue;
    Directive d;
    auto eq = m.find('=');
    d.name = lower(trim(m.substr(0, eq)));
    if (eq != std::string_view::npos) {
      std::string_view a = trim(m.substr(eq + 1));
      if (a.size() >= 2 && a.front() == '"' && a.back() == '"') {
        std::string unq;
        for (std::size_t k = 1; k + 1 < a.size(); ++k) {
          if (a[k] == '\\' && k + 2 < a.size()) ++k;
          unq.push_back(a[k]);
        }
        d.arg = std::move(unq);
      } else {
        d.arg = std::string(a);
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

// The first occurrence of a directive (§4.2.1: with repeats, the first may be used).
const Directive* directive(const std::vector<Directive>& cc, std::string_view name) {
  for (const auto& d : cc)
    if (d.name == name) return &d;
  return nullptr;
}

std::optional<std::string_view> header(const StoredResponse& r, const std::string& name) {
  auto it = r.headers.find(name);
  if (it == r.headers.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::vector<Directive> cache_control_of(const StoredResponse& r) {
  auto v = header(r, "cache-control");
  return v ? parse_cache_control(*v) : std::vector<Directive>{};
}

// date_value: the Date header, or the time the response was received when it has none (a
// recipient adds one, RFC 9110 §6.6.1).
TimeMs date_value(const StoredResponse& r) {
  if (auto v = header(r, "date"))
    if (auto t = parse_http_date(trim(*v))) return *t;
  return r.response_time;
}

// §4.2.2: status codes that are heuristically cacheable (RFC 9110 §15.1).
bool heuristically_cacheable(int status) {
  switch (status) {
    case 200: case 203: case 204: case 206: case 300: case 301: case 308:
    case 404: case 405: case 410: case 414: case 501:
      return true;
    default:
      return false;
  }
}

// An unqualified no-cache: the response may not be used without revalidation (§5.2.2.4). The
// qualified form (no-cache="field") only restricts those fields, so it does not count here.
bool has_unqualified_no_cache(const std::vector<Directive>& cc) {
  for (const auto& d : cc)
    if (d.name == "no-cache" && !d.arg) return true;
  return false;
}

}  // namespace

double BrowserHttpCache::freshness_lifetime_s(const StoredResponse& r) const {
  auto cc = cache_control_of(r);
  // s-maxage applies to shared caches only; a browser's cache is private.
  if (const Directive* d = directive(cc, "max-age")) {
    auto secs = d->arg ? parse_delta_seconds(*d->arg) : std::nullopt;
    return secs ? static_cast<double>(*secs) : 0.0;  // malformed max-age: stale
  }
  if (auto expires = header(r, "expires")) {
    auto t = parse_http_date(trim(*expires));
    if (!t) return 0.0;  // an invalid Expires (e.g. "0") is a time in the past
    return std::max<double>(0.0, static_cast<double>(*t - date_value(r)) / 1000.0);
  }
  // No explicit expiration time: heuristic freshness (§4.2.2), 10 % of the time since
  // Last-Modified, when the status allows it.
  if (!heuristically_cacheable(r.status)) return 0.0;
  if (auto lm = header(r, "last-modified")) {
    if (auto t = parse_http_date(trim(*lm))) {
      TimeMs since = date_value(r) - *t;
      if (since > 0) return 0.1 * static_cast<double>(since) / 1000.0;
    }
  }
  return 0.0;
}

double BrowserHttpCache::current_age_s(const StoredResponse& r, TimeMs now) const {
  TimeMs age_value = 0;
  if (auto v = header(r, "age")) {
    // A list-valued Age: use the first member; an invalid one is ignored (§5.1).
    std::string_view first = trim(v->substr(0, v->find(',')));
    if (auto secs = parse_delta_seconds(first)) age_value = *secs * 1000;
  }
  TimeMs apparent_age = std::max<TimeMs>(0, r.response_time - date_value(r));
  TimeMs response_delay = r.response_time - r.request_time;
  TimeMs corrected_age_value = age_value + response_delay;
  TimeMs corrected_initial_age = std::max(apparent_age, corrected_age_value);
  TimeMs resident_time = now - r.response_time;
  return static_cast<double>(corrected_initial_age + resident_time) / 1000.0;
}

bool BrowserHttpCache::usable_without_server(const StoredResponse& r, TimeMs now) const {
  auto cc = cache_control_of(r);
  if (directive(cc, "no-store") || has_unqualified_no_cache(cc)) return false;
  return freshness_lifetime_s(r) > current_age_s(r, now);
}

std::optional<std::string> BrowserHttpCache::lookup(const std::string& url, TimeMs now,
                                                    Mode mode) const {
  if (mode != Mode::normal) return std::nullopt;  // reload revalidates, hard reload bypasses
  const StoredResponse* r = find(url);
  if (!r || !usable_without_server(*r, now)) return std::nullopt;
  return r->body;
}

bool BrowserHttpCache::store(const std::string& url, StoredResponse r) {
  if (r.status != 200 || directive(cache_control_of(r), "no-store")) {
    entries_.erase(url);
    return false;
  }
  entries_.insert_or_assign(url, std::move(r));
  return true;
}

const StoredResponse* BrowserHttpCache::find(const std::string& url) const {
  auto it = entries_.find(url);
  return it == entries_.end() ? nullptr : &it->second;
}

std::string_view to_string(BrowserHttpCache::Mode m) {
  switch (m) {
    case BrowserHttpCache::Mode::normal: return "normal";
    case BrowserHttpCache::Mode::reload: return "reload";
    case BrowserHttpCache::Mode::hard_reload: return "hard-reload";
  }
  return "unknown";
}

}  // namespace cachecheck
