// The target spec parser: every key read into the typed spec, and every kind of
// mistake reported as one line with its file, line and key — never a crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "spec/parse.h"
#include "spec/summary.h"
#include "spec/templates.h"

namespace {

using namespace cachecheck;
using namespace cachecheck::spec;
using nlohmann::json;

// A spec that uses every key (line numbers matter to the error tests below).
const std::string kFull = R"(name: shop
strategy: shop-cache
base_url: http://127.0.0.1:${SHOP_PORT:-9000}/app/
processes: 2
timeout_s: 3.5
think_cap_s: 0.25
users:
  - {username: ann, password: "007", id: 101}
  - {username: ben, password: pw2, id: "u-2"}
login:
  method: POST
  path: /login
  form: {user: "{username}", pass: "{password}"}
  headers: {X-Client: "cachecheck {username}"}
  success: [200, 204]
  session: token
  token: {from: header, name: X-Session}
  send_token: {header: X-Auth, value: "Token {token}"}
  csrf: {from: body, at: /csrf, header: X-CSRF}
feed:
  path: /events
  headers: {Accept: application/json}
  params: {start: from, end: to, type: kind, status: state}
  start_dates: datetime-z
  end_dates: "{date}T23:59:59Z"
  time_zone: {param: tz, value: UTC}
  extra: {view: month}
  events: data.events
  event:
    id: {at: /key, strip_prefix: "ev-"}
    title: /name
    start: /from
    end: /until
    end_exclusive: true
    type: /kind
    status: /state
    parent: {at: /up, strip_prefix: "ev-"}
values:
  work_type: {project: epic}
  status: {in_progress: doing}
item:
  at: /item
  id: {at: /key, strip_prefix: "ev-"}
  title: /name
  start_date: /from
  due_date: /until
writes:
  create:
    path: /items
    json: {name: "{title}", kind: "{work_type}", from: "{start_date}", until: "{due_date}", who: "{assignee_ids}"}
    success: [201]
  edit:
    method: PUT
    path: /items/{id}
    json: {name: "{title}"}
    answer: none
  delete:
    path: /items/{id}
    success: [200, 204]
    deleted: /removed
    cascade: true
detail:
  path: /items/{id}
  gone: [404, 410]
semantics:
  range: start-or-due
  type_filter: {epic-ish: [project, sub_project], task: task}
  visibility: owner-and-assignees
freshness_bound_s: 60
hooks:
  reset: {command: "./reset.sh", timeout_s: 12}
  flush: {method: DELETE, path: /admin/cache}
  clock: {path: /admin/clock, json: {advance: "{advance_s}"}}
  evict: {path: /admin/evict, json: {keys: "{keys}"}, affected: /n}
  evict_random: {command: "evict {count}"}
  evict_version: {path: /admin/evict, json: {keys: ["v:{user}"]}}
  stats:
    path: /admin/stats
    strategy: /strategy
    processes: /workers
    freshness_bound_s: /ttl
    counters: {cache_hits: /hits, store_queries: /db/queries}
)";

Environment env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& n) -> std::optional<std::string> {
    auto it = vars.find(n);
    return it == vars.end() ? std::nullopt : std::optional(it->second);
  };
}

ParseResult parse(const std::string& text, std::map<std::string, std::string> vars = {}) {
  return parse_spec_text(text, "shop.yaml", env(std::move(vars)));
}

// `kFull` with `from` replaced by `to` (exactly once).
std::string edited(const std::string& from, const std::string& to) {
  std::string s = kFull;
  auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

std::string all(const ParseResult& r) {
  std::string out;
  for (auto& p : r.problems) out += p.text() + "\n";
  return out;
}

TEST(SpecParse, ReadsEveryKey) {
  auto r = parse(kFull, {{"SHOP_PORT", "9100"}});
  ASSERT_TRUE(r.spec) << all(r);
  const TargetSpec& s = *r.spec;
  EXPECT_EQ(s.name, "shop");
  EXPECT_EQ(s.strategy, "shop-cache");
  EXPECT_EQ(s.base_urls, std::vector<std::string>{"http://127.0.0.1:9100/app"});
  EXPECT_FALSE(s.separate_processes);
  EXPECT_EQ(s.processes, 2);
  EXPECT_DOUBLE_EQ(s.timeout_s, 3.5);
  EXPECT_DOUBLE_EQ(s.think_cap_s, 0.25);
  ASSERT_EQ(s.users.size(), 2u);
  EXPECT_EQ(s.users[0].password, "007");  // quoted: text, not the number 7
  EXPECT_EQ(s.users[0].app_id, json(101));
  EXPECT_EQ(s.users[1].app_id, json("u-2"));
  EXPECT_EQ(s.login.request.path.value, "/login");
  EXPECT_EQ(s.login.request.body_kind, BodyKind::form);
  EXPECT_EQ(s.login.request.body.value, (json{{"user", "{username}"}, {"pass", "{password}"}}));
  EXPECT_EQ(s.login.request.headers.at("X-Client").value, "cachecheck {username}");
  EXPECT_EQ(s.login.request.success, (std::vector<int>{200, 204}));
  EXPECT_EQ(s.login.session, SessionKind::token);
  EXPECT_EQ(s.login.token.from, TokenSource::header);
  EXPECT_EQ(s.login.token.name, "X-Session");
  EXPECT_EQ(s.login.send_header, "X-Auth");
  EXPECT_EQ(s.login.send_value.value, "Token {token}");
  ASSERT_TRUE(s.login.csrf);
  EXPECT_EQ(s.login.csrf->from, TokenSource::body);
  EXPECT_EQ(s.login.csrf->at.pointer, "/csrf");
  EXPECT_EQ(s.login.csrf_header, "X-CSRF");
  const Feed& f = s.feed;
  EXPECT_EQ(f.request.method, "GET");
  EXPECT_EQ(f.start_param, "from");
  EXPECT_EQ(f.end_param, "to");
  EXPECT_EQ(f.type_param, "kind");
  EXPECT_EQ(f.status_param, "state");
  EXPECT_EQ(f.start_format.pattern, "{date}T00:00:00Z");
  EXPECT_EQ(f.end_format.pattern, "{date}T23:59:59Z");
  EXPECT_FALSE(f.start_format.fullcalendar);
  EXPECT_EQ(f.time_zone, (std::pair<std::string, std::string>{"tz", "UTC"}));
  EXPECT_EQ(f.extra, (std::vector<std::pair<std::string, std::string>>{{"view", "month"}}));
  EXPECT_EQ(f.events.pointer, "/data/events");  // a dotted path is a pointer
  EXPECT_EQ(f.event.id.pointer, "/key");
  EXPECT_EQ(f.event.id.strip_prefix, "ev-");
  EXPECT_EQ(f.event.title.pointer, "/name");
  EXPECT_TRUE(f.event.end_exclusive);
  EXPECT_EQ(f.event.parent.strip_prefix, "ev-");
  EXPECT_EQ(s.work_type_values.at("project"), "epic");
  EXPECT_EQ(s.status_values.at("in_progress"), "doing");
  EXPECT_EQ(s.item.at.pointer, "/item");
  EXPECT_EQ(s.item.due_date.pointer, "/until");
  EXPECT_FALSE(s.item.status.given);  // an item section names only what it names
  EXPECT_EQ(s.writes.create.request.method, "POST");
  EXPECT_EQ(s.writes.create.request.success, std::vector<int>{201});
  EXPECT_EQ(s.writes.edit.request.method, "PUT");
  EXPECT_EQ(s.writes.edit.answer, WriteAnswer::none);
  EXPECT_EQ(s.writes.remove.method, "DELETE");
  EXPECT_EQ(s.writes.deleted.pointer, "/removed");
  EXPECT_TRUE(s.writes.cascade);
  EXPECT_EQ(s.detail.gone, (std::vector<int>{404, 410}));
  EXPECT_EQ(s.semantics.range, RangeRule::start_or_due);
  EXPECT_EQ(s.semantics.type_filter.at("epic-ish"), (std::vector<std::string>{"project", "sub_project"}));
  EXPECT_EQ(s.semantics.type_filter.at("task"), std::vector<std::string>{"task"});
  EXPECT_EQ(s.visibility, Visibility::assigned);
  EXPECT_EQ(s.freshness_bound_s, 60);
  ASSERT_TRUE(s.hooks.reset);
  EXPECT_EQ(s.hooks.reset->command, "./reset.sh");
  EXPECT_DOUBLE_EQ(s.hooks.reset->timeout_s, 12);
  EXPECT_EQ(s.hooks.flush->request->method, "DELETE");
  EXPECT_EQ(s.hooks.clock->request->method, "POST");
  EXPECT_EQ(s.hooks.evict->affected.pointer, "/n");
  EXPECT_EQ(s.hooks.evict_random->command, "evict {count}");
  EXPECT_EQ(s.hooks.evict_version->request->body.value, (json{{"keys", {"v:{user}"}}}));
  ASSERT_TRUE(s.hooks.stats);
  EXPECT_EQ(s.hooks.stats->counters.at("store_queries").pointer, "/db/queries");
  EXPECT_FALSE(s.hooks.route);
  EXPECT_GT(summary(s).size(), 8u);
}

TEST(SpecParse, DefaultsForWhatASpecLeavesOut) {
  const std::string small = R"(name: small
base_url: http://127.0.0.1:1
users: [{username: u, password: p}]
login: {path: /login, json: {u: "{username}"}}
feed:
  path: /feed
  event: {id: id, title: title, start: start, end: end}
writes:
  create: {path: /i, json: {title: "{title}"}}
  edit: {path: "/i/{id}", json: {title: "{title}"}}
  delete: {path: "/i/{id}"}
detail: {path: "/i/{id}"}
semantics: {range: overlap-exclusive-end, visibility: everybody}
)";
  auto r = parse(small);
  ASSERT_TRUE(r.spec) << all(r);
  const TargetSpec& s = *r.spec;
  EXPECT_EQ(s.processes, 1);
  EXPECT_EQ(s.users[0].app_id, json(1));  // its position
  EXPECT_EQ(s.login.session, SessionKind::cookie);
  EXPECT_FALSE(s.login.csrf);
  EXPECT_EQ(s.feed.start_param, "start");
  EXPECT_FALSE(s.feed.type_param);
  EXPECT_EQ(s.feed.start_format.pattern, "{date}");
  EXPECT_TRUE(s.feed.events.given);
  EXPECT_EQ(s.feed.events.pointer, "");  // the answer is the array
  EXPECT_EQ(s.item.title.pointer, "/title");  // the contract's names
  EXPECT_EQ(s.writes.edit.request.method, "PATCH");
  EXPECT_EQ(s.writes.remove.method, "DELETE");
  EXPECT_FALSE(s.writes.deleted.given);
  EXPECT_EQ(s.detail.gone, std::vector<int>{404});
  EXPECT_EQ(s.semantics.type_filter, Semantics::reference().type_filter);
  EXPECT_FALSE(s.freshness_bound_s);
  EXPECT_FALSE(s.hooks.reset);
}

TEST(SpecParse, JsonIsAcceptedToo) {
  const std::string j = R"({"name": "j", "base_urls": ["http://127.0.0.1:1", "http://127.0.0.1:2"],
  "users": [{"username": "u", "password": "p"}],
  "login": {"path": "/login", "json": {"u": "{username}"}},
  "feed": {"path": "/feed", "dates": "fullcalendar", "event": {"id": "id", "title": "t", "start": "s", "end": "e"}},
  "writes": {"create": {"path": "/i", "json": {"t": "{title}"}}, "edit": {"path": "/i/{id}"},
             "delete": {"path": "/i/{id}"}},
  "detail": {"path": "/i/{id}"},
  "semantics": {"range": "inclusive-end", "type_filter": "exact", "visibility": "everybody"}})";
  auto r = parse_spec_text(j, "j.json", env({}));
  ASSERT_TRUE(r.spec) << all(r);
  EXPECT_TRUE(r.spec->separate_processes);
  EXPECT_EQ(r.spec->processes, 2);
  EXPECT_TRUE(r.spec->feed.start_format.fullcalendar);
  EXPECT_EQ(r.spec->semantics.type_filter.at("project"), std::vector<std::string>{"project"});
  EXPECT_TRUE(looks_like_spec_file("a/b.json"));
  EXPECT_TRUE(looks_like_spec_file("x.yml"));
  EXPECT_FALSE(looks_like_spec_file("http://127.0.0.1:8080"));
}

struct Bad {
  std::string from, to;  // an edit of kFull
  std::string message;   // a part of the one problem it makes
  int line;              // where
};

TEST(SpecParse, EachMistakeIsOneLineWithItsPlace) {
  const std::vector<Bad> cases = {
      {"name: shop\n", "nme: shop\n", "nme: unknown key (known: name, strategy", 1},
      {"name: shop\n", "", "name: missing (required)", 1},
      {"base_url: http://127.0.0.1:${SHOP_PORT:-9000}/app/", "base_url: https://x:1", "must start with http://", 3},
      {"base_url: http://127.0.0.1:${SHOP_PORT:-9000}/app/", "base_url: http://127.0.0.1:${NOPE}",
       "environment variable NOPE, which is not set", 3},
      {"processes: 2", "processes: many", "processes: must be a number, got 'many'", 4},
      {"timeout_s: 3.5", "timeout_s: 0", "timeout_s: must be from 0.05 to 600", 5},
      {"  - {username: ben, password: pw2, id: \"u-2\"}", "  - {username: ann, password: pw2}", "user 'ann' twice", 9},
      {"  - {username: ben, password: pw2, id: \"u-2\"}", "  - {username: ben}", "users[1].password: missing", 9},
      {"  method: POST\n  path: /login", "  method: FETCH\n  path: /login",
       "login.method: 'FETCH' is not one of: GET, POST, PUT, PATCH, DELETE", 11},
      {"  path: /login", "  path: login", "login.path: must start with '/'", 12},
      {"pass: \"{password}\"", "pass: \"{pasword}\"", "names {pasword}, which is not a variable here (known: password, user_id, username)", 13},
      {"pass: \"{password}\"", "pass: \"{password\"", "bad template: an unclosed '{'", 13},
      {"  session: token", "  session: jwt", "login.session: 'jwt' is not one of: cookie, token", 16},
      {"  token: {from: header, name: X-Session}", "  token: {from: header}", "login.token.name: missing", 17},
      {"  token: {from: header, name: X-Session}", "  token: {from: url, name: X}", "'url' is not one of: body, header, cookie", 17},
      {"value: \"Token {token}\"", "value: \"Token {tok}\"", "{tok}, which is not a variable here (known: token)", 18},
      {"  params: {start: from", "  params: {begin: from", "feed.params.begin: unknown key", 23},
      {"  start_dates: datetime-z", "  start_dates: iso", "'iso' is not a date format", 24},
      {"  end_dates: \"{date}T23:59:59Z\"", "  end_dates: \"{day}T23:59:59Z\"", "{day}, which is not a variable here (known: date)", 25},
      {"  events: data.events", "  events: /data/~x", "is not a JSON pointer", 28},
      {"    title: /name\n    start: /from", "    start: /from", "feed.event.title: missing (required)", 29},
      {"    end_exclusive: true", "    end_exclusive: yes", "must be true or false, got 'yes'", 34},
      {"  work_type: {project: epic}", "  work_type: {projekt: epic}", "'projekt' is not one of ours", 39},
      {"  status: {in_progress: doing}", "  status: {in_progress: doing, blocked: doing}", "'doing' stands for two of ours", 40},
      {"  at: /item\n  id:", "  at: /item\n  ident:", "item.ident: unknown key", 43},
      {"who: \"{assignee_ids}\"}", "who: \"{assignees}\"}", "{assignees}, which is not a variable here", 50},
      {"    method: PUT", "    method: PUT\n    answer: maybe", "'maybe' is not one of: item, none", 54},
      {"    json: {name: \"{title}\"}\n    answer: none", "    json: {name: \"{titel}\"}\n    answer: none", "{titel}", 55},
      {"    cascade: true", "    cascade: 1", "writes.delete.cascade: must be true or false", 61},
      {"  gone: [404, 410]", "  gone: [404, 4100]", "detail.gone[1]: must be from 100 to 599", 64},
      {"  range: start-or-due", "  range: overlap", "'overlap' is not one of: overlap-exclusive-end, inclusive-end, start-or-due", 66},
      {"task: task}", "task: chore}", "'chore' is not one of: project", 67},
      {"  visibility: owner-and-assignees", "  visibility: all", "'all' is not one of: everybody", 68},
      {"  visibility: owner-and-assignees", "  colour: red\n  visibility: owner-and-assignees", "semantics.colour: unknown key", 68},
      {"  flush: {method: DELETE, path: /admin/cache}", "  flush: {method: DELETE}", "hooks.flush.path: missing", 72},
      {"json: {advance: \"{advance_s}\"}", "json: {advance: \"{later}\"}", "{later}, which is not a variable here (known: advance_s, now)", 73},
      {"  evict_random: {command: \"evict {count}\"}", "  evict_random: {command: \"evict\", affected: /n}", "only a request hook has an answer", 75},
      {"  reset: {command: \"./reset.sh\", timeout_s: 12}", "  resets: {command: \"./reset.sh\"}", "hooks.resets: unknown key", 71},
      {"counters: {cache_hits: /hits", "counters: {hits: /hits", "hooks.stats.counters.hits: unknown key", 82},
      {"freshness_bound_s: 60", "freshness_bound_s: -1", "freshness_bound_s: must be at least 0, got -1", 69},
  };
  for (const auto& c : cases) {
    auto r = parse(edited(c.from, c.to));
    EXPECT_FALSE(r.spec) << c.to;
    ASSERT_FALSE(r.problems.empty()) << c.to;
    bool found = false;
    for (auto& p : r.problems)
      if (p.message.find(c.message) != std::string::npos) {
        found = true;
        EXPECT_EQ(p.where.line, c.line) << p.text();
        EXPECT_EQ(p.where.file, "shop.yaml");
        EXPECT_EQ(p.text().find('\n'), std::string::npos) << p.text();
      }
    EXPECT_TRUE(found) << "expected '" << c.message << "' for '" << c.to << "', got:\n" << all(r);
  }
}

TEST(SpecParse, ContradictionsBetweenSections) {
  auto both = parse(edited("processes: 2", "base_urls: [http://127.0.0.1:2]"));
  EXPECT_NE(all(both).find("give base_url (one URL) or base_urls"), std::string::npos) << all(both);
  auto from_reset = parse(edited("  reset: {command: \"./reset.sh\", timeout_s: 12}\n", "")
                              .replace(kFull.find("visibility: owner-and-assignees") - 2, 33,
                                       "  visibility: from-reset"));
  EXPECT_NE(all(from_reset).find("from-reset needs hooks.reset"), std::string::npos) << all(from_reset);
  auto no_assignees = parse(edited(", who: \"{assignee_ids}\"}", "}"));
  EXPECT_NE(all(no_assignees).find("must send {assignee_ids}"), std::string::npos) << all(no_assignees);
  auto create_none = parse(edited("    success: [201]\n", "    success: [201]\n    answer: none\n"));
  EXPECT_NE(all(create_none).find("a create must answer the item"), std::string::npos) << all(create_none);
  auto route = parse(edited("base_url: http://127.0.0.1:${SHOP_PORT:-9000}/app/\nprocesses: 2",
                            "base_urls: [http://127.0.0.1:1, http://127.0.0.1:2]") +
                     "  route: {path: /r, json: {w: \"{worker}\"}}\n");
  EXPECT_NE(all(route).find("the harness routes requests itself"), std::string::npos) << all(route);
}

TEST(SpecParse, EveryProblemIsReportedNotJustTheFirst) {
  std::string s = edited("processes: 2", "processes: x");
  s.replace(s.find("  session: token"), 16, "  session: jwt");
  s.replace(s.find("  range: start-or-due"), 21, "  range: none");
  auto r = parse(s);
  EXPECT_GE(r.problems.size(), 3u) << all(r);
}

TEST(SpecParse, BrokenFilesNeverCrash) {
  for (const std::string text : {"", "just text", "[1, 2", "name: [unclosed", "- a\n- b", "name: x\nusers: 3",
                                 "name: x\nlogin: [1]\nfeed: 2\nwrites: {create: 1}\nsemantics: []\nhooks: 7",
                                 "{\"name\": {\"a\": 1}}", "name: x\nfeed: {event: {id: [1, 2]}}",
                                 "users:\n  - 1\n  - {username: [a]}", "\t\tname: tab"}) {
    ParseResult r;
    ASSERT_NO_THROW(r = parse(text)) << text;
    EXPECT_FALSE(r.spec) << text;
    ASSERT_FALSE(r.problems.empty()) << text;
    for (auto& p : r.problems) EXPECT_EQ(p.text().find('\n'), std::string::npos) << p.text();
  }
  auto syntax = parse("name: x\nusers: [1, 2\n");
  ASSERT_EQ(syntax.problems.size(), 1u);
  EXPECT_NE(syntax.problems[0].message.find("not valid YAML or JSON"), std::string::npos);
  EXPECT_GT(syntax.problems[0].where.line, 0);
  auto missing = parse_spec_file("/nonexistent/spec.yaml");
  ASSERT_EQ(missing.problems.size(), 1u);
  EXPECT_EQ(missing.problems[0].text(), "/nonexistent/spec.yaml: cannot read the file");
}

TEST(SpecParse, TheShippedSpecsAreValid) {
  for (const char* file : {"targets/calendar-server.yaml", "tests/apps/taskboard/taskboard.yaml"}) {
    auto r = parse_spec_file(std::string(CACHECHECK_SOURCE_DIR) + "/" + file, env({}));
    EXPECT_TRUE(r.spec) << file << ":\n" << all(r);
  }
}

TEST(SpecParse, TheReadmesExampleIsValidAndUnderSixtyLines) {
  std::ifstream in(std::string(CACHECHECK_SOURCE_DIR) + "/README.md");
  std::string readme((std::istreambuf_iterator<char>(in)), {});
  auto start = readme.find("```yaml\nname: my-calendar");
  ASSERT_NE(start, std::string::npos) << "README.md: no example spec under \"Test your own application\"";
  start += 8;
  std::string text = readme.substr(start, readme.find("```", start) - start);
  EXPECT_LT(std::count(text.begin(), text.end(), '\n'), 60);
  auto r = parse_spec_text(text, "README.md", env({}));
  ASSERT_TRUE(r.spec) << all(r);
  EXPECT_EQ(r.spec->users.size(), 3u);
  EXPECT_EQ(r.spec->feed.start_param, "start");
  EXPECT_FALSE(r.spec->hooks.reset);  // a typical app: no hooks, the harness's own namespace
}

// ---- templates ------------------------------------------------------------------

TEST(SpecTemplates, TypedWholeValuesTextElsewhereAndAbsentMembersLeftOut) {
  Vars v{{"title", "Plan"}, {"ids", json::array({1, 2})}, {"parent", nullptr}, {"n", 3}};
  json t = {{"name", "{title}"},     {"who", "{ids}"},     {"up", "{parent}"},        {"label", "#{n}: {title}"},
            {"gone", "{missing}"},  {"list", {"{n}", "{missing}"}}, {"brace", "{{x}}"}};
  json out = render(t, v);
  EXPECT_EQ(out, (json{{"name", "Plan"},
                       {"who", json::array({1, 2})},
                       {"up", nullptr},
                       {"label", "#3: Plan"},
                       {"list", json::array({3})},
                       {"brace", "{x}"}}));
  EXPECT_EQ(render_text("/a/{title}/{ids}", v, [](const std::string& s) { return "<" + s + ">"; }), "/a/<Plan>/<1,2>");
  EXPECT_THROW(render_text("/{missing}", v), std::out_of_range);
  EXPECT_THROW(variables_in("a } b"), std::invalid_argument);
  EXPECT_EQ(variables_in("{a}-{b}"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(text_of(json(true)), "true");
  EXPECT_EQ(text_of(json(nullptr)), "");
}

}  // namespace
