// The reference server as a target: `--target http://HOST:PORT` is shorthand for
// the reference server's own target spec (targets/calendar-server.yaml, built into
// the binary at build time) with its base URL set to HOST:PORT. The target is a
// SpecTarget like any other; what this adds is the check of the server before the
// first case, with one-line reasons naming what is missing: GET /healthz (a
// calendar-server at all), GET /__admin/stats (started with --admin), POST
// /__admin/clock {"advance_s": 0} (started with --clock manual; it moves nothing
// and answers the clock, which is now() until the first set_now()).
#pragma once

#include <memory>
#include <string>

#include "spec/target_spec.h"
#include "targets/http_endpoint.h"
#include "targets/spec_target.h"

namespace cachecheck {

// targets/calendar-server.yaml as it was at build time (generated: calendar_server_spec.cpp.in).
const std::string& calendar_server_spec_text();

// The built-in spec with its base URL set to `endpoint`; its name (describe(), errors)
// is the URL. Throws TargetError if the built-in text does not parse (a build mistake).
spec::TargetSpec calendar_server_spec(const HttpEndpoint& endpoint);

// Checks the server as above (TargetError otherwise), then builds and connects the target.
std::unique_ptr<SpecTarget> connect_calendar_server(const HttpEndpoint& endpoint, const TargetConfig& config = {});

}  // namespace cachecheck
