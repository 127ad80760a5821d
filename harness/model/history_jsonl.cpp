#include "model/history_jsonl.h"

#include <stdexcept>

namespace cachecheck {

using nlohmann::json;

History history_from_jsonl(std::istream& in) {
  History h;
  bool have_header = false;
  std::size_t line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json j = json::parse(line, nullptr, false);
    const std::string where = "line " + std::to_string(line_no) + ": ";
    if (j.is_discarded()) throw std::runtime_error(where + "not valid JSON");
    if (!j.is_object()) throw std::runtime_error(where + "expected a JSON object, got a " + std::string(j.type_name()));
    try {
      if (!have_header) {
        if (j.contains("kind") || j.contains("ops"))
          throw std::runtime_error("the first line is the header (users, initial_items, visibility, bound_s, "
                                   "semantics), not an operation or a whole history (use --format json for that)");
        j["ops"] = json::array();
        h = history_from_json(j);
        have_header = true;
        continue;
      }
      h.ops.push_back(op_from_json(j, h.ops.size()));
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(where + e.what());
    }
  }
  if (in.bad()) throw std::runtime_error("read error after line " + std::to_string(line_no));
  if (!have_header) throw std::runtime_error("empty: the first line must be the header");
  return h;
}

std::string to_jsonl(const History& h) {
  json header = to_json(h);
  header.erase("ops");
  std::string out = header.dump() + "\n";
  for (const auto& op : h.ops) out += to_json(op).dump() + "\n";
  return out;
}

}  // namespace cachecheck
