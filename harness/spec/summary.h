// What a target spec says, in a few lines for people (`cachecheck spec check`):
// where, who, how the feed is asked for and read, the writes, the semantics.
#pragma once

#include <string>
#include <vector>

#include "spec/target_spec.h"

namespace cachecheck::spec {

// "  where      http://127.0.0.1:5000 (1 process)", … (each line without a newline).
std::vector<std::string> summary(const TargetSpec& s);

}  // namespace cachecheck::spec
