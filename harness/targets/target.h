// A target: the system under test as the harness reaches it, split into the
// roles Jepsen separates (client.clj, nemesis.clj), each a small interface:
//
//   Client   — the application's operations, as one user's browser makes them
//   Nemesis  — faults: cache evictions, flushes, routing to a worker (optional)
//   Clock    — the target's time: read always; set only when it is manual
//   Probe    — cache and store counters, read around an operation (optional)
//
// and the Capabilities it declares. A scenario asks for capabilities; where the
// target lacks one, its cell is `unsupported` with the reason, never a pass.
// Histories recorded through any target are judged by the same oracle.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/domain.h"
#include "model/history.h"
#include "model/semantics.h"

namespace cachecheck {

// What came back, as a browser sees it (header names lower-case). status 0 means
// no HTTP answer at all; `transport_error` then says why (refused, timeout, reset).
struct Response {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
  std::string transport_error;
  std::string header(const std::string& lower_name) const;
};

// The outcome of an operation from its answer. Reads: any answer is `ok` (a 404 is a
// definite "gone"); writes: 2xx ok, other 4xx failed (refused, so not done). Either
// way a 5xx, 408 or no answer is `indeterminate`: the operation may have happened.
Outcome read_outcome(const Response& r);
Outcome write_outcome(const Response& r);
// A one-line reason for a response that is not a success ("" for 2xx).
std::string response_error(const Response& r);

// Thrown when the target cannot be used at all (unreachable, misconfigured, a
// fixture it refuses). Operations never throw it: they return a Response.
struct TargetError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Thrown when an answer cannot be decoded (not the expected format): the answer is
// then indeterminate for the caller, and the reason is recorded.
struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One feed read as a browser makes it: the raw query string FullCalendar sends to
// the reference server's feed, and the same read decoded (a target with other
// parameter names or date formats builds its own request from `query`).
struct FeedRequest {
  std::string query_string;  // "start=…&end=…[&type=…][&status=…]", percent-encoded
  Query query;               // its bounds' calendar dates and filters
};

class Client {
 public:
  virtual ~Client() = default;
  virtual Response feed(UserId user, const FeedRequest& request) = 0;
  virtual Response detail(UserId user, const std::string& item_id) = 0;  // the modal: 404 = gone
  // Writes: `fields` in the contract's domain field names (model/item_json.h).
  virtual Response create(UserId user, const nlohmann::json& fields) = 0;
  virtual Response edit(UserId user, const std::string& item_id, const nlohmann::json& fields) = 0;
  virtual Response remove(UserId user, const std::string& item_id) = 0;

  // Decoding of answers (the contract's formats on the reference server). Throw DecodeError.
  virtual std::vector<ShownEvent> decode_feed(const std::string& body) const;
  virtual Item decode_item(const Response& r) const;                     // create / edit
  virtual std::vector<std::string> decode_deleted(const Response& r) const;  // remove: every id deleted
  // Where the server says a feed answer came from (store, server-cache), and which
  // worker answered; Layer::server and nullopt when it does not say.
  virtual Layer served_by(const Response& r) const;
  virtual std::optional<int> worker_of(const Response& r) const;
};

// The faults a nemesis may offer.
enum class Fault {
  evict,          // evict given cache keys
  evict_version,  // evict the invalidation metadata (e.g. version counters) of a user, or the global one
  evict_random,   // evict N random cache entries
  flush,          // a cache restart: everything is gone
  route,          // pin requests to one worker, or back to round-robin
};
std::string_view to_string(Fault f);

class Nemesis {
 public:
  virtual ~Nemesis() = default;
  // Each returns how many entries it affected, when the target can tell.
  virtual std::optional<std::size_t> evict(const std::vector<std::string>& keys) = 0;
  virtual std::optional<std::size_t> evict_version(std::optional<UserId> user) = 0;  // nullopt: the global one
  virtual std::optional<std::size_t> evict_random(std::size_t n, std::uint64_t seed) = 0;
  virtual void flush() = 0;
  virtual void route(std::optional<std::size_t> worker) = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs now() = 0;
  // Moves a manual clock to `t` (never backwards); a real clock cannot be set.
  virtual void set_now(TimeMs t) = 0;
};

class Probe {
 public:
  virtual ~Probe() = default;
  // Totals since the last reset; the runner reads them before and after an operation.
  virtual ProbeCounters counters() = 0;
};

// What a target can do, declared by it and checked by scenarios.
struct Capabilities {
  bool reset = false;         // can be reset to a fixture (else the harness works in its own namespace)
  bool manual_clock = false;  // Clock::set_now moves the target's time
  std::set<Fault> faults;     // what its nemesis offers
  int workers = 1;            // server processes behind it (0: unknown)
  bool probe = false;         // Probe counters are available
  bool deterministic = false; // the same inputs always give the same history
  // The freshness the strategy or application promises: a stale read older than this
  // is `bound-exceeded`. 0: always fresh; nullopt: no promise.
  std::optional<double> staleness_bound_s;
  std::string strategy;       // the invalidation strategy it runs, when it says ("" = unknown)
  Semantics semantics = Semantics::reference();
  // issue 10 (black-box targets from a spec):
  int users = 0;                          // test users it can log in (0: any number)
  std::optional<Visibility> visibility;   // its one visibility (nullopt: a reset sets the fixture's)
  // Without a manual clock, time passes by waiting: an `advance` step waits
  // min(its seconds, max_think_s) of real time (0: `advance` needs a manual clock).
  double max_think_s = 0;
};

class Target {
 public:
  virtual ~Target() = default;
  virtual std::string describe() const = 0;  // "in-process", a base URL, a spec's name
  virtual const Capabilities& capabilities() const = 0;

  // Replaces all data with `fixture`, empties every cache, logs every user in and
  // sets the clock (manual clocks only). Throws TargetError.
  virtual void reset(const Fixture& fixture) = 0;

  virtual Client& client() = 0;
  virtual Clock& clock() = 0;
  virtual Nemesis* nemesis() { return nullptr; }
  virtual Probe* probe() { return nullptr; }

  // Runs the tasks (each one or more client calls) concurrently. In-process: one
  // seeded scheduler interleaves them at cache and store accesses, exactly
  // reproducibly, and the interleaving is returned, one line per access point
  // ("#1 cache-read calendar_version:1"). Over a network: real threads; returns nothing.
  virtual std::vector<std::string> run_concurrently(std::vector<std::function<void()>> tasks,
                                                    std::uint64_t seed) = 0;
};

// How the target's server is configured for a run. A target that builds its
// server (in-process) applies it; one that connects to a running server checks
// what it can and declares the rest through its capabilities.
struct TargetConfig {
  std::string strategy = "sweep";
  std::string backend = "memory";  // or redis://HOST:PORT[/DB]
  std::size_t cache_capacity = 0;
  int ttl_s = 300;
  int workers = 1;
  int worker_threads = 4;            // requests one worker serves at the same time
  std::string http_cache = "never";  // never | max-age=N | unset
  TimeMs start_time = 0;             // the manual clock at reset
  double max_wait_s = 30;            // issue 10: the longest real wait a step may make (--max-wait)
  bool leases = false;               // issue 16: leases, for strategies that support them (in-process)
};

// A kind of target, by the form of its name: "in-process", "http://…", a spec file.
struct TargetKind {
  std::string name;                                         // for --help and errors
  std::function<bool(const std::string& spec)> matches;     // does this kind handle `spec`?
  std::function<std::unique_ptr<Target>(const std::string& spec, const TargetConfig&)> make;
  // The strategies a target of this kind can be built with (empty: it has its own, fixed).
  std::function<std::vector<std::string>()> strategies;
  // Checks a configuration before any case runs (a reachable backend, a valid
  // --http-cache); throws TargetError with a one-line reason.
  std::function<void(const TargetConfig&)> check;
  // True when make() builds the server from the TargetConfig (a fresh one per case,
  // with the case's workers and capacity); false when it connects to a running one.
  bool builds_server = false;
};
// Registration (one line per kind; the in-process kind registers itself when linked).
bool register_target_kind(TargetKind kind);
const TargetKind* find_target_kind(const std::string& spec);
// "in-process", "http://HOST:PORT", …. Throws TargetError with a one-line reason
// (unknown form, unreachable server, server without the admin API).
std::unique_ptr<Target> make_target(const std::string& spec, const TargetConfig& config);

}  // namespace cachecheck
