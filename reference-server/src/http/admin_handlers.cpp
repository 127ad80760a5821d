// The admin API (--admin): reset, clock, stats, cache faults, worker pinning.
// No session and no CSRF: it is the harness's, on a loopback-only server.
#include <cmath>
#include <random>

#include "calendar/request_parsing.h"
#include "calendar/reset_data.h"
#include "http/json_response.h"
#include "http/request_handler.h"

namespace calendar::http {
namespace {

using json = nlohmann::json;

}  // namespace

void RequestHandler::admin(RouteKind kind, const httplib::Request& req, httplib::Response& res) {
  switch (kind) {
    case RouteKind::admin_reset: return admin_reset(req, res);
    case RouteKind::admin_clock: return admin_clock(req, res);
    case RouteKind::admin_stats: return admin_stats(res);
    case RouteKind::admin_flush:
      cluster_.flush_caches();
      return send_json(res, 200, json{{"flushed", true}});
    case RouteKind::admin_evict: return admin_evict(req, res);
    case RouteKind::admin_route: return admin_route(req, res);
    default: return send_error(res, 404, "not found: " + req.path);
  }
}

// The cluster's counters, and what a client of this server sees: its feed's
// Cache-Control, and the freshness it promises — the strategy's bound plus the
// max-age a browser may keep an answer for (what the in-process target declares).
void RequestHandler::admin_stats(httplib::Response& res) {
  json stats = cluster_.stats();
  stats["http_cache"] = options_.http_cache.describe();
  if (options_.http_cache.mode == HttpCachePolicy::Mode::max_age && stats.contains("staleness_bound_s"))
    stats["staleness_bound_s"] = stats["staleness_bound_s"].get<double>() + options_.http_cache.max_age_s;
  send_json(res, 200, stats);
}

std::optional<json> RequestHandler::admin_body(const httplib::Request& req, httplib::Response& res) {
  std::string error;
  auto body = parse_json_body(req.body, error);
  if (!body) {
    send_error(res, 400, error);
    return std::nullopt;
  }
  if (!body->is_object()) {
    send_error(res, 400, "the body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

void RequestHandler::admin_reset(const httplib::Request& req, httplib::Response& res) {
  auto body = admin_body(req, res);
  if (!body) return;
  std::string error;
  auto data = parse_reset(*body, error);
  if (!data) return send_error(res, 400, error);
  std::size_t n_users = data->users.size(), n_items = data->items.size();
  // Without `visibility` the server's own setting (--visibility) applies again.
  const Visibility visibility = data->visibility.value_or(cluster_.config().visibility);
  cluster_.reset(std::move(data->users), std::move(data->items), visibility);
  sessions_.clear();
  cluster_.route(std::nullopt);
  send_json(res, 200,
            json{{"ok", true},
                 {"users", n_users},
                 {"items", n_items},
                 {"visibility", std::string(to_string(cluster_.settings().visibility.load()))}});
}

void RequestHandler::admin_clock(const httplib::Request& req, httplib::Response& res) {
  if (!manual_clock_) return send_error(res, 409, "the server runs on the real clock; start it with --clock manual");
  auto body = admin_body(req, res);
  if (!body) return;
  bool has_advance = body->contains("advance_s"), has_now = body->contains("now");
  if (has_advance == has_now) return send_error(res, 400, "send exactly one of {\"advance_s\": N} or {\"now\": \"ISO\"}");
  if (body->size() != 1) return send_error(res, 400, "unknown field next to 'advance_s'/'now'");
  const std::string last = format_instant(kLastInstant);
  if (has_advance) {
    const json& v = (*body)["advance_s"];
    if (!v.is_number()) return send_error(res, 400, "'advance_s' must be a number of seconds");
    double s = v.get<double>();
    if (!std::isfinite(s) || s < 0 || s > 1e10) return send_error(res, 400, "'advance_s' must be from 0 to 1e10");
    if (!manual_clock_->advance_within_range(static_cast<TimeMs>(std::llround(s * 1000.0))))
      return send_error(res, 400, "the clock cannot pass " + last + " (HTTP dates have four-digit years)");
  } else {
    const json& v = (*body)["now"];
    if (!v.is_string()) return send_error(res, 400, "'now' must be an ISO 8601 instant");
    auto t = parse_instant(v.get<std::string>());
    if (!t)
      return send_error(res, 400, "'now' must be an ISO 8601 instant from " + format_instant(kFirstInstant) + " to " +
                                      last + ", such as 2025-10-05T09:00:00Z");
    manual_clock_->set(*t);
  }
  send_json(res, 200, json{{"now", format_instant(manual_clock_->now())}});
}

void RequestHandler::admin_evict(const httplib::Request& req, httplib::Response& res) {
  auto body = admin_body(req, res);
  if (!body) return;
  bool has_keys = body->contains("keys"), has_random = body->contains("random");
  if (has_keys == has_random) return send_error(res, 400, "send exactly one of {\"keys\": [...]} or {\"random\": N}");
  if (has_keys) {
    const json& keys = (*body)["keys"];
    if (!keys.is_array()) return send_error(res, 400, "'keys' must be an array of strings");
    std::vector<std::string> list;
    for (const json& k : keys) {
      if (!k.is_string()) return send_error(res, 400, "'keys' must be an array of strings");
      list.push_back(k.get<std::string>());
    }
    return send_json(res, 200, json{{"evicted", cluster_.evict(list)}});
  }
  const json& n = (*body)["random"];
  if (!n.is_number_integer() || n.get<long long>() < 0)
    return send_error(res, 400, "'random' must be a non-negative integer");
  std::uint64_t seed = 0;
  if (body->contains("seed")) {
    if (!(*body)["seed"].is_number_unsigned()) return send_error(res, 400, "'seed' must be a non-negative integer");
    seed = (*body)["seed"].get<std::uint64_t>();
  } else {
    std::random_device rd;
    seed = (std::uint64_t{rd()} << 32) ^ rd();
  }
  send_json(res, 200, json{{"evicted", cluster_.evict_random(static_cast<std::size_t>(n.get<long long>()), seed)}});
}

void RequestHandler::admin_route(const httplib::Request& req, httplib::Response& res) {
  auto body = admin_body(req, res);
  if (!body) return;
  if (!body->contains("worker")) return send_error(res, 400, "send {\"worker\": N} or {\"worker\": null}");
  const json& w = (*body)["worker"];
  if (w.is_null()) {
    cluster_.route(std::nullopt);
    return send_json(res, 200, json{{"worker", nullptr}});
  }
  if (!w.is_number_integer() || w.get<long long>() < 0 ||
      w.get<long long>() >= static_cast<long long>(cluster_.size()))
    return send_error(res, 400,
                      "'worker' must be null or an integer from 0 to " + std::to_string(cluster_.size() - 1));
  cluster_.route(static_cast<std::size_t>(w.get<long long>()));
  send_json(res, 200, json{{"worker", w.get<long long>()}});
}

}  // namespace calendar::http
