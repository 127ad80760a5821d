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

// What the server's probe counted for a write: its invalidation work.
std::string cache_account(const ProbeCounters& p) {
  std::string out;
  if (p.cache_deletes > 0)
    out += "; server deletes " + std::to_string(p.cache_deletes) + " cache key(s), " +
           std::to_string(p.cache_deletes_present) + " present";
  if (p.cache_incrs > 0) out += "; server increments " + std::to_string(p.cache_incrs) + " version key(s)";
  if (p.cache_sets > 0) out += "; server sets " + std::to_string(p.cache_sets) + " key(s)";
  if (out.empty()) out = "; server touches no cache key";
  return out;
}

std::string answer_text(const Op& op) {
  if (op.outcome == Outcome::indeterminate) return "no usable answer (" + op.error + "): indeterminate";
  std::string out = "the server answers " + std::to_string(op.status);
  if (!op.error.empty()) out += ": " + op.error;
  return out;
}

std::string source_text(const Op& op) {
  switch (op.layer.value_or(Layer::server)) {
    case Layer::client_store: return "FullCalendar shows its in-memory events (no request)";
    case Layer::http_cache: return "the browser's HTTP cache answers; the server is not asked";
    case Layer::store: return "server: cache MISS, read from the store";
    case Layer::server_cache: return "server: cache HIT";
    case Layer::server: break;
  }
  return "the server answers";
}

std::string op_summary(const Op& op, const std::map<std::string, std::string>& t) {
  std::string out;
  bool answered = op.outcome == Outcome::ok;
  switch (op.kind) {
    case OpKind::view: {
      bool shows = answered && (op.status == 200 || op.layer == Layer::client_store || op.layer == Layer::http_cache);
      if (!shows) return answer_text(op);
      out = source_text(op);
      if (op.worker) out += " (worker " + std::to_string(*op.worker) + ")";
      out += " → " + std::to_string(op.shown.size()) + " event(s)";
      if (!op.shown.empty() && op.shown.size() <= 4) {
        out += ":";
        for (auto& e : op.shown) {
          out += ' ';
          out += name_of(t, e.item_id);
        }
      }
      return out;
    }
    case OpKind::click:
      if (!answered) return answer_text(op);
      return op.status == 200 ? "the modal opens" : "the modal answers " + std::to_string(op.status);
    case OpKind::create:
    case OpKind::edit:
    case OpKind::remove:
      if (op.outcome != Outcome::ok) out = answer_text(op);
      else if (op.kind == OpKind::remove) out = "the store deletes " + std::to_string(op.deleted.size()) + " item(s)";
      else out = "the store has it";
      if (op.probe && op.outcome == Outcome::ok) out += cache_account(*op.probe);
      return out;
    case OpKind::fault:
      if (op.fault == "advance") return "the clock reads " + format_instant(op.complete);
      if (op.fault == "flush") return "every entry is gone, version keys too";
      if (op.fault == "route") return "routing changed";
      if (op.affected) return std::to_string(*op.affected) + (op.fault == "evict" ? " of them present" : " evicted");
      return op.fault + " done";
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
    if (!run.steps[i].skipped.empty()) line += " " + run.steps[i].skipped;
    for (std::size_t op_index : run.steps[i].ops) {
      const Op& op = run.history.ops[op_index];
      line += " → " + op_summary(op, t);
      auto [b, e] = by_op.equal_range(op_index);
      for (auto it = b; it != e; ++it) {
        const Violation& v = *it->second;
        bool counts = !counted || counted(v);
        line += std::string(counts ? " ✗ " : " (beside the verdict: ") + name_of(t, v.item_id) + " " + std::string(to_string(v.kind)) +
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
