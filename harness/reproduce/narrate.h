// Tells a run as a timeline, one line per step, in the spirit of the seed's
// flow diagrams: "alice-1 deletes 00000000 → the store deletes 1 item(s);
// server deletes 100 cache key(s), 0 present → … → cache HIT → 'Item 1' shown:
// stale-visible, 0.001 s after the delete".
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/oracle.h"
#include "run/runner.h"
#include "generate/script.h"

namespace cachecheck {

std::vector<std::string> narrate(const Script& script, const RunOutput& run, const Verdict& verdict,
                                 const std::function<bool(const Violation&)>& counted);

}  // namespace cachecheck
