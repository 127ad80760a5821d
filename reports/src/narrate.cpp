// The narrated reproduction of a failing cell, from its counterexample file:
// one line per saved step, followed by what the target answered (the history
// operation the step made: its layer or note, the events it showed) and, on
// the operation the violation was found in, the violation.
#include "cachecheck_reports/render.h"

#include <cstdlib>
#include <set>

namespace cachecheck::reports::detail {

namespace {

using nlohmann::json;

std::string str(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// A number field, or `fallback` when it is absent or not a number (an
// indeterminate operation's status is null: it got no answer).
template <class T>
T num(const json& j, const char* key, T fallback) {
  return j.contains(key) && j[key].is_number() ? j[key].get<T>() : fallback;
}

class Narrator {
 public:
  explicit Narrator(const Counterexample& c) : c_(c) {
    for (auto& item : c.items)
      if (item.is_object()) titles_[str(item, "id")] = str(item, "title");
    collect_creates(c.steps);
    if (c.violation.is_object() && c.violation.contains("op_index") && c.violation["op_index"].is_number())
      violation_op_ = c.violation["op_index"].get<long long>();
  }

  std::vector<std::string> lines() {
    std::vector<std::string> out;
    for (auto& step : c_.steps) {
      if (!step.is_object()) continue;
      if (str(step, "action") == "concurrent" && step.contains("group")) {
        std::string line = "at the same time:";
        for (auto& g : step["group"]) line += " [" + describe(g) + outcome(g) + "]";
        out.push_back(line);
      } else {
        out.push_back(describe(step) + outcome(step));
      }
    }
    return out;
  }

 private:
  void collect_creates(const json& steps) {
    for (auto& s : steps) {
      if (!s.is_object()) continue;
      if (str(s, "action") == "create") creates_.push_back(s.contains("fields") ? str(s["fields"], "title") : "");
      if (s.contains("group")) collect_creates(s["group"]);
    }
  }

  std::string name(const std::string& item) const {
    if (item.rfind("$created:", 0) == 0) {
      auto n = static_cast<std::size_t>(std::strtoul(item.c_str() + 9, nullptr, 10));
      if (n < creates_.size() && !creates_[n].empty()) return "'" + creates_[n] + "'";
      return "the item created " + item.substr(9);
    }
    if (auto it = titles_.find(item); it != titles_.end() && !it->second.empty()) return "'" + it->second + "'";
    return item.size() > 8 ? item.substr(0, 8) : item;
  }

  static std::string filter(const json& s) {
    std::string f;
    if (!str(s, "type").empty()) f += " type=" + str(s, "type");
    if (!str(s, "status").empty()) f += " status=" + str(s, "status");
    return f.empty() ? std::string(" no filter") : f;
  }

  std::string describe(const json& s) const {
    const std::string action = str(s, "action");
    const std::string who = !str(s, "tab").empty() ? str(s, "tab") : "user " + std::to_string(num<int>(s, "user", 0));
    const std::string item = name(str(s, "item"));
    if (action == "open") {
      const json setup = s.value("setup", json::object());
      return who + " opens the calendar (" + str(setup, "model") + ", " + str(setup, "focus") + ", firstDay " +
             std::to_string(num<int>(setup, "first_day", 1)) + ")," + filter(s);
    }
    if (action == "refresh") return who + " refreshes the page (F5)";
    if (action == "hard-refresh") return who + " hard-refreshes the page (Ctrl+Shift+R)";
    if (action == "navigate") {
      const int delta = num<int>(s, "delta", 0);
      return who + (delta < 0 ? " goes back " : " goes forward ") + std::to_string(std::abs(delta));
    }
    if (action == "filter") return who + " changes the filter to" + filter(s);
    if (action == "look") return who + " looks at the calendar again (no fetch)";
    if (action == "click") return who + " clicks " + item;
    if (action == "create")
      return who + " creates '" + (s.contains("fields") ? str(s["fields"], "title") : std::string("?")) + "'";
    if (action == "edit") return who + " edits " + item + " " + s.value("fields", json::object()).dump();
    if (action == "delete") return who + " deletes " + item;
    if (action == "advance") return trimmed(num<double>(s, "seconds", 0.0), 3) + " s pass";
    if (action == "evict") {
      std::string keys;
      for (auto& k : s.value("keys", json::array())) keys += (keys.empty() ? "" : ", ") + k.get<std::string>();
      return "the cache evicts " + (keys.empty() ? std::string("nothing") : keys);
    }
    if (action == "evict-random") return "the cache evicts " + std::to_string(num<int>(s, "count", 0)) + " random key(s)";
    if (action == "evict-version")
      return s.contains("user") && s["user"].is_number_integer()
                 ? "the cache evicts user " + std::to_string(num<int>(s, "user", 0)) + "'s version key"
                 : std::string("the cache evicts the global version key");
    if (action == "flush") return "the cache restarts (flush)";
    if (action == "route")
      return s.contains("worker") && s["worker"].is_number()
                 ? "requests go to worker " + std::to_string(s["worker"].get<int>())
                 : std::string("requests go round-robin");
    return who + " " + (action.empty() ? std::string("?") : action);
  }

  // The history's kind of operation for a step's action.
  static std::string op_kind(const std::string& action) {
    static const std::set<std::string> views = {"open", "refresh", "hard-refresh", "navigate", "filter", "look"};
    if (views.count(action)) return "view";
    if (action == "click" || action == "create" || action == "edit" || action == "delete") return action;
    return "fault";
  }

  // The first operation not yet told that this step made: same kind, same tab
  // (views, clicks) or user (writes).
  const json* take_op(const json& s) {
    const std::string kind = op_kind(str(s, "action"));
    const std::string tab = str(s, "tab");
    const int user = num<int>(s, "user", 0);
    for (std::size_t i = 0; i < c_.ops.size(); ++i) {
      const json& op = c_.ops[i];
      if (used_.count(i) || !op.is_object() || str(op, "kind") != kind) continue;
      if ((kind == "view" || kind == "click") && str(op, "tab") != tab) continue;
      if ((kind == "create" || kind == "edit" || kind == "delete") && num<int>(op, "user", 0) != user) continue;
      used_.insert(i);
      return &op;
    }
    return nullptr;
  }

  std::string outcome(const json& s) {
    const json* op = take_op(s);
    if (!op) return "";
    std::string out;
    if (!str(*op, "note").empty()) out += " → " + str(*op, "note");
    else if (!str(*op, "layer").empty()) out += " → answered from " + str(*op, "layer");
    const int status = num<int>(*op, "status", 0);
    if (status >= 400) out += " (HTTP " + std::to_string(status) + ")";
    if (str(*op, "outcome") == "indeterminate") out += " (no usable answer: indeterminate)";
    if (op->contains("shown") && (*op)["shown"].is_array()) {
      auto& shown = (*op)["shown"];
      out += " → " + std::to_string(shown.size()) + " event(s)";
      std::size_t listed = 0;
      for (auto& e : shown) {
        if (listed++ == 6) {
          out += " …";
          break;
        }
        out += (listed == 1 ? ": '" : " '") + str(e, "title") + "'";
      }
    }
    if (violation_op_ >= 0 && num<long long>(*op, "index", -1LL) == violation_op_) {
      const json& v = c_.violation;
      out += " ✗ " + str(v, "kind") + " of " + name(str(v, "item")) + " on " + str(v, "layer") + ", " +
             fixed(num<double>(v, "staleness_s", 0.0), 3) + " s stale";
      if (!str(v, "detail").empty()) out += " (" + str(v, "detail") + ")";
    }
    return out;
  }

  const Counterexample& c_;
  std::map<std::string, std::string> titles_;
  std::vector<std::string> creates_;
  std::set<std::size_t> used_;
  long long violation_op_ = -1;
};

// "3. alice-1 …" → "alice-1 …" (the run's own timeline numbers its lines).
std::string unnumbered(const std::string& line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
  if (i > 0 && line.compare(i, 2, ". ") == 0) return line.substr(i + 2);
  return line;
}

}  // namespace

std::vector<std::string> narrate(const Counterexample& c) { return Narrator(c).lines(); }

std::vector<std::string> reproduction(const Documents& d, const Cell& c) {
  if (auto it = d.counterexamples.find(cell_key(c.strategy, c.scenario)); it != d.counterexamples.end())
    return narrate(it->second);
  std::vector<std::string> out;
  for (auto& line : c.timeline) out.push_back(unnumbered(line));
  return out;
}

}  // namespace cachecheck::reports::detail
