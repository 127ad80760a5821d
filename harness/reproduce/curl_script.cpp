// A script's steps as a bash script of curl calls (see curl_script.h).
#include "reproduce/curl_script.h"

#include <cctype>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "calendar/http_server.h"
#include "browser/query_string.h"

namespace cachecheck {
namespace {

using calendar::Date;
using nlohmann::json;

constexpr const char* kCurl = "curl -sS --max-time 5";

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
std::string csrf(UserId u) { return "\"X-CSRFToken: $CSRF_" + var_suffix(u) + "\""; }

struct TabState {
  UserId user = 0;
  TabSetup setup;
  Date focus;
  std::optional<std::string> type, status;
  std::optional<ViewRange> fetched;
  std::optional<std::string> fetched_type, fetched_status;

  ViewRange range() const { return view_range(setup.model, focus, setup.first_day); }
  bool covers_current_view() const {
    auto r = range();
    return fetched && fetched->start <= r.start && r.end <= fetched->end && fetched_type == type &&
           fetched_status == status;
  }
};

// One request of a step: the curl command (it writes "<body>\n<status>") and
// the shell lines that handle its answer in $BODY / $STATUS.
struct Request {
  std::string curl;
  std::vector<std::string> post;
  bool remove = false;
};

class Writer {
 public:
  explicit Writer(const Script& script) : script_(script) {
    for (const auto& u : script.setup.users) known_users_.insert(u.id);
  }

  std::string run(const std::string& title) {
    header(title);
    setup();
    for (std::size_t i = 0; i < script_.steps.size(); ++i) step(script_.steps[i], std::to_string(i + 1));
    out_ << "\n# --- end\necho \"summary: $STALE stale read(s)\"\n";
    return out_.str();
  }

 private:
  void header(const std::string& title) {
    out_ << "#!/usr/bin/env bash\n";
    std::istringstream lines(title.empty() ? std::string("cachecheck replay") : title);
    for (std::string line; std::getline(lines, line);) out_ << "# " << one_line(line) << "\n";
    out_ << "#\n"
            "# Replays the steps as curl calls against a calendar-server on $BASE, started with\n"
            "#   calendar-server --admin --clock manual [--strategy ... and the other flags of the run]\n"
            "# Each feed answer is printed, then one line per item deleted so far:\n"
            "#   \"STALE: <uuid> still shown\" when the answer still has it, \"fresh: <uuid> gone\" otherwise.\n"
            "# curl keeps no HTTP cache: a refresh always reaches the server here (the run's browser\n"
            "# model may have answered it from the browser's cache).\n"
            "# Needs bash, curl, awk, sed, grep and mktemp.\n"
            "set -euo pipefail\n"
            "BASE=${BASE:-http://127.0.0.1:8080}\n"
            "JAR=$(mktemp -d)\n"
            "trap 'rm -rf \"$JAR\"' EXIT\n"
            "DELETED=()  # ids whose DELETE answered 200 (each item and its subtree)\n"
            "CREATED=()  # ids of the items created so far: $created:N is ${CREATED[N-1]}\n"
            "STALE=0\n"
            "UUID_RE='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'\n"
            "\n"
            "# \"<body>\\n<status>\" (as written by curl -w '\\n%{http_code}') -> $BODY and $STATUS\n"
            "answer() { BODY=${1%$'\\n'*}; STATUS=${1##*$'\\n'}; }\n"
            "# One line per deleted item: is it still in the feed answer $1?\n"
            "check_deleted() {\n"
            "  local id\n"
            "  for id in ${DELETED[@]+\"${DELETED[@]}\"}; do\n"
            "    if grep -q -- \"$id\" <<<\"$1\"; then\n"
            "      echo \"STALE: $id still shown\"\n"
            "      STALE=$((STALE + 1))\n"
            "    else\n"
            "      echo \"fresh: $id gone\"\n"
            "    fi\n"
            "  done\n"
            "}\n"
            "# Records the ids a DELETE answer $1 lists.\n"
            "record_deleted() {\n"
            "  local id\n"
            "  for id in $(grep -oE \"$UUID_RE\" <<<\"$1\" || true); do DELETED+=(\"$id\"); done\n"
            "}\n"
            "# The id of a created item in the answer $1 (empty when there is none).\n"
            "created_id() { sed -n 's/.*\"id\": *\"\\([0-9a-f-]\\{36\\}\\)\".*/\\1/p' <<<\"$1\"; }\n";
  }

  void setup() {
    const Setup& s = script_.setup;
    calendar::ResetData data{s.users, s.items, s.visibility};
    out_ << "\n# --- setup: " << s.users.size() << " user(s), " << s.items.size() << " item(s), visibility "
         << calendar::to_string(s.visibility) << ", clock " << calendar::format_instant(s.start_time) << "\n";
    out_ << kCurl << " -f -o /dev/null -X POST \"$BASE/__admin/reset\" -H 'Content-Type: application/json' "
         << "--data-binary @- <<'JSON'\n"
         << calendar::reset_to_json(data).dump() << "\nJSON\n";
    out_ << kCurl << " -f -o /dev/null -X POST \"$BASE/__admin/clock\" -H 'Content-Type: application/json' -d "
         << sq(json{{"now", calendar::format_instant(s.start_time)}}.dump()) << "\n";
    for (const auto& u : s.users) {
      std::string v = var_suffix(u.id);
      out_ << "# log in as " << one_line(u.username) << " (user " << u.id << "); cookie jar $JAR/u" << v << "\n";
      out_ << kCurl << " -f -o /dev/null -c " << jar(u.id)
           << " -X POST \"$BASE/accounts/login/\" -H 'Content-Type: application/json' -d "
           << sq(json{{"username", u.username}, {"password", u.password}}.dump()) << "\n";
      out_ << "CSRF_" << v << "=$(awk '$6 == \"csrftoken\" { print $7 }' " << jar(u.id) << ")\n";
      out_ << "[ -n \"$CSRF_" << v << "\" ] || { echo " << sq("no csrftoken cookie after logging in as " + u.username)
           << " >&2; exit 1; }\n";
    }
    // Users that steps name but the setup does not: requests without a session (401).
    std::set<UserId> extra;
    std::function<void(const Step&)> collect = [&](const Step& st) {
      if (st.user && !known_users_.count(st.user)) extra.insert(st.user);
      for (const auto& g : st.group) collect(g);
    };
    for (const auto& st : script_.steps) collect(st);
    for (UserId u : extra)
      out_ << "CSRF_" << var_suffix(u) << "=''  # user " << u << " is not in the setup: no session\n";
  }

  // The URL of an item's endpoint (`suffix` "", "modal/" or "delete/"), as a shell word.
  std::string item_url(const std::string& item, const std::string& suffix) {
    constexpr std::string_view kCreated = "$created:";
    if (item.rfind(kCreated, 0) == 0) {
      long n = std::strtol(item.c_str() + kCreated.size(), nullptr, 10);
      std::string index = std::to_string(n >= 1 ? n - 1 : 0);
      return "\"$BASE\"'/oobc-management/work-items/'\"${CREATED[" + index + "]:-missing-created-" +
             std::to_string(n) + "}\"" + sq("/" + suffix);
    }
    return "\"$BASE\"" + sq("/oobc-management/work-items/" + percent_encode_segment(item) + "/" + suffix);
  }

  static std::string label(const Step& s) {
    std::string who = s.tab.empty() ? "user " + std::to_string(s.user) : s.tab;
    return "[" + who + "]";
  }

  Request feed_request(TabState& t, const Step& s, bool hard) {
    ViewRange r = t.range();
    std::string query = feed_query_string(r, t.setup.model, t.setup.utc_offset_min, t.type, t.status);
    t.fetched = r;
    t.fetched_type = t.type;
    t.fetched_status = t.status;
    Request req;
    req.curl = std::string(kCurl) + " -w '\\n%{http_code}' -b " + jar(t.user);
    if (hard) req.curl += " -H 'Cache-Control: no-cache' -H 'Pragma: no-cache'";
    req.curl += " \"$BASE\"" + sq("/oobc-management/calendar/feed/?" + query);
    std::string lbl = label(s);
    req.post = {"echo " + sq(lbl + " feed " + r.start.iso() + " .. " + r.end.iso() + ": HTTP ") + "\"$STATUS $BODY\"",
                "if [ \"$STATUS\" = 200 ]; then check_deleted \"$BODY\"; fi"};
    return req;
  }

  TabState* tab(const Step& s) {
    auto it = tabs_.find(s.tab);
    return it == tabs_.end() ? nullptr : &it->second;
  }

  UserId user_of(const Step& s) {
    if (s.user) return s.user;
    if (auto* t = tab(s)) return t->user;
    return 0;
  }

  // Comments for `s`, and its request when it sends one.
  std::optional<Request> plan(const Step& s, const std::string& number, std::vector<std::string>& comments) {
    comments.push_back("# step " + number + ": " + one_line(describe(s)));
    auto note = [&](const std::string& text) { comments.push_back("#   " + one_line(text)); };
    const UserId user = user_of(s);
    const std::string lbl = label(s);
    switch (s.action) {
      case Action::open: {
        TabState t;
        t.user = user;
        t.setup = s.setup;
        t.focus = s.setup.focus;
        t.type = s.type;
        t.status = s.status;
        auto& slot = tabs_[s.tab] = t;
        note(std::string(to_string(t.setup.model)) + ", firstDay " + std::to_string(t.setup.first_day) +
             ", UTC offset " + std::to_string(t.setup.utc_offset_min) + " min: FullCalendar fetches " +
             slot.range().start.iso() + " .. " + slot.range().end.iso() + " (end exclusive)");
        return feed_request(slot, s, false);
      }
      case Action::refresh:
      case Action::hard_refresh: {
        TabState* t = tab(s);
        if (!t) break;
        t->fetched.reset();
        if (s.action == Action::refresh)
          note("the page reloads; curl has no browser cache, so this reaches the server");
        else
          note("the reload bypasses the browser cache");
        return feed_request(*t, s, s.action == Action::hard_refresh);
      }
      case Action::navigate: {
        TabState* t = tab(s);
        if (!t) break;
        t->focus = navigate(t->setup.model, t->focus, s.delta);
        auto r = t->range();
        if (t->covers_current_view()) {
          note("the view " + r.start.iso() + " .. " + r.end.iso() +
               " lies inside the range this tab already fetched: FullCalendar sends no request");
          return std::nullopt;
        }
        note("the view is now " + r.start.iso() + " .. " + r.end.iso());
        return feed_request(*t, s, false);
      }
      case Action::filter: {
        TabState* t = tab(s);
        if (!t) break;
        t->type = s.type;
        t->status = s.status;
        return feed_request(*t, s, false);
      }
      case Action::look:
        note("no request: FullCalendar shows its in-memory events");
        return std::nullopt;
      case Action::click: {
        Request req;
        req.curl = std::string(kCurl) + " -w '\\n%{http_code}' -b " + jar(user) + " " + item_url(s.item, "modal/");
        req.post = {"echo " + sq(lbl + " modal " + s.item + ": HTTP ") + "\"$STATUS\""};
        return req;
      }
      case Action::create: {
        Request req;
        req.curl = std::string(kCurl) + " -w '\\n%{http_code}' -b " + jar(user) + " -H " + csrf(user) +
                   " -H 'Content-Type: application/json' -X POST --data-binary " + sq(s.fields.dump()) +
                   " \"$BASE/oobc-management/work-items/\"";
        ++creates_;
        std::string n = std::to_string(creates_);
        req.post = {"echo " + sq(lbl + " create: HTTP ") + "\"$STATUS $BODY\"",
                    "ID=$(created_id \"$BODY\")",
                    "if [ \"$STATUS\" = 201 ] && [ -n \"$ID\" ]; then CREATED+=(\"$ID\"); echo \"created: $ID\"; fi"};
        note("on success its id becomes the next $created:N (this is create #" + n + " of the script)");
        return req;
      }
      case Action::edit: {
        Request req;
        req.curl = std::string(kCurl) + " -w '\\n%{http_code}' -b " + jar(user) + " -H " + csrf(user) +
                   " -H 'Content-Type: application/json' -X PATCH --data-binary " + sq(s.fields.dump()) + " " +
                   item_url(s.item, "");
        req.post = {"echo " + sq(lbl + " edit " + s.item + ": HTTP ") + "\"$STATUS $BODY\""};
        return req;
      }
      case Action::remove: {
        Request req;
        req.remove = true;
        req.curl = std::string(kCurl) + " -w '\\n%{http_code}' -b " + jar(user) + " -H " + csrf(user) +
                   " -X DELETE " + item_url(s.item, "delete/");
        req.post = {"echo " + sq(lbl + " delete " + s.item + ": HTTP ") + "\"$STATUS $BODY\"",
                    "if [ \"$STATUS\" = 200 ]; then record_deleted \"$BODY\"; fi"};
        note("the page removes the event from this tab without refetching");
        return req;
      }
      case Action::advance:
        return admin("POST", "/__admin/clock", json{{"advance_s", s.seconds}}, "clock");
      case Action::evict:
        return admin("POST", "/__admin/cache/evict", json{{"keys", s.keys}}, "evict");
      case Action::evict_random:
        note("the server picks the keys at random: not necessarily those of the recorded run");
        return admin("POST", "/__admin/cache/evict", json{{"random", s.count}}, "evict");
      case Action::flush:
        return admin("POST", "/__admin/cache/flush", json::object(), "flush");
      case Action::route:
        if (s.worker) note("the server answers 400 when it runs fewer workers");
        return admin("POST", "/__admin/route", json{{"worker", s.worker ? json(*s.worker) : json(nullptr)}}, "route");
      case Action::concurrent:
        break;
    }
    if (s.action != Action::concurrent) note("tab '" + s.tab + "' was never opened: nothing to send");
    return std::nullopt;
  }

  static Request admin(const std::string& method, const std::string& path, const json& body, const std::string& what) {
    Request req;
    req.curl = std::string(kCurl) + " -w '\\n%{http_code}' -X " + method + " \"$BASE" + path +
               "\" -H 'Content-Type: application/json' -d " + sq(body.dump());
    req.post = {"echo " + sq("[admin] " + what + ": HTTP ") + "\"$STATUS $BODY\""};
    return req;
  }

  void flatten(const Step& s, const std::string& number, std::vector<std::pair<const Step*, std::string>>& out) {
    if (s.action != Action::concurrent) {
      out.emplace_back(&s, number);
      return;
    }
    for (std::size_t i = 0; i < s.group.size(); ++i) flatten(s.group[i], number + "." + std::to_string(i + 1), out);
  }

  void step(const Step& s, const std::string& number) {
    out_ << "\n";
    if (s.action != Action::concurrent) {
      std::vector<std::string> comments;
      auto req = plan(s, number, comments);
      for (auto& c : comments) out_ << c << "\n";
      if (!req) return;
      out_ << "OUT=$(" << req->curl << ")\n";
      out_ << "answer \"$OUT\"\n";
      for (auto& line : req->post) out_ << line << "\n";
      return;
    }
    out_ << "# step " << number << ": " << one_line(describe(s)) << "\n";
    out_ << "#   the requests start together (in the background); each answer is handled after `wait`\n";
    std::vector<std::pair<const Step*, std::string>> subs;
    flatten(s, number, subs);
    struct Started {
      std::string file, pid;
      Request req;
    };
    std::vector<Started> started;
    for (auto& [sub, num] : subs) {
      std::vector<std::string> comments;
      auto req = plan(*sub, num, comments);
      for (auto& c : comments) out_ << c << "\n";
      if (!req) continue;
      std::string id = num;
      for (char& c : id)
        if (c == '.') c = '_';
      Started st{"\"$JAR/s" + id + "\"", "P" + id, *req};
      out_ << req->curl << " > " << st.file << " &\n" << st.pid << "=$!\n";
      started.push_back(std::move(st));
    }
    for (auto& st : started) out_ << "wait \"$" << st.pid << "\"\n";
    // Reads are judged against the deletes completed before this step: record the
    // group's deletes only after every other answer is handled.
    for (int pass = 0; pass < 2; ++pass) {
      for (auto& st : started) {
        if (st.req.remove != (pass == 1)) continue;
        out_ << "answer \"$(<" << st.file << ")\"\n";
        for (auto& line : st.req.post) out_ << line << "\n";
      }
    }
  }

  const Script& script_;
  std::set<UserId> known_users_;
  std::map<std::string, TabState> tabs_;
  int creates_ = 0;
  std::ostringstream out_;
};

}  // namespace

std::string curl_script(const Script& script, const std::string& title) { return Writer(script).run(title); }

}  // namespace cachecheck
