#include "http/routes.h"

#include <map>
#include <string_view>
#include <utility>

#include "calendar/domain.h"

namespace calendar::http {
namespace {

constexpr std::string_view kItemsPrefix = "/oobc-management/work-items/";

}  // namespace

std::optional<Route> match_route(const std::string& path, bool admin) {
  static const std::map<std::string, std::pair<RouteKind, const char*>> fixed{
      {"/healthz", {RouteKind::healthz, "GET"}},
      {"/accounts/login/", {RouteKind::login, "POST"}},
      {"/accounts/logout/", {RouteKind::logout, "POST"}},
      {"/oobc-management/calendar/feed/", {RouteKind::feed, "GET"}},
      {"/oobc-management/work-items/", {RouteKind::create, "POST"}},
  };
  static const std::map<std::string, std::pair<RouteKind, const char*>> admin_routes{
      {"/__admin/reset", {RouteKind::admin_reset, "POST"}},
      {"/__admin/clock", {RouteKind::admin_clock, "POST"}},
      {"/__admin/stats", {RouteKind::admin_stats, "GET"}},
      {"/__admin/cache/flush", {RouteKind::admin_flush, "POST"}},
      {"/__admin/cache/evict", {RouteKind::admin_evict, "POST"}},
      {"/__admin/route", {RouteKind::admin_route, "POST"}},
  };
  if (auto it = fixed.find(path); it != fixed.end()) return Route{it->second.first, it->second.second, ""};
  if (admin) {
    if (auto it = admin_routes.find(path); it != admin_routes.end())
      return Route{it->second.first, it->second.second, ""};
  }
  // /oobc-management/work-items/<uuid>/[modal/|delete/]  (Django's <uuid:pk> converter)
  if (path.size() > kItemsPrefix.size() && std::string_view(path).substr(0, kItemsPrefix.size()) == kItemsPrefix) {
    std::string_view rest = std::string_view(path).substr(kItemsPrefix.size());
    auto slash = rest.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    std::string id(rest.substr(0, slash));
    if (!is_uuid(id)) return std::nullopt;
    std::string_view tail = rest.substr(slash + 1);
    if (tail.empty()) return Route{RouteKind::patch, "PATCH", id};
    if (tail == "modal/") return Route{RouteKind::modal, "GET", id};
    if (tail == "delete/") return Route{RouteKind::remove, "DELETE", id};
  }
  return std::nullopt;
}

bool is_unsafe(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS" && method != "TRACE";
}

}  // namespace calendar::http
