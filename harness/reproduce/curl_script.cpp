// A run's requests as a bash script of curl calls, with the oracle's checks (see curl_script.h).
#include "reproduce/curl_script.h"

#include <map>
#include <set>
#include <sstream>

#include "browser/query_string.h"
#include "model/item_json.h"

namespace cachecheck {
namespace {

using nlohmann::json;

// A single-quoted shell word.
std::string sq(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

// Text safe inside a one-line comment.
std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

std::string var_suffix(UserId u) {
  std::string s = std::to_string(u);
  for (char& c : s)
    if (c == '-') c = 'm';
  return s;
}
std::string jar(UserId u) { return "\"$JAR/u" + var_suffix(u) + "\""; }
std::string csrf(UserId u) { return "\"X-CSRFToken: ${CSRF_" + var_suffix(u) + ":-}\""; }

constexpr const char* kPrelude = R"SH(set -uo pipefail
BASE=${BASE:-http://127.0.0.1:8080}
JAR=$(mktemp -d)
trap 'rm -rf "$JAR"' EXIT
FOUND=0

# One request: prints "<body>\n<status>"; exit 2 when the server cannot be reached.
req() { curl -sS --max-time 10 -w '\n%{http_code}' "$@" || { echo "cannot reach $BASE" >&2; exit 2; }; }
# A setup request that must succeed.
must() { curl -sS -f --max-time 10 -o /dev/null "$@" || { echo "setup refused by $BASE: $*" >&2; exit 2; }; }
# "<body>\n<status>" -> $BODY and $STATUS
answer() { BODY=${1%$'\n'*}; STATUS=${1##*$'\n'}; }
# The event object with id $2 in the feed answer $1 (empty when absent).
event_of() { sed 's/": */":/g' <<<"$1" | grep -o '{[^{}]*}' | grep -F -- "\"id\":\"$2\"" || true; }
# The event with id $2 is in $1 and carries every field fragment $3...
event_has() {
  local e; e=$(event_of "$1" "$2"); [ -n "$e" ] || return 1; shift 2
  local f; for f in "$@"; do grep -qF -- "$f" <<<"$e" || return 1; done
}
# Reports a reproduced violation: kind, item, user.
found() { echo "violation: $1 of $2 for user $3"; FOUND=$((FOUND + 1)); }
# The id of a created item in the answer $1 (empty when there is none).
created_id() { sed 's/": */":/g' <<<"$1" | grep -o '"id":"[^"]*"' | head -n1 | sed 's/"id":"\(.*\)"/\1/'; }
)SH";

class Writer {
 public:
  Writer(const Script& script, const RunOutput& run, const Verdict& verdict,
         const std::function<bool(const Violation&)>& counted)
      : script_(script), run_(run), counted_(counted) {
    for (const auto& v : verdict.violations)
      if (!counted_ || counted_(v)) by_op_.emplace(v.op_index, &v);
  }

  std::string write(const std::string& title) {
    header(title);
    setup();
    for (std::size_t i = 0; i < script_.steps.size() && i < run_.steps.size(); ++i) step(i);
    out_ << "\n# --- end\n"
            "if [ \"$FOUND\" -eq 0 ]; then echo \"no violation\"; exit 0; fi\n"
            "echo \"summary: $FOUND violation(s)\"\n"
            "exit 1\n";
    return out_.str();
  }

 private:
  void header(const std::string& title) {
    out_ << "#!/usr/bin/env bash\n";
    std::istringstream lines(title.empty() ? std::string("cachecheck replay") : title);
    for (std::string line; std::getline(lines, line);) out_ << "# " << one_line(line) << "\n";
    out_ << "#\n"
            "# The recorded run's requests, against a calendar-server on $BASE started with\n"
            "#   calendar-server --admin --clock manual [--strategy ... and the other flags of the run]\n"
            "# Each feed answer is checked as cachecheck's oracle judged the recorded one; a check\n"
            "# that holds prints \"violation: <kind> of <item> for user <u>\". Ends with \"no violation\"\n"
            "# (exit 0) or \"summary: N violation(s)\" (exit 1); exit 2 when $BASE is unreachable.\n"
            "# curl keeps no HTTP cache and no FullCalendar memory: reads the run answered from\n"
            "# those are comments here. Needs bash, curl, awk, sed, grep and mktemp.\n"
         << kPrelude;
  }

  void setup() {
    const Fixture& s = script_.setup;
    out_ << "\n# --- setup: " << s.users.size() << " user(s), " << s.items.size() << " item(s), visibility "
         << to_string(s.visibility) << ", clock " << format_instant(s.start_time) << "\n";
    out_ << "must -X POST \"$BASE/__admin/reset\" -H 'Content-Type: application/json' --data-binary @- <<'JSON'\n"
         << reset_json(s.users, s.items, s.visibility).dump() << "\nJSON\n";
    out_ << "must -X POST \"$BASE/__admin/clock\" -H 'Content-Type: application/json' -d "
         << sq(json{{"now", format_instant(s.start_time)}}.dump()) << "\n";
    std::set<UserId> known;
    for (const auto& u : s.users) {
      known.insert(u.id);
      std::string v = var_suffix(u.id);
      out_ << "# log in as " << one_line(u.username) << " (user " << u.id << "); cookie jar $JAR/u" << v << "\n";
      out_ << "must -c " << jar(u.id) << " -X POST \"$BASE/accounts/login/\" -H 'Content-Type: application/json' -d "
           << sq(json{{"username", u.username}, {"password", u.password}}.dump()) << "\n";
      out_ << "CSRF_" << v << "=$(awk '$6 == \"csrftoken\" { print $7 }' " << jar(u.id) << ")\n";
    }
    for (const auto& op : run_.history.ops)
      if (op.user && known.insert(op.user).second)
        out_ << "# user " << op.user << " is not in the setup: its requests carry no session\n";
  }

  // An item id as a shell word: a created item's captured id, else the id itself.
  std::string id_word(const std::string& id) const {
    auto it = created_var_.find(id);
    return it == created_var_.end() ? sq(id) : "\"${" + it->second + ":-unknown}\"";
  }
  std::string item_url(const std::string& id, const std::string& suffix) const {
    if (!created_var_.count(id))
      return "\"$BASE\"" + sq("/oobc-management/work-items/" + percent_encode_segment(id) + "/" + suffix);
    return "\"$BASE\"'/oobc-management/work-items/'" + id_word(id) + sq("/" + suffix);
  }
  std::string event_id(const std::string& id) const {
    return created_var_.count(id) ? "'work-item-'" + id_word(id) : sq("work-item-" + id);
  }

  // The curl call of `op` ("" when it makes none) and the lines that handle its answer.
  struct Request {
    std::string curl;
    std::vector<std::string> post;
  };

  std::optional<Request> plan(const Op& op, std::vector<std::string>& comments) {
    auto note = [&](const std::string& text) { comments.push_back("#   " + one_line(text)); };
    const std::string who = op.tab.empty() ? "user " + std::to_string(op.user) : op.tab;
    const std::string base = "req -b " + jar(op.user);
    Request r;
    switch (op.kind) {
      case OpKind::view: {
        if (!op.request.contains("query_string")) {
          note(who + ": FullCalendar shows its in-memory events; no request");
          return std::nullopt;
        }
        if (op.layer == Layer::http_cache) note("the run's browser answered this from its HTTP cache; curl asks the server");
        std::string qs = op.request["query_string"].get<std::string>();
        r.curl = base + " \"$BASE\"" + sq("/oobc-management/calendar/feed/?" + qs);
        r.post.push_back("echo " + sq("[" + who + "] feed " + qs + ": HTTP ") + "\"$STATUS $BODY\"");
        auto checks = view_checks(op);
        if (!checks.empty()) {
          r.post.push_back("if [ \"$STATUS\" = 200 ]; then");
          for (auto& c : checks) r.post.push_back("  " + c);
          r.post.push_back("fi");
        }
        return r;
      }
      case OpKind::click: {
        r.curl = base + " " + item_url(op.item_id, "modal/");
        r.post.push_back("echo " + sq("[" + who + "] modal: HTTP ") + "\"$STATUS\"");
        auto [b, e] = by_op_.equal_range(op.index);
        for (auto it = b; it != e; ++it)
          if (it->second->kind == ViolationKind::dangling)
            r.post.push_back("if [ \"$STATUS\" = 404 ]; then found dangling " + id_word(op.item_id) + " " +
                             std::to_string(op.user) + "; fi");
        return r;
      }
      case OpKind::create: {
        r.curl = base + " -H " + csrf(op.user) + " -H 'Content-Type: application/json' -X POST --data-binary " +
                 sq(op.request.dump()) + " \"$BASE/oobc-management/work-items/\"";
        r.post.push_back("echo " + sq("[" + who + "] create: HTTP ") + "\"$STATUS $BODY\"");
        if (op.written) {
          std::string var = "C" + std::to_string(++creates_);
          created_var_[op.written->id] = var;
          r.post.push_back(var + "=$(created_id \"$BODY\")");
          note("its id is kept in $" + var + " (the recorded run got " + op.written->id + ")");
        }
        return r;
      }
      case OpKind::edit:
        r.curl = base + " -H " + csrf(op.user) + " -H 'Content-Type: application/json' -X PATCH --data-binary " +
                 sq(op.request.dump()) + " " + item_url(op.item_id, "");
        r.post.push_back("echo " + sq("[" + who + "] edit: HTTP ") + "\"$STATUS $BODY\"");
        return r;
      case OpKind::remove:
        r.curl = base + " -H " + csrf(op.user) + " -X DELETE " + item_url(op.item_id, "delete/");
        r.post.push_back("echo " + sq("[" + who + "] delete: HTTP ") + "\"$STATUS $BODY\"");
        return r;
      case OpKind::fault:
        return fault(op, note);
    }
    return std::nullopt;
  }

  template <typename Note>
  std::optional<Request> fault(const Op& op, Note& note) {
    auto admin = [](const std::string& path, const json& body, const std::string& what) {
      Request r;
      r.curl = "req -X POST \"$BASE" + path + "\" -H 'Content-Type: application/json' -d " + sq(body.dump());
      r.post.push_back("echo " + sq("[admin] " + what + ": HTTP ") + "\"$STATUS $BODY\"");
      return r;
    };
    const json& p = op.request;
    if (op.fault == "advance") return admin("/__admin/clock", {{"advance_s", p.value("advance_s", 0.0)}}, "clock");
    if (op.fault == "evict") return admin("/__admin/cache/evict", {{"keys", p.value("keys", json::array())}}, "evict");
    if (op.fault == "evict-version") {
      // The reference server's invalidation metadata: its version counters.
      std::string key = p.contains("user") && p["user"].is_number_integer()
                            ? "calendar_version:" + std::to_string(p["user"].get<long long>())
                            : std::string("calendar_version:global");
      return admin("/__admin/cache/evict", {{"keys", {key}}}, "evict " + key);
    }
    if (op.fault == "evict-random") {
      note("the server picks the keys at random: not necessarily those of the recorded run");
      return admin("/__admin/cache/evict", {{"random", p.value("count", 0)}}, "evict");
    }
    if (op.fault == "flush") return admin("/__admin/cache/flush", json::object(), "flush");
    if (op.fault == "route")
      return admin("/__admin/route", {{"worker", p.contains("worker") ? p["worker"] : json(nullptr)}}, "route");
    note("fault '" + op.fault + "' has no admin call");
    return std::nullopt;
  }

  // The checks of a feed answer in $BODY: deletes completed before the read, and
  // each counted violation the oracle found at this read.
  std::vector<std::string> view_checks(const Op& view) const {
    std::vector<std::string> lines;
    std::set<std::pair<ViolationKind, std::string>> done;
    const std::string user = std::to_string(view.user);
    Violation probe_kind{ViolationKind::stale_visible, "", view.user, view.tab, Layer::server_cache, 0, view.index, ""};
    bool stale_counts = !counted_ || counted_(probe_kind);
    for (const auto& w : run_.history.ops) {
      if (w.kind != OpKind::remove || w.outcome != Outcome::ok || w.complete >= view.invoke) continue;
      if (!stale_counts) break;
      std::vector<std::string> ids = w.deleted.empty() ? std::vector<std::string>{w.item_id} : w.deleted;
      for (const auto& id : ids)
        if (done.insert({ViolationKind::stale_visible, id}).second)
          lines.push_back("if [ -n \"$(event_of \"$BODY\" " + event_id(id) + ")\" ]; then found stale-visible " +
                          id_word(id) + " " + user + "; fi");
    }
    auto [b, e] = by_op_.equal_range(view.index);
    for (auto it = b; it != e; ++it) {
      const Violation& v = *it->second;
      if (!done.insert({v.kind, v.item_id}).second) continue;
      std::string kind(to_string(v.kind));
      std::string tail = "; then found " + kind + " " + id_word(v.item_id) + " " + user + "; fi";
      switch (v.kind) {
        case ViolationKind::stale_visible:
        case ViolationKind::filter_violation:
        case ViolationKind::range_violation:
          lines.push_back("if [ -n \"$(event_of \"$BODY\" " + event_id(v.item_id) + ")\" ]" + tail);
          break;
        case ViolationKind::missing:
          lines.push_back("if [ -z \"$(event_of \"$BODY\" " + event_id(v.item_id) + ")\" ]" + tail);
          break;
        case ViolationKind::stale_content:
          for (const auto& shown : view.shown)
            if (shown.item_id == v.item_id)
              lines.push_back("if event_has \"$BODY\" " + event_id(v.item_id) + " " +
                              sq("\"title\":" + json(shown.title).dump()) + " " +
                              sq("\"start\":\"" + shown.start.iso() + "\"") + " " +
                              sq("\"end\":\"" + shown.end.iso() + "\"") + " " +
                              sq("\"status\":\"" + shown.status + "\"") + tail);
          break;
        case ViolationKind::dangling:
        case ViolationKind::bound_exceeded:
          break;  // dangling: on the click; bound-exceeded: staleness is not measurable from one answer
      }
    }
    return lines;
  }

  void step(std::size_t i) {
    const Step& s = script_.steps[i];
    const auto& record = run_.steps[i];
    out_ << "\n# step " << i + 1 << ": " << one_line(describe(s)) << "\n";
    if (!record.skipped.empty()) out_ << "#   " << one_line(record.skipped) << "\n";
    bool together = std::holds_alternative<Concurrent>(s) && record.ops.size() > 1;
    if (!together) {
      for (std::size_t index : record.ops) {
        std::vector<std::string> comments;
        auto req = plan(run_.history.ops[index], comments);
        for (auto& c : comments) out_ << c << "\n";
        if (!req) continue;
        out_ << "OUT=$(" << req->curl << ") || exit 2\nanswer \"$OUT\"\n";
        for (auto& line : req->post) out_ << line << "\n";
      }
      return;
    }
    out_ << "#   the requests start together (in the background); each answer is handled after `wait`\n";
    std::vector<std::pair<std::string, Request>> started;
    for (std::size_t index : record.ops) {
      std::vector<std::string> comments;
      auto req = plan(run_.history.ops[index], comments);
      for (auto& c : comments) out_ << c << "\n";
      if (!req) continue;
      std::string id = std::to_string(i + 1) + "_" + std::to_string(started.size() + 1);
      out_ << req->curl << " > \"$JAR/s" << id << "\" &\nP" << id << "=$!\n";
      started.emplace_back(id, std::move(*req));
    }
    for (auto& [id, req] : started) out_ << "wait \"$P" << id << "\" || exit 2\n";
    for (auto& [id, req] : started) {
      out_ << "answer \"$(<\"$JAR/s" << id << "\")\"\n";
      for (auto& line : req.post) out_ << line << "\n";
    }
  }

  const Script& script_;
  const RunOutput& run_;
  std::function<bool(const Violation&)> counted_;
  std::multimap<std::size_t, const Violation*> by_op_;
  std::map<std::string, std::string> created_var_;
  int creates_ = 0;
  std::ostringstream out_;
};

}  // namespace

std::string curl_script(const Script& script, const RunOutput& run, const Verdict& verdict,
                        const std::function<bool(const Violation&)>& counted, const std::string& title) {
  return Writer(script, run, verdict, counted).write(title);
}

}  // namespace cachecheck
