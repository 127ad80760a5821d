// A history as JSON Lines, for histories recorded elsewhere (another tool, a
// converted access log) and for ones too long to hold as one JSON document:
//
//   line 1:  the header: {"users": [...], "initial_items": [...], "visibility": "global",
//            "bound_s": 300, "semantics": {...}}   (every field optional; as in a history)
//   line 2…: one operation each, as in a history's "ops" ({"kind": "view", ...});
//            "index" may be left out (it is then the operation's position).
//
// Blank lines are skipped. The format of each object is the one of model/history.h.
#pragma once

#include <istream>
#include <string>

#include "model/history.h"

namespace cachecheck {

// Throws std::runtime_error "line N: reason" (N counts from 1).
History history_from_jsonl(std::istream& in);
std::string to_jsonl(const History& h);

}  // namespace cachecheck
