// The URL map: which route a path is, and the one method it answers.
#pragma once

#include <optional>
#include <string>

namespace calendar::http {

enum class RouteKind {
  healthz, login, logout, feed, modal, create, patch, remove,
  admin_reset, admin_clock, admin_stats, admin_flush, admin_evict, admin_route,
};

struct Route {
  RouteKind kind;
  std::string method;  // the one method the route answers
  std::string id;      // work item id for modal/patch/remove
};

// nullopt: 404. Admin paths match only when `admin` is set.
std::optional<Route> match_route(const std::string& path, bool admin);
// POST, PATCH, DELETE, …: everything but GET, HEAD, OPTIONS and TRACE.
bool is_unsafe(const std::string& method);

}  // namespace calendar::http
