// The spec target against recorded answers: a small loopback server in the test
// answers what an application would, and records every request the target made.
// Each request must be built as the spec says (login, token, CSRF, parameter names,
// date formats, body templates, ids) and each answer decoded by it (envelopes, id
// prefixes, the application's names, exclusive ends, gone statuses, id lists).
#include <gtest/gtest.h>

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "spec/parse.h"
#include "targets/spec_target.h"

namespace {

using namespace cachecheck;
using nlohmann::json;

struct Seen {
  std::string method, path, body;
  std::multimap<std::string, std::string> params;
  std::multimap<std::string, std::string, httplib::detail::ci> headers;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  std::string param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? "<absent>" : it->second;
  }
};

struct Answer {
  int status = 200;
  std::string body;
  std::map<std::string, std::string> headers;
};

// A loopback server answering by "METHOD /path" (the first handler whose path
// prefix matches), recording everything.
class Recorder {
 public:
  using Handler = std::function<Answer(const Seen&)>;
  Recorder() {
    auto handle = [this](const httplib::Request& req, httplib::Response& res) {
      Seen s{req.method, req.path, req.body, {}, {}};
      for (auto& [k, v] : req.params) s.params.emplace(k, v);
      for (auto& [k, v] : req.headers) s.headers.emplace(k, v);
      Handler h;
      {
        std::lock_guard lock(mutex_);
        seen_.push_back(s);
        for (auto& [route, handler] : routes_)
          if ((req.method + " " + req.path).rfind(route, 0) == 0) {
            h = handler;
            break;
          }
      }
      Answer a = h ? h(s) : Answer{404, R"({"problem": "no route"})", {}};
      res.status = a.status;
      for (auto& [k, v] : a.headers) res.set_header(k, v);
      res.set_content(a.body, "application/json");
    };
    server_.Get(".*", handle);
    server_.Post(".*", handle);
    server_.Patch(".*", handle);
    server_.Put(".*", handle);
    server_.Delete(".*", handle);
    port_ = server_.bind_to_any_port("127.0.0.1");  // bound: connections queue until it listens
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the loop runs would be lost (and join() wait for ever): wait until it runs (bounded).
    for (int i = 0; i < 500 && !server_.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ~Recorder() {
    server_.stop();
    thread_.join();
  }
  void on(const std::string& route, Handler h) {
    std::lock_guard lock(mutex_);
    routes_.insert(routes_.begin(), {route, std::move(h)});
  }
  std::vector<Seen> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }
  std::vector<Seen> seen(const std::string& method, const std::string& path_prefix) {
    std::vector<Seen> out;
    for (auto& s : seen())
      if (s.method == method && s.path.rfind(path_prefix, 0) == 0) out.push_back(s);
    return out;
  }
  void forget() {
    std::lock_guard lock(mutex_);
    seen_.clear();
  }
  int port() const { return port_; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<std::pair<std::string, Handler>> routes_;
  std::vector<Seen> seen_;
};

std::string shop_spec(int port, const std::string& extra = "") {
  return R"(name: shop
base_url: http://127.0.0.1:)" +
         std::to_string(port) + R"(/app
timeout_s: 2
think_cap_s: 0.01
users:
  - {username: ann, password: "pw 1", id: 101}
  - {username: ben, password: pw2, id: 102}
login:
  path: /login
  form: {user: "{username}", pass: "{password}"}
  session: token
  token: {from: body, at: /token}
  send_token: {header: Authorization, value: "Bearer {token}"}
  csrf: {from: header, name: X-CSRF-Issued, header: X-CSRF}
feed:
  path: /api/events
  params: {start: from, end: to, type: kind, status: state}
  start_dates: datetime-z
  end_dates: "{date}T23:59:59Z"
  time_zone: {param: tz, value: UTC}
  events: /data/events
  event:
    id: {at: key, strip_prefix: "ev-"}
    title: name
    start: from
    end: until
    end_exclusive: true
    type: kind
    status: state
    parent: {at: up, strip_prefix: "ev-"}
values:
  work_type: {project: epic}
  status: {in_progress: doing}
item:
  at: /item
  id: id
  title: name
  work_type: kind
  status: state
  start_date: from
  due_date: until
  parent_id: up
  owner_id: owner
  assignee_ids: who
writes:
  create:
    path: /api/items
    json: {name: "{title}", kind: "{work_type}", state: "{status}", from: "{start_date}", until: "{due_date}",
           up: "{parent_id}", who: "{assignee_ids}", by: "{user_id}"}
    success: [201]
  edit:
    path: /api/items/{id}
    json: {name: "{title}", state: "{status}"}
  delete:
    path: /api/items/{id}
    deleted: {at: /removed, strip_prefix: "ev-"}
detail:
  path: /api/items/{id}
  gone: [410]
semantics: {range: inclusive-end, type_filter: exact, visibility: everybody}
)" + extra;
}

spec::TargetSpec parsed(const std::string& text) {
  auto r = spec::parse_spec_text(text, "shop.yaml");
  std::string problems;
  for (auto& p : r.problems) problems += p.text() + "\n";
  if (!r.spec) throw std::runtime_error(problems);
  return std::move(*r.spec);
}

// An application whose store the handlers below keep: ids are numbers, items
// answer {"item": {...}}, events {"data": {"events": [...]}}.
struct Shop {
  Recorder rec;
  std::mutex mutex;
  int next = 40;
  std::map<int, json> items;
  std::set<int> gone;

  Shop() {
    rec.on("POST /app/login", [](const Seen& s) {
      std::string user = s.param("user");
      return Answer{200, json{{"token", "tok-" + user}}.dump(), {{"X-CSRF-Issued", "csrf-" + user}}};
    });
    rec.on("POST /app/api/items", [this](const Seen& s) {
      std::lock_guard lock(mutex);
      json b = json::parse(s.body);
      json item = b;
      item["id"] = ++next;
      item["owner"] = b.value("by", json(nullptr));
      item.erase("by");
      items[next] = item;
      return Answer{201, json{{"item", item}}.dump(), {}};
    });
    rec.on("PATCH /app/api/items/", [this](const Seen& s) {
      std::lock_guard lock(mutex);
      int id = std::stoi(s.path.substr(s.path.rfind('/') + 1));
      if (!items.count(id)) return Answer{404, "{}", {}};
      items[id].update(json::parse(s.body));
      return Answer{200, json{{"item", items[id]}}.dump(), {}};
    });
    rec.on("DELETE /app/api/items/", [this](const Seen& s) {
      std::lock_guard lock(mutex);
      int id = std::stoi(s.path.substr(s.path.rfind('/') + 1));
      if (!items.count(id)) return Answer{gone.count(id) ? 410 : 404, "{}", {}};
      items.erase(id);
      gone.insert(id);
      return Answer{200, json{{"removed", {"ev-" + std::to_string(id)}}}.dump(), {}};
    });
    rec.on("GET /app/api/items/", [this](const Seen& s) {
      std::lock_guard lock(mutex);
      int id = std::stoi(s.path.substr(s.path.rfind('/') + 1));
      if (items.count(id)) return Answer{200, json{{"item", items[id]}}.dump(), {}};
      return Answer{gone.count(id) ? 410 : 404, "{}", {}};
    });
    rec.on("GET /app/api/events", [this](const Seen&) {
      std::lock_guard lock(mutex);
      json events = json::array();
      events.push_back({{"key", "ev-7"}, {"name", "Someone else's"}, {"from", "2025-10-02"}, {"until", "2025-10-03"},
                        {"kind", "task"}, {"state", "done"}, {"up", nullptr}});
      for (auto& [id, i] : items)
        events.push_back({{"key", "ev-" + std::to_string(id)},
                          {"name", i["name"]},
                          {"from", i["from"].get<std::string>() + "T00:00:00Z"},
                          {"until", Date::parse(i["until"].get<std::string>())->plus_days(1).iso()},
                          {"kind", i["kind"]},
                          {"state", i["state"]},
                          {"up", i["up"].is_null() ? json(nullptr) : json("ev-" + i["up"].get<std::string>())}});
      return Answer{200, json{{"data", {{"events", events}}}}.dump(), {}};
    });
  }
};

Item item(const std::string& id, const std::string& title, std::optional<std::string> parent = std::nullopt) {
  Item i;
  i.id = id;
  i.title = title;
  i.work_type = "project";
  i.status = "in_progress";
  i.start_date = *Date::parse("2025-10-05");
  i.due_date = *Date::parse("2025-10-07");
  i.parent_id = std::move(parent);
  i.owner_id = 1;
  i.assignee_ids = {2};
  return i;
}

Fixture fixture(std::vector<Item> items) {
  Fixture f;
  f.users = {{1, "alice", "alice"}, {2, "bob", "bob"}};
  f.items = std::move(items);
  f.start_time = *parse_instant("2025-10-05T09:00:00Z");
  return f;
}

TEST(SpecTarget, LogsInWithAFormAndSendsTheTokenAndTheCsrfHeader) {
  Shop shop;
  SpecTarget t(parsed(shop_spec(shop.rec.port())));
  t.connect();
  auto logins = shop.rec.seen("POST", "/app/login");
  ASSERT_EQ(logins.size(), 2u);
  EXPECT_EQ(logins[0].body, "pass=pw+1&user=ann");  // a form's fields go in name order
  EXPECT_EQ(logins[0].header("Content-Type"), "application/x-www-form-urlencoded");
  t.create(2, json{{"title", "x"}, {"work_type", "task"}, {"status", "not_started"},
                   {"start_date", "2025-10-05"}, {"due_date", "2025-10-05"}});
  auto creates = shop.rec.seen("POST", "/app/api/items");
  ASSERT_EQ(creates.size(), 1u);
  EXPECT_EQ(creates[0].header("Authorization"), "Bearer tok-ben");
  EXPECT_EQ(creates[0].header("X-CSRF"), "csrf-ben");
  shop.rec.forget();
  t.feed(1, FeedRequest{"", Query{}});
  auto feeds = shop.rec.seen("GET", "/app/api/events");
  ASSERT_EQ(feeds.size(), 1u);
  EXPECT_EQ(feeds[0].header("Authorization"), "Bearer tok-ann");
  EXPECT_EQ(feeds[0].header("X-CSRF"), "");  // a GET carries no CSRF token
}

TEST(SpecTarget, BuildsTheFeedQueryWithTheSpecsNamesAndDateFormats) {
  Shop shop;
  SpecTarget t(parsed(shop_spec(shop.rec.port())));
  t.connect();
  Query q{*Date::parse("2025-10-01"), *Date::parse("2025-10-31"), "project", "in_progress"};
  t.feed(1, FeedRequest{"start=2025-09-29T00%3A00%3A00%2B08%3A00&end=x", q});
  auto feeds = shop.rec.seen("GET", "/app/api/events");
  ASSERT_EQ(feeds.size(), 1u);
  EXPECT_EQ(feeds[0].param("from"), "2025-10-01T00:00:00Z");
  EXPECT_EQ(feeds[0].param("to"), "2025-10-31T23:59:59Z");
  EXPECT_EQ(feeds[0].param("kind"), "epic");    // the application's name for project
  EXPECT_EQ(feeds[0].param("state"), "doing");  // … and for in_progress
  EXPECT_EQ(feeds[0].param("tz"), "UTC");
  EXPECT_EQ(feeds[0].param("start"), "<absent>");

  // fullcalendar: the bounds exactly as the browser sent them, under the spec's names.
  auto s = shop_spec(shop.rec.port());
  const std::string bounds = "  start_dates: datetime-z\n  end_dates: \"{date}T23:59:59Z\"";
  s.replace(s.find(bounds), bounds.size(), "  dates: fullcalendar");
  SpecTarget fc(parsed(s));
  fc.connect();
  shop.rec.forget();
  fc.feed(1, FeedRequest{"start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-11-10T00%3A00%3A00%2B08%3A00", Query{}});
  feeds = shop.rec.seen("GET", "/app/api/events");
  ASSERT_EQ(feeds.size(), 1u);
  EXPECT_EQ(feeds[0].param("from"), "2025-09-29T00:00:00+08:00");
  EXPECT_EQ(feeds[0].param("to"), "2025-11-10T00:00:00+08:00");
}

TEST(SpecTarget, WithoutATypeParameterAFilteredReadIsIndeterminateWithTheReason) {
  Shop shop;
  auto s = shop_spec(shop.rec.port());
  s.replace(s.find(", type: kind"), 12, "");
  SpecTarget t(parsed(s));
  t.connect();
  Response r = t.feed(1, FeedRequest{"", Query{{}, {}, "task", {}}});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(read_outcome(r), Outcome::indeterminate);
  EXPECT_NE(r.transport_error.find("feed.params.type"), std::string::npos) << r.transport_error;
}

TEST(SpecTarget, WorksInItsOwnNamespaceWithoutAResetHook) {
  Shop shop;
  auto t = std::make_unique<SpecTarget>(parsed(shop_spec(shop.rec.port())));
  t->connect();
  ASSERT_FALSE(t->capabilities().reset);
  Item parent = item("00000000-0000-4000-8000-000000000001", "Parent");
  Item child = item("00000000-0000-4000-8000-000000000002", "Child", parent.id);
  Item hidden = item("00000000-0000-4000-8000-000000000003", "Hidden");
  hidden.is_calendar_visible = false;  // the create body cannot say so: not created
  t->reset(fixture({child, parent, hidden}));

  auto creates = shop.rec.seen("POST", "/app/api/items");
  ASSERT_EQ(creates.size(), 2u);
  json first = json::parse(creates[0].body), second = json::parse(creates[1].body);
  const std::string tag = t->title_tag();
  ASSERT_FALSE(tag.empty());
  EXPECT_EQ(first["name"], tag + "Parent");  // parents first, titles tagged
  EXPECT_EQ(first["kind"], "epic");
  EXPECT_EQ(first["state"], "doing");
  EXPECT_EQ(first["up"], nullptr);
  EXPECT_EQ(first["who"], json::array({102}));  // the application's user ids
  EXPECT_EQ(first["by"], 101);
  EXPECT_EQ(second["up"], "41");  // the parent's id in the application
  EXPECT_EQ(creates[0].header("Authorization"), "Bearer tok-ann");  // as the owner

  // Reads go through the id map; others' events are not evidence.
  Response r = t->feed(1, FeedRequest{"", Query{}});
  auto shown = t->decode_feed(r.body);
  ASSERT_EQ(shown.size(), 2u);
  EXPECT_EQ(shown[0].item_id, parent.id);
  EXPECT_EQ(shown[0].title, "Parent");
  EXPECT_EQ(shown[0].work_type, "project");
  EXPECT_EQ(shown[0].status, "in_progress");
  EXPECT_EQ(shown[0].start, parent.start_date);
  EXPECT_EQ(shown[0].end, parent.due_date);  // the exclusive end, moved back a day
  EXPECT_EQ(shown[1].parent_id, parent.id);
  EXPECT_EQ(t->decode_events(r.body, false).size(), 3u);

  shop.rec.forget();
  EXPECT_EQ(t->detail(2, child.id).status, 200);
  EXPECT_EQ(shop.rec.seen()[0].path, "/app/api/items/42");
  Response h = t->detail(1, hidden.id);
  EXPECT_EQ(h.status, 404);  // never created: gone, and said why
  EXPECT_NE(h.body.find("cannot hold a hidden item"), std::string::npos);
  EXPECT_EQ(shop.rec.seen().size(), 1u);

  // An edit: the PATCH names the application's id, sends only what the template has.
  Response e = t->edit(2, child.id, json{{"title", "Child renamed"}, {"work_type", "task"}});
  auto patches = shop.rec.seen("PATCH", "/app/api/items/42");
  ASSERT_EQ(patches.size(), 1u);
  EXPECT_EQ(json::parse(patches[0].body), (json{{"name", tag + "Child renamed"}}));
  Item edited = t->decode_item(e);
  EXPECT_EQ(edited.id, child.id);
  EXPECT_EQ(edited.title, "Child renamed");
  EXPECT_EQ(edited.work_type, "project");  // not sent, and the answer keeps it
  EXPECT_EQ(edited.parent_id, parent.id);

  // A delete: the answer's id list, read back as the harness's ids.
  Response d = t->remove(1, parent.id);
  EXPECT_EQ(t->decode_deleted(d), std::vector<std::string>{parent.id});
  EXPECT_EQ(t->detail(1, parent.id).status, 404);  // the spec's "gone" (410) reads as 404

  // The end of the cell: the target goes, and everything it created is deleted.
  shop.rec.forget();
  t = nullptr;
  auto deletes = shop.rec.seen("DELETE", "/app/api/items/");
  ASSERT_EQ(deletes.size(), 2u);
  EXPECT_EQ(deletes[0].path, "/app/api/items/42");  // children first
  EXPECT_EQ(deletes[1].path, "/app/api/items/41");
  EXPECT_TRUE(shop.items.empty());
}

TEST(SpecTarget, ANewItemIsOursAndItsAnswerIsReadInTheContractsTerms) {
  Shop shop;
  SpecTarget t(parsed(shop_spec(shop.rec.port())));
  t.connect();
  t.reset(fixture({}));
  Response c = t.create(1, json{{"title", "New"}, {"work_type", "project"}, {"status", "in_progress"},
                                {"start_date", "2025-10-05"}, {"due_date", "2025-10-06"}, {"assignee_ids", {2}}});
  Item i = t.decode_item(c);
  EXPECT_EQ(i.id, "41");
  EXPECT_EQ(i.title, "New");
  EXPECT_EQ(i.work_type, "project");
  EXPECT_EQ(i.owner_id, 1);
  EXPECT_EQ(i.assignee_ids, std::vector<UserId>{2});
  auto shown = t.decode_feed(t.feed(2, FeedRequest{"", Query{}}).body);
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].item_id, "41");
}

TEST(SpecTarget, AnswersThatDoNotDecodeSayWhy) {
  Shop shop;
  SpecTarget t(parsed(shop_spec(shop.rec.port())));
  t.connect();
  shop.rec.on("POST /app/api/items", [](const Seen&) { return Answer{201, R"({"thing": {}})", {}}; });
  Response c = t.create(1, json{{"title", "x"}});
  EXPECT_EQ(write_outcome(c), Outcome::ok);  // it happened, but what it did is unknown:
  try {
    t.decode_item(c);
    ADD_FAILURE() << "decoded";
  } catch (const DecodeError& e) {
    EXPECT_NE(std::string(e.what()).find("no item at /item"), std::string::npos) << e.what();
  }
  shop.rec.on("POST /app/api/items", [](const Seen&) { return Answer{200, R"({"item": {"id": 5}})", {}}; });
  Response ok_but_not_201 = t.create(1, json{{"title", "x"}});
  EXPECT_THROW(t.decode_item(ok_but_not_201), DecodeError);
  shop.rec.on("DELETE /app/api/items/", [](const Seen&) { return Answer{200, R"({"removed": "all"})", {}}; });
  EXPECT_THROW(t.decode_deleted(t.remove(1, "5")), DecodeError);
  EXPECT_THROW(t.decode_feed(R"({"data": {}})"), DecodeError);
  EXPECT_THROW(t.decode_feed(R"({"data": {"events": [{"name": "no id"}]}})"), DecodeError);
  EXPECT_THROW(t.decode_events(R"({"data": {"events": [{"key": "ev-1", "name": "x", "from": "soon", "until": "2025-10-01"}]}})",
                               /*only_ours=*/false),
               DecodeError);
  EXPECT_THROW(t.decode_feed("<html>"), DecodeError);
}

TEST(SpecTarget, WithoutAnIdListACascadingDeleteTakesTheSubtreeTheHarnessKnows) {
  Shop shop;
  auto s = shop_spec(shop.rec.port());
  s.replace(s.find("    deleted: {at: /removed"), 48, "    cascade: true");
  SpecTarget t(parsed(s));
  t.connect();
  Item a = item("a", "A"), b = item("b", "B", "a"), c = item("c", "C", "b"), d = item("d", "D");
  t.reset(fixture({a, b, c, d}));
  auto ids = t.decode_deleted(t.remove(1, "a"));
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(SpecTarget, AResetCommandGetsTheResetJsonAndTheClockHookItsTime) {
  Shop shop;
  auto dir = std::filesystem::temp_directory_path() / ("spec-target-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string out = (dir / "reset.json").string();
  SpecTarget t(parsed(shop_spec(shop.rec.port(), "hooks:\n  reset: {command: 'cp \"$CACHECHECK_RESET_FILE\" " + out +
                                                  " && test \"$CACHECHECK_VISIBILITY\" = global'}\n"
                                                  "  clock: {path: /admin/clock, json: {by: \"{advance_s}\", at: \"{now}\"}}\n")));
  shop.rec.on("POST /app/admin/clock", [](const Seen&) { return Answer{200, "{}", {}}; });
  t.connect();
  EXPECT_TRUE(t.capabilities().reset);
  EXPECT_TRUE(t.capabilities().manual_clock);
  t.reset(fixture({item("x1", "One")}));
  std::ifstream in(out);
  json doc = json::parse(in);
  EXPECT_EQ(doc["users"][0], (json{{"id", 101}, {"username", "ann"}, {"password", "pw 1"}}));
  EXPECT_EQ(doc["items"][0]["id"], "x1");
  EXPECT_EQ(doc["items"][0]["owner_id"], 101);
  EXPECT_EQ(doc["items"][0]["assignee_ids"], json::array({102}));
  EXPECT_EQ(doc["visibility"], "global");
  EXPECT_TRUE(t.title_tag().empty());  // reset: no namespace, ids as given
  EXPECT_EQ(shop.rec.seen("POST", "/app/api/items").size(), 0u);
  t.set_now(*parse_instant("2025-10-05T09:00:02.500Z"));
  auto clocks = shop.rec.seen("POST", "/app/admin/clock");
  ASSERT_EQ(clocks.size(), 2u);
  EXPECT_EQ(json::parse(clocks[0].body), (json{{"by", 0.0}, {"at", "2025-10-05T09:00:00Z"}}));
  EXPECT_EQ(json::parse(clocks[1].body), (json{{"by", 2.5}, {"at", "2025-10-05T09:00:02.500Z"}}));
  EXPECT_EQ(t.now(), *parse_instant("2025-10-05T09:00:02.500Z"));
  std::filesystem::remove_all(dir);
}

TEST(SpecTarget, AFailingOrHangingHookIsATargetErrorWithItsReason) {
  Shop shop;
  SpecTarget failing(parsed(shop_spec(shop.rec.port(), "hooks:\n  reset: {command: 'echo no database >&2; exit 3'}\n")));
  try {
    failing.reset(fixture({}));
    ADD_FAILURE() << "reset passed";
  } catch (const TargetError& e) {
    EXPECT_NE(std::string(e.what()).find("exit 3: no database"), std::string::npos) << e.what();
  }
  SpecTarget hanging(parsed(shop_spec(shop.rec.port(), "hooks:\n  flush: {command: 'sleep 30', timeout_s: 0.2}\n")));
  auto started = std::chrono::steady_clock::now();
  try {
    hanging.flush();
    ADD_FAILURE() << "flush passed";
  } catch (const TargetError& e) {
    EXPECT_NE(std::string(e.what()).find("timed out"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));  // it was killed, not awaited
  shop.rec.on("POST /app/admin/flush", [](const Seen&) { return Answer{503, R"({"problem": "busy"})", {}}; });
  SpecTarget refused(parsed(shop_spec(shop.rec.port(), "hooks:\n  flush: {path: /admin/flush}\n")));
  try {
    refused.flush();
    ADD_FAILURE() << "flush passed";
  } catch (const TargetError& e) {
    EXPECT_NE(std::string(e.what()).find("the flush hook answered HTTP 503"), std::string::npos) << e.what();
  }
}

TEST(SpecTarget, AnUnreachableApplicationIsATargetErrorAndNoAnswerIsIndeterminate) {
  int port = 0;
  {
    Recorder gone;  // a port that was just free
    port = gone.port();
  }
  SpecTarget t(parsed(shop_spec(port)));
  try {
    t.connect();
    ADD_FAILURE() << "connected";
  } catch (const TargetError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot reach shop"), std::string::npos) << e.what();
  }
  Response r = t.detail(1, "x");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(read_outcome(r), Outcome::indeterminate);
  EXPECT_FALSE(r.transport_error.empty());
}

TEST(SpecTarget, OneUrlPerProcessRoutesItself) {
  Shop one, two;
  auto s = shop_spec(one.rec.port());
  s.replace(s.find("base_url: http://127.0.0.1:" + std::to_string(one.rec.port()) + "/app"),
            std::string("base_url: http://127.0.0.1:" + std::to_string(one.rec.port()) + "/app").size(),
            "base_urls: [http://127.0.0.1:" + std::to_string(one.rec.port()) + "/app, http://127.0.0.1:" +
                std::to_string(two.rec.port()) + "/app]");
  SpecTarget t(parsed(s));
  t.connect();
  EXPECT_EQ(t.capabilities().workers, 2);
  EXPECT_TRUE(t.capabilities().faults.count(Fault::route));
  one.rec.forget();
  two.rec.forget();
  std::vector<int> workers;
  for (int i = 0; i < 4; ++i) workers.push_back(t.client().worker_of(t.feed(1, FeedRequest{"", Query{}})).value_or(-1));
  EXPECT_EQ(workers, (std::vector<int>{0, 1, 0, 1}));  // round-robin
  t.route(1);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(t.client().worker_of(t.feed(1, FeedRequest{"", Query{}})), 1);
  EXPECT_EQ(one.rec.seen("GET", "/app/api/events").size(), 2u);
  EXPECT_EQ(two.rec.seen("GET", "/app/api/events").size(), 5u);
}

TEST(SpecTarget, CapabilitiesFollowTheHooks) {
  auto none = SpecTarget::capabilities_of(parsed(shop_spec(1)), TargetConfig{});
  EXPECT_FALSE(none.reset);
  EXPECT_FALSE(none.manual_clock);
  EXPECT_TRUE(none.faults.empty());
  EXPECT_FALSE(none.probe);
  EXPECT_EQ(none.users, 2);
  EXPECT_EQ(none.visibility, Visibility::global);
  EXPECT_DOUBLE_EQ(none.max_think_s, 0.01);
  EXPECT_EQ(none.semantics.range, RangeRule::inclusive_end);
  TargetConfig short_wait;
  short_wait.max_wait_s = 0.001;
  EXPECT_DOUBLE_EQ(SpecTarget::capabilities_of(parsed(shop_spec(1)), short_wait).max_think_s, 0.001);
  auto all = SpecTarget::capabilities_of(
      parsed(shop_spec(1, "hooks:\n  flush: {path: /f}\n  evict: {path: /e, json: {k: \"{keys}\"}}\n"
                          "  evict_random: {path: /e}\n  evict_version: {path: /e}\n  route: {path: /r}\n"
                          "  clock: {path: /c, json: {t: \"{now}\"}}\n  stats: {path: /s, counters: {cache_hits: /h}}\n")),
      TargetConfig{});
  EXPECT_EQ(all.faults.size(), 5u);
  EXPECT_TRUE(all.manual_clock);
  EXPECT_DOUBLE_EQ(all.max_think_s, 0);
  EXPECT_TRUE(all.probe);
}

}  // namespace
