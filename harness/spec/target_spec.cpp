#include "spec/target_spec.h"

#include <algorithm>

namespace cachecheck::spec {

bool RequestSpec::succeeded(int status) const {
  if (success.empty()) return status >= 200 && status < 300;
  return std::find(success.begin(), success.end(), status) != success.end();
}

}  // namespace cachecheck::spec
