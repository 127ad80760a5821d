// A history: what was invoked, when, by whom, and what came back. Nothing else
// is trusted by the oracle. Serialisable to JSON (counterexamples embed it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "calendar/date.h"
#include "calendar/domain.h"

namespace cachecheck {

using calendar::TimeMs;
using calendar::UserId;

// Where the events a view shows came from.
//   store        — the server answered from its source of truth (a cache miss, or no cache)
//   server-cache — the server answered from its feed cache
//   http-cache   — the browser's HTTP cache answered without reaching the server
//   client-store — the tab showed FullCalendar's in-memory events without fetching
enum class Layer { store, server_cache, http_cache, client_store };
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

// An event as the feed returned it (the contract's event format, decoded).
struct ShownEvent {
  std::string item_id;  // the UUID, without the "work-item-" prefix
  std::string title, work_type, status;
  calendar::Date start, end;  // `end` is the due date
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
  int status = 0;                   // HTTP status (0 for client-store views and faults)

  // view: the query and what was shown.
  calendar::FeedQuery query;
  std::optional<Layer> layer;
  std::vector<ShownEvent> shown;

  // click / edit / remove: the item acted on.
  std::string item_id;
  // create / edit: the item as the server returned it after the write.
  std::optional<calendar::WorkItem> written;
  // remove: every id the server reported deleted.
  std::vector<std::string> deleted;

  // A free-form account of what happened, for narratives (fault details, cache
  // operations the target reported, "100 keys deleted, 0 present", …).
  std::string note;
};

struct History {
  std::vector<calendar::User> users;
  std::vector<calendar::WorkItem> initial_items;
  calendar::Visibility visibility = calendar::Visibility::global;
  // The strategy's declared staleness bound in seconds (TTL for caching strategies), if any.
  std::optional<double> bound_s;
  std::vector<Op> ops;
};

nlohmann::json to_json(const History& h);
History history_from_json(const nlohmann::json& j);  // throws std::runtime_error with a reason

}  // namespace cachecheck
