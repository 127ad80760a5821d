#include "reproduce/narrate.h"

#include <cstdio>
#include <map>

namespace cachecheck {
namespace {

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, s < 10 ? "%.3f s" : "%.0f s", s);
  return buf;
}

std::map<std::string, std::string> titles(const History& h) {
  std::map<std::string, std::string> t;
  for (auto& item : h.initial_items) t[item.id] = item.title;
  for (auto& op : h.ops)
    if (op.written) t.emplace(op.written->id, op.written->title);
  return t;
}

std::string name_of(const std::map<std::string, std::string>& t, const std::string& id) {
  auto it = t.find(id);
  return it == t.end() ? id.substr(0, 8) : "'" + it->second + "'";
}

std::string op_summary(const Op& op, const std::map<std::string, std::string>& t) {
  std::string out = op.note;
  if (op.kind == OpKind::view && (op.status == 200 || op.layer == Layer::client_store || op.layer == Layer::http_cache)) {
    out += " → ";
    out += std::to_string(op.shown.size());
    out += " event(s)";
    if (!op.shown.empty() && op.shown.size() <= 4) {
      out += ":";
      for (auto& e : op.shown) {
        out += ' ';
        out += name_of(t, e.item_id);
      }
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> narrate(const Script& script, const RunOutput& run, const Verdict& verdict,
                                 const std::function<bool(const Violation&)>& counted) {
  auto t = titles(run.history);
  std::multimap<std::size_t, const Violation*> by_op;
  for (auto& v : verdict.violations) by_op.emplace(v.op_index, &v);
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < script.steps.size() && i < run.steps.size(); ++i) {
    const Step& step = script.steps[i];
    std::string line = describe(step, [&](const std::string& ref) {
      if (ref.rfind("$created:", 0) == 0) return ref;
      return name_of(t, ref);
    });
    if (!run.steps[i].note.empty()) line += " " + run.steps[i].note;
    for (std::size_t op_index : run.steps[i].ops) {
      const Op& op = run.history.ops[op_index];
      line += " → " + op_summary(op, t);
      auto [b, e] = by_op.equal_range(op_index);
      for (auto it = b; it != e; ++it) {
        const Violation& v = *it->second;
        bool counts = !counted || counted(v);
        line += std::string(counts ? " ✗ " : " (beside the verdict: ") + name_of(t, v.item_id) + " " + v.kind +
                " on " + std::string(to_string(v.layer)) + ", " + seconds(v.staleness_s) + " stale" +
                (counts ? "" : ")");
      }
    }
    if (!run.steps[i].interleaving.empty()) {
      line += " [interleaving:";
      for (auto& s : run.steps[i].interleaving) line += " " + s + ";";
      line += "]";
    }
    lines.push_back(std::to_string(i + 1) + ". " + line);
  }
  return lines;
}

}  // namespace cachecheck
