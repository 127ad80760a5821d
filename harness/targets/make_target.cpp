// make_target (declared in target.h): "in-process" or "http://HOST:PORT".
#include <memory>

#include "targets/http_target.h"
#include "targets/in_process/in_process_target.h"
#include "targets/target.h"

namespace cachecheck {

std::unique_ptr<Target> make_target(const std::string& spec, const TargetConfig& config) {
  if (spec == "in-process") return std::make_unique<InProcessTarget>(config);
  if (spec.rfind("http://", 0) == 0) {
    std::string error;
    auto endpoint = parse_http_endpoint(spec, error);
    if (!endpoint) throw TargetError("invalid target '" + spec + "': " + error + " (use http://HOST:PORT)");
    auto target = std::make_unique<HttpTarget>(*endpoint, config);
    target->check();  // reachable, --admin, --clock manual
    return target;
  }
  throw TargetError("unknown target '" + spec + "': use in-process or http://HOST:PORT");
}

}  // namespace cachecheck
