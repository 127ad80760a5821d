// A history: what was invoked, when, by whom, and what came back. Nothing else
// is trusted by the oracle. Serialisable to JSON (counterexamples embed it).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/domain.h"
#include "model/semantics.h"
#include "model/time.h"

namespace cachecheck {

// Where the events a view shows came from.
//   store        — the server answered from its source of truth (a cache miss, or no cache)
//   server-cache — the server answered from its feed cache
//   http-cache   — the browser's HTTP cache answered without reaching the server
//   client-store — the tab showed FullCalendar's in-memory events without fetching
//   server       — the server answered and did not say from where (a black-box target)
enum class Layer { store, server_cache, http_cache, client_store, server };
std::string_view to_string(Layer l);
std::optional<Layer> parse_layer(std::string_view s);

enum class OpKind {
  view,    // a tab shows the feed for a range and filter (a fetch, or its in-memory events)
  click,   // a tab opens the modal of an event it shows
  create,  // POST a work item
  edit,    // PATCH a work item
  remove,  // DELETE a work item (and its subtree)
  fault,   // a nemesis action (evict, flush, route, clock); not judged, kept for the narrative
};
std::string_view to_string(OpKind k);
std::optional<OpKind> parse_op_kind(std::string_view s);

// An operation's outcome, as Jepsen records it (:ok, :fail, :info):
//   ok            it happened, and its answer says what it did;
//   failed        it certainly did not happen (the server refused it: 4xx);
//   indeterminate it may or may not have happened, at any time after its invocation
//                 (a timeout, a reset connection, a 5xx). An indeterminate read is not
//                 judged; an indeterminate write is judged as possibly taking effect at
//                 any time from its invocation on (see oracle.h).
enum class Outcome { ok, failed, indeterminate };
std::string_view to_string(Outcome o);
std::optional<Outcome> parse_outcome(std::string_view s);

// What the target's probe counted while one operation ran (cache and store work;
// see targets/target.h). Only sequential operations carry one.
struct ProbeCounters {
  std::uint64_t cache_hits = 0, cache_misses = 0, cache_sets = 0, cache_deletes = 0,
                cache_deletes_present = 0, cache_incrs = 0, cache_evictions = 0, round_trips = 0,
                store_queries = 0;
  // Operations on the cache (get, set, delete, incr): what a write's invalidation costs.
  std::uint64_t cache_ops() const { return cache_hits + cache_misses + cache_sets + cache_deletes + cache_incrs; }
  ProbeCounters operator-(const ProbeCounters& earlier) const;
  ProbeCounters& operator+=(const ProbeCounters& other);
  friend bool operator==(const ProbeCounters&, const ProbeCounters&) = default;
};
// ProbeCounters fields by name, for JSON and arithmetic alike.
inline constexpr std::array<std::pair<const char*, std::uint64_t ProbeCounters::*>, 9> kProbeFields{{
    {"cache_hits", &ProbeCounters::cache_hits},
    {"cache_misses", &ProbeCounters::cache_misses},
    {"cache_sets", &ProbeCounters::cache_sets},
    {"cache_deletes", &ProbeCounters::cache_deletes},
    {"cache_deletes_present", &ProbeCounters::cache_deletes_present},
    {"cache_incrs", &ProbeCounters::cache_incrs},
    {"cache_evictions", &ProbeCounters::cache_evictions},
    {"round_trips", &ProbeCounters::round_trips},
    {"store_queries", &ProbeCounters::store_queries},
}};
nlohmann::json to_json(const ProbeCounters& p);
ProbeCounters probe_from_json(const nlohmann::json& j);  // absent fields are 0

// An event as the feed returned it, decoded.
struct ShownEvent {
  std::string item_id;  // the item's id (on the reference server the UUID, without "work-item-")
  std::string title, work_type, status;
  Date start, end;  // `end` is the due date
  std::optional<std::string> parent_id;
  friend bool operator==(const ShownEvent&, const ShownEvent&) = default;
};
ShownEvent shown_from_event_json(const nlohmann::json& event);  // throws on a malformed event

struct Op {
  std::size_t index = 0;  // position in the history
  OpKind kind = OpKind::view;
  UserId user = 0;
  std::string tab;  // "" for operations outside a tab
  TimeMs invoke = 0, complete = 0;  // the target's clock
  int status = 0;                   // HTTP status (0: no HTTP answer, or none needed)
  Outcome outcome = Outcome::ok;
  std::string error;                // failed/indeterminate: the server's error or the transport's reason
  std::optional<int> worker;        // the server process that answered, when it says
  std::optional<ProbeCounters> probe;  // cache/store work during this operation, when probed

  // view: the query and what was shown.
  Query query;
  std::optional<Layer> layer;
  std::vector<ShownEvent> shown;

  // click / edit / remove: the item acted on.
  std::string item_id;
  // create / edit: the fields sent (kept so an indeterminate write can be judged),
  // and the item as the server returned it after the write.
  nlohmann::json request;
  std::optional<Item> written;
  // remove: every id the server reported deleted.
  std::vector<std::string> deleted;

  // fault: which one ("evict", "evict-random", "evict-version", "flush", "route",
  // "advance") and how many entries it affected, when the target says.
  std::string fault;
  std::optional<std::uint64_t> affected;
};

struct History {
  std::vector<User> users;
  std::vector<Item> initial_items;
  Visibility visibility = Visibility::global;
  Semantics semantics = Semantics::reference();  // the application's rules for a fresh answer
  // The strategy's declared staleness bound in seconds (TTL for caching strategies), if any.
  std::optional<double> bound_s;
  std::vector<Op> ops;
};

nlohmann::json to_json(const Semantics& s);
Semantics semantics_from_json(const nlohmann::json& j);  // throws std::runtime_error with a reason
nlohmann::json to_json(const History& h);
// One operation, both ways (JSON Lines histories: model/history_jsonl.h). `position`
// is its index when the object gives none; errors name it as ops[position].
nlohmann::json to_json(const Op& op);
Op op_from_json(const nlohmann::json& j, std::size_t position);  // throws std::runtime_error
History history_from_json(const nlohmann::json& j);  // throws std::runtime_error with a reason

}  // namespace cachecheck
