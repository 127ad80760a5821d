// A spec target's counterexample as a bash script of the spec's own requests (see spec_curl_script.h).
#include "reproduce/spec_curl_script.h"

#include <map>
#include <set>
#include <sstream>

#include "model/item_json.h"
#include "spec/requests.h"

namespace cachecheck {
namespace {

using nlohmann::json;
using spec::Vars;

constexpr const char* kTag = "[cc-curl] ";
constexpr const char* kMark = "__CCV_";  // "__CCV_NAME__" in a rendered request: the shell variable NAME

std::string sq(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

std::string mark(const std::string& var) { return kMark + var + "__"; }

// A rendered text as one shell word: its marks become "${VAR:-}", the rest is quoted.
std::string word(const std::string& s) {
  std::string out;
  std::size_t at = 0;
  while (at <= s.size()) {
    std::size_t m = s.find(kMark, at);
    std::size_t end = m == std::string::npos ? std::string::npos : s.find("__", m + 6);
    if (m == std::string::npos || end == std::string::npos) {
      if (at < s.size() || out.empty()) out += sq(s.substr(at));
      break;
    }
    if (m > at) out += sq(s.substr(at, m - at));
    out += "\"${" + s.substr(m + 6, end - m - 6) + ":-}\"";
    at = end + 2;
  }
  return out;
}

// The last key of a JSON pointer ("/task/id" → "id"; "" → "").
std::string last_key(const std::string& pointer) {
  auto slash = pointer.rfind('/');
  return slash == std::string::npos ? pointer : pointer.substr(slash + 1);
}

// "200|201": the statuses a request accepts, for `ok`.
std::string statuses(const spec::RequestSpec& rs) {
  if (rs.success.empty()) return "2xx";
  std::string out;
  for (int s : rs.success) {
    if (!out.empty()) out += ' ';
    out += std::to_string(s);
  }
  return out;
}

constexpr const char* kPrelude = R"SH(set -uo pipefail
JAR=$(mktemp -d)
trap 'rm -rf "$JAR"' EXIT
FOUND=0

# One request: prints "<body>\n<status>"; exit 2 when the application cannot be reached.
req() { curl -sS --max-time 10 -w '\n%{http_code}' "$@" || { echo "cannot reach $BASE" >&2; exit 2; }; }
# "<body>\n<status>" -> $BODY and $STATUS
answer() { BODY=${1%$'\n'*}; STATUS=${1##*$'\n'}; }
# Is status $1 one of the accepted ones in $2 ("2xx" or a list)?
ok() { if [ "$2" = 2xx ]; then [ "${1:0:1}" = 2 ]; else case " $2 " in *" $1 "*) return 0 ;; *) return 1 ;; esac; fi; }
# A setup step that must succeed: $1 what, $2 accepted statuses (after `answer`).
must() { ok "$STATUS" "$2" || { echo "setup refused by $BASE: $1: HTTP $STATUS $BODY" >&2; exit 2; }; }
# The first value of key $2 in the JSON text $1 (a string or a number; empty when absent).
json_field() {
  local j; j=$(sed 's/": */":/g' <<<"$1")
  local v; v=$(grep -o "\"$2\":\"[^\"]*\"" <<<"$j" | head -n1 | sed 's/^"[^"]*":"\(.*\)"$/\1/')
  [ -n "$v" ] || v=$(grep -o "\"$2\":-\?[0-9][0-9]*" <<<"$j" | head -n1 | sed 's/^"[^"]*"://')
  printf '%s' "$v"
}
# A header's value in the dump $1 (name $2, any case).
header_of() { grep -i "^$2:" "$1" | head -n1 | sed 's/^[^:]*: *//' | tr -d '\r'; }
# The event object whose key $2 is $3 (a string or a number) in the feed answer $1 (empty when absent).
event_of() {
  sed 's/": */":/g' <<<"$1" | grep -o '{[^{}]*}' | grep -F -e "\"$2\":\"$3\"" -e "\"$2\":$3," -e "\"$2\":$3}" || true
}
# The event ($2 key, $3 id) is in $1 and carries every fragment $4...
event_has() {
  local e; e=$(event_of "$1" "$2" "$3"); [ -n "$e" ] || return 1; shift 3
  local f; for f in "$@"; do grep -qF -- "$f" <<<"$e" || return 1; done
}
# Reports a reproduced violation: kind, item, user.
found() { echo "violation: $1 of $2 for user $3"; FOUND=$((FOUND + 1)); }
)SH";

class Writer {
 public:
  Writer(const spec::TargetSpec& spec, const Script& script, const RunOutput& run, const Verdict& verdict,
         const std::function<bool(const Violation&)>& counted)
      : spec_(spec), script_(script), run_(run), counted_(counted), namespaced_(!spec.hooks.reset) {
    for (const auto& v : verdict.violations)
      if (!counted_ || counted_(v)) by_op_.emplace(v.op_index, &v);
    for (std::size_t i = 0; i < script.setup.users.size() && i < spec.users.size(); ++i)
      user_index_[script.setup.users[i].id] = i;
    clock_ = script.setup.start_time;
  }

  std::string write(const std::string& title) {
    header(title);
    setup();
    for (std::size_t i = 0; i < script_.steps.size() && i < run_.steps.size(); ++i) step(i);
    out_ << "\n# --- end\n";
    if (namespaced_ && !cleanup_.empty()) {
      out_ << "# delete what this script created (children first; a 404 or 410 is fine)\n";
      for (auto it = cleanup_.rbegin(); it != cleanup_.rend(); ++it) out_ << *it << "\n";
    }
    out_ << "if [ \"$FOUND\" -eq 0 ]; then echo \"no violation\"; exit 0; fi\n"
            "echo \"summary: $FOUND violation(s)\"\n"
            "exit 1\n";
    return out_.str();
  }

 private:
  // ---- names ---------------------------------------------------------------------
  json app_user(UserId u) const {
    auto it = user_index_.find(u);
    return it == user_index_.end() ? json(u) : spec_.users[it->second].app_id;
  }
  std::string user_var(UserId u) const { return std::to_string(user_index_.count(u) ? user_index_.at(u) + 1 : 0); }
  // An item id as the application knows it: a shell variable's mark, or the id itself.
  std::string item_ref(const std::string& id) const {
    auto it = id_var_.find(id);
    return it == id_var_.end() ? id : mark(it->second);
  }
  std::string jar(UserId u) const { return "\"$JAR/u" + user_var(u) + "\""; }

  Vars user_vars(UserId u, Vars vars) const {
    if (auto it = user_index_.find(u); it != user_index_.end()) {
      vars.emplace("user_id", spec_.users[it->second].app_id);
      vars.emplace("username", spec_.users[it->second].username);
    }
    return vars;
  }

  // ---- requests ------------------------------------------------------------------
  std::string curl(const HttpRequest& h, const std::string& auth) const {
    std::string out = "req" + auth;
    if (h.method != "GET") out += " -X " + h.method;
    if (!h.content_type.empty()) out += " -H " + sq("Content-Type: " + h.content_type);
    for (auto& [k, v] : h.headers) out += " -H " + word(k + ": " + v);
    if (!h.body.empty()) out += " --data-binary " + word(h.body);
    return out + " \"$BASE\"" + word(h.target);
  }

  // A request as `user`: their cookie jar, their token, their CSRF token on unsafe methods.
  std::string as_user(UserId u, const spec::RequestSpec& rs, const Vars& vars, const std::string& query = "") const {
    HttpRequest h = spec::build_request(rs, user_vars(u, vars), query);
    const spec::Login& l = spec_.login;
    std::string v = user_var(u);
    if (l.session == spec::SessionKind::token)
      h.headers.emplace_back(l.send_header,
                             spec::render_text(l.send_value.value.get<std::string>(), {{"token", mark("TOKEN" + v)}}));
    if (l.csrf && h.method != "GET" && h.method != "HEAD") h.headers.emplace_back(l.csrf_header, mark("CSRF" + v));
    std::string auth = " -b " + jar(u) + " -c " + jar(u);
    return curl(h, auth);
  }

  std::string hook(const spec::Hook& h, const Vars& vars, const std::string& what) const {
    if (h.request) return curl(spec::build_request(*h.request, vars), "");
    std::string env;
    for (auto& [k, val] : vars) {
      std::string key = "CACHECHECK_" + k;
      for (char& c : key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      env += key + "=" + word(val.is_structured() ? val.dump() : spec::text_of(val)) + " ";
    }
    return "{ CACHECHECK_BASE_URL=\"$BASE\" " + env + "sh -c " + sq(h.command) + " && printf '\\n200' || printf '\\n500'; }  # " +
           what;
  }

  void emit(const std::string& curl_line, const std::vector<std::string>& post) {
    out_ << "OUT=$(" << curl_line << ") || exit 2\nanswer \"$OUT\"\n";
    for (auto& line : post) out_ << line << "\n";
  }

  // ---- setup ---------------------------------------------------------------------
  void header(const std::string& title) {
    out_ << "#!/usr/bin/env bash\n";
    std::istringstream lines(title.empty() ? std::string("cachecheck replay") : title);
    for (std::string line; std::getline(lines, line);) out_ << "# " << one_line(line) << "\n";
    out_ << "#\n# The recorded run's requests against " << one_line(spec_.name)
         << ", as its target spec describes them\n# (" << one_line(spec_.file) << "), on $BASE.\n"
         << "# Each feed answer is checked as cachecheck's oracle judged the recorded one; a check\n"
            "# that holds prints \"violation: <kind> of <item> for user <u>\". Ends with \"no violation\"\n"
            "# (exit 0) or \"summary: N violation(s)\" (exit 1); exit 2 when $BASE is unreachable or\n"
            "# refuses the setup. A race may need a few runs to show again.\n"
            "# Needs bash, curl, awk, sed, grep and mktemp.\n"
         << "BASE=${BASE:-" << spec_.base_urls.front() << "}\n"
         << kPrelude;
  }

  void setup() {
    const Fixture& f = script_.setup;
    out_ << "\n# --- setup: " << f.users.size() << " user(s), " << f.items.size() << " item(s)\n";
    if (const auto& reset = spec_.hooks.reset) {
      json users = json::array(), items = json::array();
      for (const auto& u : f.users)
        if (auto it = user_index_.find(u.id); it != user_index_.end()) {
          const auto& su = spec_.users[it->second];
          users.push_back({{"id", su.app_id}, {"username", su.username}, {"password", su.password}});
        }
      for (const auto& item : f.items) {
        json j = to_json(item);
        j["owner_id"] = app_user(item.owner_id);
        j["assignee_ids"] = json::array();
        for (UserId a : item.assignee_ids) j["assignee_ids"].push_back(app_user(a));
        items.push_back(std::move(j));
      }
      std::string visibility(to_string(spec_.visibility.value_or(f.visibility)));
      json doc{{"users", users}, {"items", items}, {"visibility", visibility}};
      emit(hook(*reset, {{"reset", doc}, {"users", users}, {"items", items}, {"visibility", visibility},
                         {"now", format_instant(f.start_time)}},
                "reset"),
           {"must reset " + sq(reset->request ? statuses(*reset->request) : "200")});
    }
    if (spec_.hooks.clock) set_clock(f.start_time, 0);
    for (const auto& u : f.users) login(u.id);
    if (namespaced_ && spec_.hooks.flush) {  // as the run did: no answer cached before the case
      const auto& h = *spec_.hooks.flush;
      emit(hook(h, {}, "flush"), {"must flush " + sq(h.request ? statuses(*h.request) : "200")});
    }
    if (namespaced_) build_fixture(f);
  }

  void set_clock(TimeMs t, double advance_s) {
    const auto& h = *spec_.hooks.clock;
    emit(hook(h, {{"now", format_instant(t)}, {"advance_s", advance_s}}, "clock"),
         {"must clock " + sq(h.request ? statuses(*h.request) : "200")});
    clock_ = t;
  }

  void login(UserId u) {
    auto it = user_index_.find(u);
    if (it == user_index_.end()) {
      out_ << "# user " << u << " has no test user in the spec: its requests carry no session\n";
      return;
    }
    const auto& su = spec_.users[it->second];
    const spec::Login& l = spec_.login;
    std::string v = user_var(u);
    out_ << "# log in as " << one_line(su.username) << " (user " << u << ")\n";
    HttpRequest h = spec::build_request(l.request, {{"username", su.username}, {"password", su.password}, {"user_id", su.app_id}});
    emit(curl(h, " -c " + jar(u) + " -D \"$JAR/h" + v + "\""), {"must " + sq("log in as " + su.username) + " " +
                                                                    sq(statuses(l.request))});
    auto read = [&](const spec::TokenRead& t, const std::string& var) {
      if (t.from == spec::TokenSource::body) out_ << var << "=$(json_field \"$BODY\" " << sq(last_key(t.at.pointer)) << ")\n";
      else if (t.from == spec::TokenSource::header) out_ << var << "=$(header_of \"$JAR/h" << v << "\" " << sq(t.name) << ")\n";
      else out_ << var << "=$(awk -v n=" << sq(t.name) << " '$6 == n { print $7 }' " << jar(u) << ")\n";
    };
    if (l.session == spec::SessionKind::token) read(l.token, "TOKEN" + v);
    if (l.csrf) read(*l.csrf, "CSRF" + v);
  }

  spec::WriteMapping mapping() const {
    return {namespaced_ ? kTag : "", [this](const std::string& id) { return json(item_ref(id)); },
            [this](UserId u) { return app_user(u); }};
  }

  void build_fixture(const Fixture& f) {
    const bool can_hide = spec_.writes.create.request.body.variables().count("is_calendar_visible") > 0;
    std::vector<const Item*> order;
    std::set<std::string> placed, ids;
    for (const auto& i : f.items) ids.insert(i.id);
    while (order.size() < f.items.size()) {
      std::size_t before = order.size();
      for (const auto& i : f.items)
        if (!placed.count(i.id) && (!i.parent_id || !ids.count(*i.parent_id) || placed.count(*i.parent_id))) {
          order.push_back(&i);
          placed.insert(i.id);
        }
      if (order.size() == before) break;
    }
    for (const Item* item : order) {
      if (!item->is_calendar_visible && !can_hide) {
        out_ << "# item " << item->id << " ('" << one_line(item->title)
             << "') is hidden, and the create cannot say so: not created (as in the run)\n";
        continue;
      }
      json fields = to_json(*item);
      fields.erase("id");
      std::string var = "I" + std::to_string(++items_);
      out_ << "# the fixture's item " << item->id << " ('" << one_line(item->title) << "') as its owner; its id → $" << var
           << "\n";
      emit(as_user(item->owner_id, spec_.writes.create.request, spec::write_vars(spec_, fields, mapping())),
           {"must " + sq("create item " + item->id) + " " + sq(statuses(spec_.writes.create.request))});
      id_var_[item->id] = var;
      created_by_owner(var, item->owner_id);
    }
  }

  void created_by_owner(const std::string& var, UserId owner) {
    const spec::Field& id = spec_.item.id;
    out_ << var << "=$(json_field \"$BODY\" " << sq(last_key(id.pointer)) << ")\n";
    if (!id.strip_prefix.empty()) out_ << var << "=${" << var << "#" << id.strip_prefix << "}\n";
    cleanup_.push_back("[ -z \"${" + var + ":-}\" ] || " + as_user(owner, spec_.writes.remove, {{"id", mark(var)}}) +
                       " >/dev/null 2>&1 || true");
  }

  // ---- steps ---------------------------------------------------------------------
  struct Request {
    std::string curl;
    std::vector<std::string> post;
  };

  std::string event_ref(const std::string& id) const {
    const spec::Field& f = spec_.feed.event.id;
    return word(f.strip_prefix + item_ref(id));
  }
  std::string event_key() const { return sq(last_key(spec_.feed.event.id.pointer)); }

  std::optional<Request> plan(const Op& op, std::vector<std::string>& comments) {
    auto note = [&](const std::string& text) { comments.push_back("#   " + one_line(text)); };
    const std::string who = op.tab.empty() ? "user " + std::to_string(op.user) : op.tab;
    Request r;
    switch (op.kind) {
      case OpKind::view: {
        if (!op.request.contains("query_string")) {
          note(who + ": FullCalendar shows its in-memory events; no request");
          return std::nullopt;
        }
        if (op.layer == Layer::http_cache) note("the run's browser answered this from its HTTP cache; curl asks the server");
        std::string error;
        auto query = spec::feed_query(spec_, FeedRequest{op.request["query_string"].get<std::string>(), op.query}, error);
        if (!query) {
          note(error);
          return std::nullopt;
        }
        r.curl = as_user(op.user, spec_.feed.request, {}, *query);
        r.post.push_back("echo " + sq("[" + who + "] feed " + *query + ": HTTP ") + "\"$STATUS $BODY\"");
        auto checks = view_checks(op);
        if (!checks.empty()) {
          r.post.push_back("if [ \"$STATUS\" = 200 ]; then");
          for (auto& c : checks) r.post.push_back("  " + c);
          r.post.push_back("fi");
        }
        return r;
      }
      case OpKind::click: {
        r.curl = as_user(op.user, spec_.detail.request, {{"id", item_ref(op.item_id)}});
        r.post.push_back("echo " + sq("[" + who + "] detail: HTTP ") + "\"$STATUS\"");
        std::string gone;
        for (int g : spec_.detail.gone) gone += (gone.empty() ? "" : " ") + std::to_string(g);
        auto [b, e] = by_op_.equal_range(op.index);
        for (auto it = b; it != e; ++it)
          if (it->second->kind == ViolationKind::dangling)
            r.post.push_back("if ok \"$STATUS\" " + sq(gone) + "; then found dangling " + sq(op.item_id) + " " +
                             std::to_string(op.user) + "; fi");
        return r;
      }
      case OpKind::create: {
        r.curl = as_user(op.user, spec_.writes.create.request, spec::write_vars(spec_, op.request, mapping()));
        r.post.push_back("echo " + sq("[" + who + "] create: HTTP ") + "\"$STATUS $BODY\"");
        if (op.written) {
          std::string var = "C" + std::to_string(++creates_);
          pending_create_ = {var, op.user};
          id_var_[op.written->id] = var;
          note("its id is kept in $" + var + " (the recorded run's item " + op.written->id + ")");
        }
        return r;
      }
      case OpKind::edit: {
        Vars vars = spec::write_vars(spec_, op.request, mapping());
        vars["id"] = item_ref(op.item_id);
        r.curl = as_user(op.user, spec_.writes.edit.request, vars);
        r.post.push_back("echo " + sq("[" + who + "] edit: HTTP ") + "\"$STATUS $BODY\"");
        return r;
      }
      case OpKind::remove:
        r.curl = as_user(op.user, spec_.writes.remove, {{"id", item_ref(op.item_id)}});
        r.post.push_back("echo " + sq("[" + who + "] delete: HTTP ") + "\"$STATUS $BODY\"");
        return r;
      case OpKind::fault:
        return fault(op, note);
    }
    return std::nullopt;
  }

  template <typename Note>
  std::optional<Request> fault(const Op& op, Note& note) {
    const json& p = op.request;
    const spec::Hooks& h = spec_.hooks;
    auto with = [&](const std::optional<spec::Hook>& hk, const Vars& vars, const std::string& what) -> std::optional<Request> {
      if (!hk) {
        note("the spec has no " + what + " hook");
        return std::nullopt;
      }
      Request r;
      r.curl = hook(*hk, vars, what);
      r.post.push_back("echo " + sq("[hook] " + what + ": HTTP ") + "\"$STATUS $BODY\"");
      return r;
    };
    if (op.fault == "advance") {
      double advance = p.value("advance_s", 0.0);
      if (!h.clock) {  // a real clock: the run waited
        double waited = p.value("waited_s", advance);
        out_ << "sleep " << waited << "   # the run waited " << waited << " s (of " << advance << " s asked)\n";
        return std::nullopt;
      }
      clock_ += static_cast<TimeMs>(advance * 1000);
      return with(h.clock, {{"now", format_instant(clock_)}, {"advance_s", advance}}, "clock");
    }
    if (op.fault == "evict") return with(h.evict, {{"keys", p.value("keys", json::array())}}, "evict");
    if (op.fault == "evict-version") {
      json user = p.contains("user") && p["user"].is_number_integer() ? app_user(p["user"].get<UserId>()) : json("global");
      return with(h.evict_version, {{"user", user}}, "evict_version");
    }
    if (op.fault == "evict-random") {
      note("the application picks the entries at random: not necessarily those of the recorded run");
      return with(h.evict_random, {{"count", p.value("count", 0)}, {"seed", p.value("seed", 0)}}, "evict_random");
    }
    if (op.fault == "flush") return with(h.flush, {}, "flush");
    if (op.fault == "route") {
      if (!h.route) {
        note("the run routed to one of the spec's base URLs; this script sends everything to $BASE");
        return std::nullopt;
      }
      return with(h.route, {{"worker", p.contains("worker") ? p["worker"] : json(nullptr)}}, "route");
    }
    note("fault '" + op.fault + "' has no hook");
    return std::nullopt;
  }

  std::vector<std::string> view_checks(const Op& view) const {
    std::vector<std::string> lines;
    std::set<std::pair<ViolationKind, std::string>> done;
    const std::string user = std::to_string(view.user);
    Violation probe_kind{ViolationKind::stale_visible, "", view.user, view.tab, Layer::server_cache, 0, view.index, ""};
    bool stale_counts = !counted_ || counted_(probe_kind);
    const std::string key = event_key();
    for (const auto& w : run_.history.ops) {
      if (w.kind != OpKind::remove || w.outcome != Outcome::ok || w.complete >= view.invoke) continue;
      if (!stale_counts) break;
      std::vector<std::string> ids = w.deleted.empty() ? std::vector<std::string>{w.item_id} : w.deleted;
      for (const auto& id : ids)
        if (done.insert({ViolationKind::stale_visible, id}).second)
          lines.push_back("if [ -n \"$(event_of \"$BODY\" " + key + " " + event_ref(id) + ")\" ]; then found stale-visible " +
                          sq(id) + " " + user + "; fi");
    }
    const spec::EventFields& e = spec_.feed.event;
    auto [b, end] = by_op_.equal_range(view.index);
    for (auto it = b; it != end; ++it) {
      const Violation& v = *it->second;
      if (!done.insert({v.kind, v.item_id}).second) continue;
      std::string tail = "; then found " + std::string(to_string(v.kind)) + " " + sq(v.item_id) + " " + user + "; fi";
      switch (v.kind) {
        case ViolationKind::stale_visible:
        case ViolationKind::filter_violation:
        case ViolationKind::range_violation:
          lines.push_back("if [ -n \"$(event_of \"$BODY\" " + key + " " + event_ref(v.item_id) + ")\" ]" + tail);
          break;
        case ViolationKind::missing:
          lines.push_back("if [ -z \"$(event_of \"$BODY\" " + key + " " + event_ref(v.item_id) + ")\" ]" + tail);
          break;
        case ViolationKind::stale_content:
          for (const auto& shown : view.shown)
            if (shown.item_id == v.item_id) {
              std::string frags = " " + sq("\"" + last_key(e.title.pointer) + "\":" +
                                           json((namespaced_ ? kTag : "") + shown.title).dump()) +
                                  " " + sq("\"" + last_key(e.start.pointer) + "\":\"" + shown.start.iso()) + " " +
                                  sq("\"" + last_key(e.end.pointer) + "\":\"" +
                                     (e.end_exclusive ? shown.end.plus_days(1) : shown.end).iso());
              if (e.status.given)
                frags += " " + sq("\"" + last_key(e.status.pointer) + "\":\"" + spec::theirs(spec_.status_values, shown.status) + "\"");
              lines.push_back("if event_has \"$BODY\" " + key + " " + event_ref(v.item_id) + frags + tail);
            }
          break;
        case ViolationKind::dangling:
        case ViolationKind::bound_exceeded:
          break;
      }
    }
    return lines;
  }

  void handle(const Request& r) {
    for (auto& line : r.post) out_ << line << "\n";
    if (pending_create_) {
      auto [var, owner] = *pending_create_;
      pending_create_.reset();
      out_ << "if ok \"$STATUS\" " << sq(statuses(spec_.writes.create.request)) << "; then\n  ";
      const spec::Field& id = spec_.item.id;
      out_ << var << "=$(json_field \"$BODY\" " << sq(last_key(id.pointer)) << ")\n";
      if (!id.strip_prefix.empty()) out_ << "  " << var << "=${" << var << "#" << id.strip_prefix << "}\n";
      out_ << "fi\n";
      cleanup_.push_back("[ -z \"${" + var + ":-}\" ] || " + as_user(owner, spec_.writes.remove, {{"id", mark(var)}}) +
                         " >/dev/null 2>&1 || true");
    }
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
        handle(*req);
      }
      return;
    }
    out_ << "#   the requests start together (in the background); each answer is handled after `wait`\n";
    std::vector<std::pair<std::string, Request>> started;
    std::vector<std::optional<std::pair<std::string, UserId>>> creates;
    for (std::size_t index : record.ops) {
      std::vector<std::string> comments;
      auto req = plan(run_.history.ops[index], comments);
      for (auto& c : comments) out_ << c << "\n";
      if (!req) continue;
      std::string id = std::to_string(i + 1) + "_" + std::to_string(started.size() + 1);
      out_ << req->curl << " > \"$JAR/s" << id << "\" &\nP" << id << "=$!\n";
      started.emplace_back(id, std::move(*req));
      creates.push_back(pending_create_);
      pending_create_.reset();
    }
    for (auto& [id, req] : started) out_ << "wait \"$P" << id << "\" || exit 2\n";
    for (std::size_t k = 0; k < started.size(); ++k) {
      out_ << "answer \"$(<\"$JAR/s" << started[k].first << "\")\"\n";
      pending_create_ = creates[k];
      handle(started[k].second);
    }
  }

  const spec::TargetSpec& spec_;
  const Script& script_;
  const RunOutput& run_;
  std::function<bool(const Violation&)> counted_;
  bool namespaced_;
  std::multimap<std::size_t, const Violation*> by_op_;
  std::map<UserId, std::size_t> user_index_;
  std::map<std::string, std::string> id_var_;  // harness item id → the shell variable holding the application's id
  std::vector<std::string> cleanup_;
  std::optional<std::pair<std::string, UserId>> pending_create_;
  TimeMs clock_ = 0;
  int items_ = 0, creates_ = 0;
  std::ostringstream out_;
};

}  // namespace

std::string spec_curl_script(const spec::TargetSpec& spec, const Script& script, const RunOutput& run,
                             const Verdict& verdict, const std::function<bool(const Violation&)>& counted,
                             const std::string& title) {
  return Writer(spec, script, run, verdict, counted).write(title);
}

}  // namespace cachecheck
