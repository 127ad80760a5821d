// A target: how one operation reaches the system under test. `in-process`
// calls the reference server's application library directly on a manual clock;
// `http://HOST:PORT` talks to a running `calendar-server --admin --clock manual`.
// Histories recorded from either are judged by the same oracle.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "calendar/domain.h"

namespace cachecheck {

using calendar::TimeMs;
using calendar::UserId;

// What came back, as a browser would see it (header names lower-case).
struct Response {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
  std::string header(const std::string& lower_name) const;
};

// Thrown when the target cannot be reached or answers outside its contract.
struct TargetError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// How the target's server is configured for a run. The in-process target
// builds it; the HTTP target checks what it can and reports the rest.
struct TargetConfig {
  std::string strategy = "sweep";
  std::string backend = "memory";  // or redis://HOST:PORT[/DB]
  std::size_t cache_capacity = 0;
  int ttl_s = 300;
  int workers = 1;
  std::string http_cache = "never";  // never | max-age=N | unset
  TimeMs start_time = 0;             // the manual clock at reset
};

class Target {
 public:
  virtual ~Target() = default;
  virtual std::string describe() const = 0;  // "in-process" or the base URL

  // Replaces all data, empties every cache, logs every user in, sets the clock.
  virtual void reset(const std::vector<calendar::User>& users, const std::vector<calendar::WorkItem>& items,
                     calendar::Visibility visibility, TimeMs now) = 0;
  virtual TimeMs now() = 0;
  virtual void set_now(TimeMs t) = 0;

  // The application's endpoints, as `user`. `query` is the feed's raw query
  // string as a browser sends it (percent-encoded).
  virtual Response feed(UserId user, const std::string& query) = 0;
  virtual Response modal(UserId user, const std::string& id) = 0;
  virtual Response create(UserId user, const nlohmann::json& item) = 0;
  virtual Response patch(UserId user, const std::string& id, const nlohmann::json& fields) = 0;
  virtual Response remove(UserId user, const std::string& id) = 0;

  // Faults (the nemesis).
  virtual std::size_t evict(const std::vector<std::string>& keys) = 0;
  virtual std::size_t evict_random(std::size_t n, std::uint64_t seed) = 0;
  virtual void flush() = 0;
  virtual void route(std::optional<std::size_t> worker) = 0;  // pin requests to a worker, or round-robin

  // The admin API's stats document.
  virtual nlohmann::json stats() = 0;
  // Runs the tasks (each one or more of the calls above) concurrently. In-process:
  // interleaved at cache and store accesses by a scheduler seeded with `seed`,
  // exactly reproducible; returns the interleaving, one line per access point
  // ("#1 cache-read calendar_version:1"). HTTP: real threads; returns nothing.
  virtual std::vector<std::string> run_concurrently(std::vector<std::function<void()>> tasks,
                                                    std::uint64_t seed) = 0;
  // Whether the same inputs always give the same history (in-process: yes).
  virtual bool deterministic() const = 0;
};

// "in-process" or "http://HOST:PORT". Throws TargetError with a one-line reason
// (unknown form, unreachable server, server not started with --admin --clock manual).
std::unique_ptr<Target> make_target(const std::string& spec, const TargetConfig& config);

}  // namespace cachecheck
