// The feed response's HTTP headers (caching per `--http-cache`, Date, and the
// X-Cache / X-Worker diagnostics), shared by the HTTP server and the harness's
// in-process target so that both present the same response to a browser model.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "calendar/app.h"
#include "calendar/http_cache_policy.h"

namespace calendar {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

HeaderList feed_response_headers(const HttpCachePolicy& policy, const AppResponse& response, TimeMs now,
                                 std::optional<std::size_t> worker);

}  // namespace calendar
