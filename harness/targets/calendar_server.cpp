// `--target http://HOST:PORT`: the reference server's built-in spec (see calendar_server.h).
#include "targets/calendar_server.h"

#include <nlohmann/json.hpp>

#include "model/time.h"
#include "spec/parse.h"
#include "targets/http_pool.h"

namespace cachecheck {
namespace {

using nlohmann::json;

// Is the server a calendar-server with --admin and --clock manual? Returns its clock.
TimeMs check_server(const HttpEndpoint& endpoint) {
  const std::string base = endpoint.url();
  HttpPool pool(BaseUrl{endpoint, ""}, 5);
  auto send = [&](const std::string& method, const std::string& path, const std::string& body = "") {
    HttpRequest req{method, path, body, body.empty() ? "" : "application/json", {}};
    Response r = pool.send("check", req);
    if (r.status == 0) throw TargetError("cannot reach " + base + ": " + r.transport_error);
    return r;
  };
  Response health = send("GET", "/healthz");
  if (health.status != 200)
    throw TargetError(base + " does not look like a calendar-server (GET /healthz answered " +
                      std::to_string(health.status) + ")");
  Response stats = send("GET", "/__admin/stats");
  if (stats.status == 404) throw TargetError(base + " was not started with --admin (GET /__admin/stats answered 404)");
  if (stats.status != 200) throw TargetError(base + ": GET /__admin/stats answered " + response_error(stats));
  auto st = json::parse(stats.body, nullptr, false);
  if (!st.is_object() || !st.contains("cache"))
    throw TargetError(base + ": GET /__admin/stats did not answer the stats document");
  Response clock = send("POST", "/__admin/clock", R"({"advance_s": 0})");  // moves nothing, answers the clock
  if (clock.status == 409)
    throw TargetError(base + " needs --clock manual (POST /__admin/clock answered " + response_error(clock) + ")");
  if (clock.status != 200) throw TargetError(base + ": POST /__admin/clock answered " + response_error(clock));
  auto c = json::parse(clock.body, nullptr, false);
  std::optional<TimeMs> now;
  if (c.is_object() && c.contains("now") && c["now"].is_string()) now = parse_instant(c["now"].get<std::string>());
  if (!now) throw TargetError(base + ": POST /__admin/clock did not answer {\"now\": ISO}");
  return *now;
}

}  // namespace

spec::TargetSpec calendar_server_spec(const HttpEndpoint& endpoint) {
  const std::string url = endpoint.url();
  auto env = [&](const std::string& name) -> std::optional<std::string> {
    if (name == "CALENDAR_SERVER") return url;
    return std::nullopt;  // the built-in spec does not depend on the environment
  };
  auto parsed = spec::parse_spec_text(calendar_server_spec_text(), "targets/calendar-server.yaml (built in)", env);
  if (!parsed.spec)
    throw TargetError("the built-in targets/calendar-server.yaml does not parse: " +
                      (parsed.problems.empty() ? std::string("no reason given") : parsed.problems.front().text()));
  parsed.spec->name = url;
  return std::move(*parsed.spec);
}

std::unique_ptr<SpecTarget> connect_calendar_server(const HttpEndpoint& endpoint, const TargetConfig& config) {
  const TimeMs now = check_server(endpoint);
  auto target = std::make_unique<SpecTarget>(calendar_server_spec(endpoint), config);
  target->connect();
  target->assume_now(now);
  return target;
}

namespace {

const bool registered = register_target_kind(TargetKind{
    "http://HOST:PORT (a calendar-server --admin --clock manual: targets/calendar-server.yaml on HOST:PORT)",
    [](const std::string& target) { return target.rfind("http://", 0) == 0; },
    [](const std::string& target, const TargetConfig& config) -> std::unique_ptr<Target> {
      std::string error;
      auto endpoint = parse_http_endpoint(target, error);
      if (!endpoint) throw TargetError("invalid target '" + target + "': " + error + " (use http://HOST:PORT)");
      return connect_calendar_server(*endpoint, config);
    },
    {},
    {},
    /*builds_server=*/false,
});

}  // namespace
}  // namespace cachecheck
