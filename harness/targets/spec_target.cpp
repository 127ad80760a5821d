// A target built from a target spec (see spec_target.h).
#include "targets/spec_target.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>

#include "browser/fullcalendar.h"
#include "browser/query_string.h"
#include "model/item_json.h"
#include "spec/command.h"
#include "spec/parse.h"
#include "spec/requests.h"

namespace cachecheck {
namespace {

using nlohmann::json;
using spec::Vars;

bool unsafe(const std::string& method) { return method != "GET" && method != "HEAD"; }
bool is_2xx(int status) { return status >= 200 && status < 300; }

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string where_text(const spec::Field& f) { return f.pointer.empty() ? "the top of the answer" : f.pointer; }

// The value a field names in `j`; null when the spec does not name it or the answer lacks it.
const json* at(const json& j, const spec::Field& f) {
  if (!f.given) return nullptr;
  if (f.pointer.empty()) return &j;
  try {
    json::json_pointer p(f.pointer);
    return j.contains(p) ? &j.at(p) : nullptr;
  } catch (const json::exception&) {
    return nullptr;
  }
}

std::string id_text(const json& v, const spec::Field& f, const std::string& what) {
  std::string s;
  if (v.is_string()) s = v.get<std::string>();
  else if (v.is_number_integer()) s = v.dump();
  else throw DecodeError(what + " at " + where_text(f) + " is not an id: " + v.dump().substr(0, 60));
  if (!f.strip_prefix.empty() && s.rfind(f.strip_prefix, 0) == 0) s.erase(0, f.strip_prefix.size());
  return s;
}

Date date_value(const json& v, const spec::Field& f, const std::string& what) {
  auto d = v.is_string() ? date_part(v.get<std::string>()) : std::nullopt;
  if (!d) throw DecodeError(what + " at " + where_text(f) + " is not a date: " + v.dump().substr(0, 60));
  return *d;
}

std::string text_value(const json& v, const spec::Field& f, const std::string& what) {
  if (!v.is_string()) throw DecodeError(what + " at " + where_text(f) + " is not text: " + v.dump().substr(0, 60));
  return v.get<std::string>();
}

std::string strip_tag(const std::string& title, const std::string& tag) {
  return !tag.empty() && title.rfind(tag, 0) == 0 ? title.substr(tag.size()) : title;
}

HttpRequest build(const spec::RequestSpec& rs, const Vars& vars, const std::string& query) {
  return spec::build_request(rs, vars, query);
}

TimeMs real_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string random_tag() {
  std::random_device rd;  // uniqueness among concurrent runs, not a seeded choice: titles only
  char buf[32];
  std::snprintf(buf, sizeof buf, "[cc-%08x] ", rd());
  return buf;
}

}  // namespace

struct SpecTarget::Session {
  UserId user = 0;
  std::size_t index = 0;  // in spec_.users
  std::mutex mutex;       // guards the three below
  CookieJar jar;
  std::string token, csrf;
};

// ---------------------------------------------------------------------------
// Construction, capabilities

SpecTarget::SpecTarget(spec::TargetSpec s, TargetConfig config) : spec_(std::move(s)), config_(std::move(config)) {
  caps_ = capabilities_of(spec_, config_);
  double hook_timeout = spec_.timeout_s;
  for (const auto* h : {&spec_.hooks.reset, &spec_.hooks.flush, &spec_.hooks.clock, &spec_.hooks.route,
                        &spec_.hooks.evict, &spec_.hooks.evict_random, &spec_.hooks.evict_version})
    if (*h) hook_timeout = std::max(hook_timeout, (*h)->timeout_s);
  for (const auto& url : spec_.base_urls) {
    std::string error;
    auto base = parse_base_url(url, error);
    if (!base) throw TargetError(spec_.file + ": base URL '" + url + "': " + error);
    pools_.push_back(std::make_unique<HttpPool>(*base, spec_.timeout_s));
  }
  if (pools_.empty()) throw TargetError(spec_.file + ": no base URL");
  admin_pool_ = std::make_unique<HttpPool>(pools_[0]->base(), hook_timeout);
  if (namespaced()) tag_ = random_tag();
  std::vector<User> users;
  for (std::size_t i = 0; i < spec_.users.size(); ++i)
    users.push_back({static_cast<UserId>(i + 1), spec_.users[i].username, spec_.users[i].password});
  map_users(users);
}

SpecTarget::~SpecTarget() {
  try {
    clean_up();
  } catch (...) {  // a destructor reports nothing; what could not be deleted stays tagged
  }
}

Capabilities SpecTarget::capabilities_of(const spec::TargetSpec& s, const TargetConfig& config) {
  Capabilities c;
  const spec::Hooks& h = s.hooks;
  c.reset = h.reset.has_value();
  c.manual_clock = h.clock.has_value();
  if (h.flush) c.faults.insert(Fault::flush);
  if (h.evict) c.faults.insert(Fault::evict);
  if (h.evict_random) c.faults.insert(Fault::evict_random);
  if (h.evict_version) c.faults.insert(Fault::evict_version);
  if (h.route || (s.separate_processes && s.base_urls.size() > 1)) c.faults.insert(Fault::route);
  c.workers = s.processes;
  c.probe = h.stats && !h.stats->counters.empty();
  c.deterministic = false;
  c.staleness_bound_s = s.freshness_bound_s;
  c.strategy = s.strategy;
  c.semantics = s.semantics;
  c.users = static_cast<int>(s.users.size());
  c.visibility = s.visibility;
  c.max_think_s = c.manual_clock ? 0.0 : std::min(s.think_cap_s, config.max_wait_s);
  return c;
}

void SpecTarget::connect() {
  if (const auto& st = spec_.hooks.stats) {
    Response r = admin_pool_->send("admin", build(st->request, {}, ""));
    if (r.status == 0) throw TargetError("cannot reach " + spec_.name + ": " + r.transport_error);
    if (!st->request.succeeded(r.status))
      throw TargetError(spec_.name + ": the stats hook answered " + response_error(r));
    auto j = json::parse(r.body, nullptr, false);
    if (const json* v = at(j, st->strategy); v && v->is_string()) caps_.strategy = v->get<std::string>();
    if (const json* v = at(j, st->processes); v && v->is_number_unsigned()) {
      caps_.workers = v->get<int>();
      notes_.clear();
      if (config_.workers > 0 && caps_.workers != config_.workers)
        notes_.push_back(spec_.name + " runs " + std::to_string(caps_.workers) + " process(es), not " +
                         std::to_string(config_.workers));
    }
    if (const json* v = at(j, st->freshness_bound_s); v && v->is_number()) caps_.staleness_bound_s = v->get<double>();
  }
  if (spec_.hooks.reset) return;  // the users may exist only once a reset has made them: reset() logs in
  for (const auto& error : log_in_users())
    if (!error.empty()) throw TargetError(error);
}

// ---------------------------------------------------------------------------
// Users and sessions

void SpecTarget::map_users(const std::vector<User>& users) {
  if (users.size() > spec_.users.size())
    throw TargetError(spec_.name + " has " + std::to_string(spec_.users.size()) + " test user(s); the case needs " +
                      std::to_string(users.size()));
  std::map<UserId, std::unique_ptr<Session>> next;
  spec_user_.clear();
  for (std::size_t i = 0; i < users.size(); ++i) {
    auto s = std::make_unique<Session>();
    s->user = users[i].id;
    s->index = i;
    spec_user_[users[i].id] = i;
    next[users[i].id] = std::move(s);
  }
  sessions_ = std::move(next);
}

SpecTarget::Session& SpecTarget::session(UserId user) const {
  auto it = sessions_.find(user);
  if (it == sessions_.end())
    throw TargetError(spec_.name + ": user " + std::to_string(user) + " is not one of the case's users");
  return *it->second;
}

json SpecTarget::app_user_id(UserId user) const {
  auto it = spec_user_.find(user);
  return it == spec_user_.end() ? json(user) : spec_.users[it->second].app_id;
}

std::optional<UserId> SpecTarget::harness_user(const json& app_id) const {
  for (auto& [user, index] : spec_user_) {
    const json& ours_id = spec_.users[index].app_id;
    if (ours_id == app_id || spec::text_of(ours_id) == spec::text_of(app_id)) return user;  // 7 and "7" alike
  }
  return std::nullopt;
}

void SpecTarget::login(Session& s) {
  const spec::SpecUser& u = spec_.users[s.index];
  const spec::Login& l = spec_.login;
  {
    std::lock_guard lock(s.mutex);
    s.jar.clear();
    s.token.clear();
    s.csrf.clear();
  }
  Response r = pools_[0]->send("u" + std::to_string(s.user),
                               build(l.request, {{"username", u.username}, {"password", u.password}, {"user_id", u.app_id}}, ""));
  const std::string as = "logging in as '" + u.username + "'";
  if (r.status == 0) throw TargetError("cannot reach " + spec_.name + " (" + as + "): " + r.transport_error);
  if (!l.request.succeeded(r.status)) throw TargetError(spec_.name + ": " + as + " answered " + response_error(r));
  std::lock_guard lock(s.mutex);
  for (const auto& line : set_cookie_lines(r)) apply_set_cookie(s.jar, line);
  auto read = [&](const spec::TokenRead& t, const std::string& what) {
    std::string value;
    if (t.from == spec::TokenSource::body) {
      auto j = json::parse(r.body, nullptr, false);
      const json* v = at(j, t.at);
      if (v && v->is_string()) value = v->get<std::string>();
      if (value.empty()) throw TargetError(spec_.name + ": " + as + " answered no " + what + " at " + where_text(t.at));
    } else if (t.from == spec::TokenSource::header) {
      value = r.header(lower(t.name));
      if (value.empty()) throw TargetError(spec_.name + ": " + as + " answered no " + what + " header " + t.name);
    } else {
      auto it = s.jar.find(t.name);
      if (it == s.jar.end()) throw TargetError(spec_.name + ": " + as + " set no " + what + " cookie " + t.name);
      value = it->second;
    }
    return value;
  };
  if (l.session == spec::SessionKind::token) s.token = read(l.token, "token");
  if (l.csrf) s.csrf = read(*l.csrf, "CSRF token");
}

std::vector<std::string> SpecTarget::log_in_users() {
  std::vector<User> users;
  for (std::size_t i = 0; i < spec_.users.size(); ++i)
    users.push_back({static_cast<UserId>(i + 1), spec_.users[i].username, spec_.users[i].password});
  map_users(users);
  std::vector<std::string> errors;
  for (auto& [_, s] : sessions_) {
    try {
      login(*s);
      errors.emplace_back();
    } catch (const TargetError& e) {
      errors.emplace_back(e.what());
    }
  }
  return errors;
}

std::size_t SpecTarget::pool_for_user_request() {
  if (pools_.size() == 1) return 0;
  long long pinned = pinned_.load();
  if (pinned >= 0) return static_cast<std::size_t>(pinned) % pools_.size();
  return round_robin_.fetch_add(1) % pools_.size();
}

Response SpecTarget::as_user(UserId user, const spec::RequestSpec& rs, Vars vars, const std::string& query) {
  Session& s = session(user);
  const spec::SpecUser& u = spec_.users[s.index];
  vars.emplace("user_id", u.app_id);
  vars.emplace("username", u.username);
  HttpRequest req = build(rs, vars, query);
  const spec::Login& l = spec_.login;
  {
    std::lock_guard lock(s.mutex);
    std::string cookie = cookie_header(s.jar);
    if (!cookie.empty()) req.headers.emplace_back("Cookie", cookie);
    if (l.session == spec::SessionKind::token)
      req.headers.emplace_back(l.send_header, spec::render_text(l.send_value.value.get<std::string>(), {{"token", s.token}}));
    if (l.csrf && unsafe(rs.method)) {
      std::string value = s.csrf;
      if (l.csrf->from == spec::TokenSource::cookie)
        if (auto it = s.jar.find(l.csrf->name); it != s.jar.end()) value = it->second;
      req.headers.emplace_back(l.csrf_header, value);
    }
  }
  std::size_t pool = pool_for_user_request();
  Response r = pools_[pool]->send("u" + std::to_string(user), req);
  if (r.status == 0) r.transport_error += " as " + u.username;
  if (r.status != 0 && spec_.separate_processes && !r.headers.count("x-worker"))
    r.headers["x-worker"] = std::to_string(pool);  // the process that answered: the URL it was sent to
  std::lock_guard lock(s.mutex);
  for (const auto& line : set_cookie_lines(r)) apply_set_cookie(s.jar, line);
  return r;
}

// ---------------------------------------------------------------------------
// Hooks

json SpecTarget::run_hook(const spec::Hook& hook, const char* name, const Vars& vars) {
  const std::string what = std::string("the ") + name + " hook";
  if (hook.request) {
    Response r = admin_pool_->send("admin", build(*hook.request, vars, ""));
    if (r.status == 0) throw TargetError("cannot reach " + spec_.name + " for " + what + ": " + r.transport_error);
    if (!hook.request->succeeded(r.status)) throw TargetError(spec_.name + ": " + what + " answered " + response_error(r));
    return json::parse(r.body, nullptr, false);
  }
  std::map<std::string, std::string> env{{"CACHECHECK_BASE_URL", pools_[0]->base().text()}};
  for (auto& [k, v] : vars) {
    std::string key = "CACHECHECK_" + k;
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    env[key] = v.is_structured() ? v.dump() : spec::text_of(v);
  }
  std::filesystem::path file;
  if (auto it = vars.find("reset"); it != vars.end()) {
    static std::atomic<int> counter{0};
    file = std::filesystem::temp_directory_path() /
           ("cachecheck-reset-" + std::to_string(getpid()) + "-" + std::to_string(++counter) + ".json");
    std::ofstream(file) << it->second.dump() << "\n";
    env["CACHECHECK_RESET_FILE"] = file.string();
  }
  spec::CommandResult result = spec::run_command(hook.command, env, hook.timeout_s);
  if (!file.empty()) std::filesystem::remove(file);
  if (!result.ok())
    throw TargetError(spec_.name + ": " + what + " (" + hook.command + ") failed: " + result.describe() +
                      (result.timed_out ? " (after " + spec::text_of(json(hook.timeout_s)) + " s)" : ""));
  return nullptr;
}

namespace {
std::optional<std::size_t> affected(const spec::Hook& hook, const json& answer) {
  const json* v = at(answer, hook.affected);
  if (!v || !v->is_number_unsigned()) return std::nullopt;
  return v->get<std::size_t>();
}
}  // namespace

std::optional<std::size_t> SpecTarget::evict(const std::vector<std::string>& keys) {
  const auto& h = *spec_.hooks.evict;
  return affected(h, run_hook(h, "evict", {{"keys", keys}}));
}

std::optional<std::size_t> SpecTarget::evict_version(std::optional<UserId> user) {
  const auto& h = *spec_.hooks.evict_version;
  return affected(h, run_hook(h, "evict_version", {{"user", user ? app_user_id(*user) : json("global")}}));
}

std::optional<std::size_t> SpecTarget::evict_random(std::size_t n, std::uint64_t seed) {
  const auto& h = *spec_.hooks.evict_random;
  return affected(h, run_hook(h, "evict_random", {{"count", n}, {"seed", seed}}));
}

void SpecTarget::flush() { run_hook(*spec_.hooks.flush, "flush", {}); }

void SpecTarget::route(std::optional<std::size_t> worker) {
  if (!spec_.hooks.route) {  // base_urls: the harness picks the URL
    pinned_ = worker ? static_cast<long long>(*worker % pools_.size()) : -1;
    return;
  }
  json w = nullptr;
  if (worker) w = caps_.workers > 0 ? *worker % static_cast<std::size_t>(caps_.workers) : *worker;
  run_hook(*spec_.hooks.route, "route", {{"worker", w}});
}

ProbeCounters SpecTarget::counters() {
  const spec::Stats& st = *spec_.hooks.stats;
  Response r = admin_pool_->send("admin", build(st.request, {}, ""));
  if (r.status == 0) throw TargetError("cannot reach " + spec_.name + " for the stats hook: " + r.transport_error);
  if (!st.request.succeeded(r.status)) throw TargetError(spec_.name + ": the stats hook answered " + response_error(r));
  auto j = json::parse(r.body, nullptr, false);
  ProbeCounters p;
  for (auto [name, member] : kProbeFields)
    if (auto it = st.counters.find(name); it != st.counters.end())
      if (const json* v = at(j, it->second); v && v->is_number_unsigned()) p.*member = v->get<std::uint64_t>();
  return p;
}

// ---------------------------------------------------------------------------
// Clock

TimeMs SpecTarget::now() {
  if (!caps_.manual_clock) {
    // The real clock in ms, made strictly increasing: on loopback a write can complete
    // and the next read start within one millisecond, and equal instants would read as
    // overlapping (the oracle could not say the read came after the write). Each call
    // is one ms after the last at least, in the order the calls were made.
    TimeMs t = real_now(), last = last_now_.load();
    while (!last_now_.compare_exchange_weak(last, std::max(t, last + 1))) {
    }
    return std::max(t, last + 1);
  }
  std::lock_guard lock(clock_mutex_);
  return now_ ? *now_ : real_now();
}

void SpecTarget::assume_now(TimeMs t) {
  std::lock_guard lock(clock_mutex_);
  now_ = t;
}

void SpecTarget::set_now(TimeMs t) {
  if (!caps_.manual_clock) throw TargetError(spec_.name + " runs on the real clock (no clock hook): it cannot be set");
  std::lock_guard lock(clock_mutex_);  // held across the hook: clock changes stay in order
  if (now_ && *now_ >= t) return;
  double advance = now_ ? static_cast<double>(t - *now_) / 1000.0 : 0.0;
  run_hook(*spec_.hooks.clock, "clock", {{"now", format_instant(t)}, {"advance_s", advance}});
  now_ = t;
}

// ---------------------------------------------------------------------------
// Reset: a hook, or the harness's own namespace

void SpecTarget::reset(const Fixture& fixture) {
  if (namespaced()) clean_up();  // the previous case's items, with the previous case's sessions
  map_users(fixture.users);
  if (spec_.hooks.reset) {
    json users = json::array(), items = json::array();
    for (const auto& u : fixture.users) {
      const spec::SpecUser& su = spec_.users[spec_user_.at(u.id)];
      users.push_back({{"id", su.app_id}, {"username", su.username}, {"password", su.password}});
    }
    for (const auto& item : fixture.items) {
      json j = to_json(item);
      j["owner_id"] = app_user_id(item.owner_id);
      j["assignee_ids"] = json::array();
      for (UserId a : item.assignee_ids) j["assignee_ids"].push_back(app_user_id(a));
      items.push_back(std::move(j));
    }
    std::string visibility(to_string(spec_.visibility.value_or(fixture.visibility)));
    json doc{{"users", users}, {"items", items}, {"visibility", visibility}};
    run_hook(*spec_.hooks.reset, "reset",
             {{"reset", doc}, {"users", users}, {"items", items}, {"visibility", visibility},
              {"now", format_instant(fixture.start_time)}});
    std::lock_guard lock(ids_mutex_);
    known_.clear();
    for (const auto& item : fixture.items) known_[item.id] = item;
  }
  if (caps_.manual_clock) {
    {
      std::lock_guard lock(clock_mutex_);
      now_.reset();
    }
    set_now(fixture.start_time);
  }
  for (auto& [_, s] : sessions_) login(*s);
  if (namespaced()) {
    // The application's caches would carry the previous case's answers into this one:
    // a flush hook empties them first, so that each case (and its replay) starts alike.
    if (spec_.hooks.flush) flush();
    build_fixture(fixture);
  }
}

void SpecTarget::build_fixture(const Fixture& fixture) {
  {
    std::lock_guard lock(ids_mutex_);
    to_real_.clear();
    to_harness_.clear();
    known_.clear();
    not_built_.clear();
  }
  const spec::Write& create = spec_.writes.create;
  const bool can_hide = create.request.body.variables().count("is_calendar_visible") > 0;
  // Parents before children, whatever the fixture's order.
  std::vector<const Item*> order;
  std::set<std::string> placed, ids;
  for (const auto& i : fixture.items) ids.insert(i.id);
  while (order.size() < fixture.items.size()) {
    std::size_t before = order.size();
    for (const auto& i : fixture.items)
      if (!placed.count(i.id) && (!i.parent_id || !ids.count(*i.parent_id) || placed.count(*i.parent_id))) {
        order.push_back(&i);
        placed.insert(i.id);
      }
    if (order.size() == before) throw TargetError("the fixture's parent links form a cycle");
  }
  for (const Item* item : order) {
    {
      std::lock_guard lock(ids_mutex_);
      if (!item->is_calendar_visible && !can_hide) {
        not_built_.insert(item->id);
        continue;
      }
      if (item->parent_id && not_built_.count(*item->parent_id))
        throw TargetError(spec_.name + ": the fixture's item '" + item->title +
                          "' is a child of a hidden item, and the application cannot hold hidden items (the create "
                          "body sends no {is_calendar_visible})");
    }
    json fields = to_json(*item);
    fields.erase("id");
    const std::string as = "'" + item->title + "' as " + spec_.users[spec_user_.at(item->owner_id)].username;
    Response r = as_user(item->owner_id, create.request, write_vars(item->owner_id, fields));
    if (!create.request.succeeded(r.status))
      throw TargetError(spec_.name + ": cannot create the fixture's item " + as + ": " + response_error(r));
    Item got;
    try {
      Item base = with_sent(*item, create, fields);
      base.id.clear();
      got = decode_written(r, base);
    } catch (const DecodeError& e) {
      throw TargetError(spec_.name + ": creating the fixture's item " + as + ": " + e.what());
    }
    std::lock_guard lock(ids_mutex_);
    to_real_[item->id] = got.id;
    to_harness_[got.id] = item->id;
    ours_.insert(got.id);
    created_.push_back({got.id, item->owner_id});
    known_[item->id] = *item;
    got.id = item->id;
    Item expected = *item;
    std::sort(got.assignee_ids.begin(), got.assignee_ids.end());
    std::sort(expected.assignee_ids.begin(), expected.assignee_ids.end());
    if (!(got == expected))
      throw TargetError(spec_.name + ": the application stored the fixture's item " + as + " differently: sent " +
                        to_json(expected).dump() + ", it answered " + to_json(got).dump() +
                        " (check the spec's item fields and values)");
  }
}

std::size_t SpecTarget::clean_up() {
  std::vector<Created> items;
  {
    std::lock_guard lock(ids_mutex_);
    items.swap(created_);
  }
  std::size_t failed = 0;
  for (auto it = items.rbegin(); it != items.rend(); ++it) {  // children (created later) first
    try {
      Response r = as_user(it->owner, spec_.writes.remove, {{"id", it->real_id}});
      auto& gone = spec_.detail.gone;
      if (!is_2xx(r.status) && r.status != 404 && std::find(gone.begin(), gone.end(), r.status) == gone.end()) ++failed;
    } catch (const std::exception&) {
      ++failed;
    }
  }
  std::lock_guard lock(ids_mutex_);
  to_real_.clear();
  to_harness_.clear();
  ours_.clear();
  return failed;
}

std::string SpecTarget::to_real(const std::string& id) const {
  std::lock_guard lock(ids_mutex_);
  auto it = to_real_.find(id);
  return it == to_real_.end() ? id : it->second;
}

std::string SpecTarget::to_harness(const std::string& real) const {
  std::lock_guard lock(ids_mutex_);
  auto it = to_harness_.find(real);
  return it == to_harness_.end() ? real : it->second;
}

Response SpecTarget::not_created(const std::string& id) const {
  Response r;
  r.status = 404;
  r.body = json{{"error", "item " + id + " was not created in " + spec_.name +
                              " (it cannot hold a hidden item): the harness answers for it"}}.dump();
  return r;
}

std::vector<std::string> SpecTarget::run_concurrently(std::vector<std::function<void()>> tasks, std::uint64_t) {
  std::vector<std::future<void>> running;
  running.reserve(tasks.size());
  try {
    for (auto& task : tasks) running.push_back(std::async(std::launch::async, std::move(task)));
  } catch (const std::system_error&) {
    for (auto& f : running) f.wait();
    throw TargetError("cannot start a thread for a concurrent step");
  }
  std::exception_ptr first;
  for (auto& f : running) {
    try {
      f.get();
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
  return {};
}

// ---------------------------------------------------------------------------
// Client: requests

Response SpecTarget::feed(UserId user, const FeedRequest& request) {
  std::string error;
  auto query = spec::feed_query(spec_, request, error);
  if (!query) {
    Response none;
    none.transport_error = error;
    return none;
  }
  return as_user(user, spec_.feed.request, {}, *query);
}

Response SpecTarget::detail(UserId user, const std::string& id) {
  {
    std::lock_guard lock(ids_mutex_);
    if (not_built_.count(id)) return not_created(id);
  }
  Response r = as_user(user, spec_.detail.request, {{"id", to_real(id)}});
  const auto& gone = spec_.detail.gone;
  if (std::find(gone.begin(), gone.end(), r.status) != gone.end()) r.status = 404;
  return r;
}

spec::Vars SpecTarget::write_vars(UserId, const json& fields) const {
  return spec::write_vars(spec_, fields,
                          {tag_, [this](const std::string& id) { return json(to_real(id)); },
                           [this](UserId u) { return app_user_id(u); }});
}

Item SpecTarget::with_sent(Item base, const spec::Write& w, const json& fields) {
  const auto names = w.request.body.variables();
  std::string error;
  for (auto& [k, v] : fields.items()) {
    if (!names.count(k)) continue;  // the application was not told: it keeps what it had
    if (k == "title" && v.is_string()) base.title = v.get<std::string>();
    if (k == "work_type" && v.is_string()) base.work_type = v.get<std::string>();
    if (k == "status" && v.is_string()) base.status = v.get<std::string>();
    if (k == "start_date" && v.is_string()) base.start_date = Date::parse(v.get<std::string>()).value_or(base.start_date);
    if (k == "due_date" && v.is_string()) base.due_date = Date::parse(v.get<std::string>()).value_or(base.due_date);
    if (k == "parent_id") base.parent_id = v.is_string() ? std::optional(v.get<std::string>()) : std::nullopt;
    if (k == "assignee_ids" && v.is_array()) base.assignee_ids = v.get<std::vector<UserId>>();
    if (k == "is_calendar_visible" && v.is_boolean()) base.is_calendar_visible = v.get<bool>();
  }
  return base;
}

void SpecTarget::undecodable(Response& r, const std::string& why) {
  std::string line = why;
  std::replace_if(line.begin(), line.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  r.headers[kUndecodable] = line;
}

void SpecTarget::settle_write(Response& r, const spec::Write& w, const Item& base, bool complete_base, UserId actor) {
  if (!is_2xx(r.status)) return;
  if (!w.request.succeeded(r.status)) {
    undecodable(r, "status " + std::to_string(r.status) + " is not one the spec lists as success");
    return;
  }
  try {
    Item item = w.answer == spec::WriteAnswer::item ? decode_written(r, base) : base;
    if (!complete_base && w.answer == spec::WriteAnswer::none)
      throw DecodeError("the answer carries no item, and the harness does not know the item's other fields");
    std::lock_guard lock(ids_mutex_);
    if (base.id.empty()) {  // a create: the application's id is the item's id from now on
      ours_.insert(item.id);
      created_.push_back({item.id, actor});
    }
    known_[item.id] = item;
    r.body = to_json(item).dump();
  } catch (const DecodeError& e) {
    undecodable(r, e.what());
  }
}

Response SpecTarget::create(UserId user, const json& fields) {
  const spec::Write& w = spec_.writes.create;
  Response r = as_user(user, w.request, write_vars(user, fields));
  Item base;
  base.owner_id = user;
  settle_write(r, w, with_sent(base, w, fields), true, user);
  return r;
}

Response SpecTarget::edit(UserId user, const std::string& id, const json& fields) {
  const spec::Write& w = spec_.writes.edit;
  std::optional<Item> known;
  {
    std::lock_guard lock(ids_mutex_);
    if (not_built_.count(id)) return not_created(id);
    if (auto it = known_.find(id); it != known_.end()) known = it->second;
  }
  Vars vars = write_vars(user, fields);
  vars["id"] = to_real(id);
  Response r = as_user(user, w.request, vars);
  Item base = known.value_or(Item{});
  base.id = id;
  settle_write(r, w, with_sent(base, w, fields), known.has_value(), user);
  return r;
}

Response SpecTarget::remove(UserId user, const std::string& id) {
  {
    std::lock_guard lock(ids_mutex_);
    if (not_built_.count(id)) return not_created(id);
  }
  Response r = as_user(user, spec_.writes.remove, {{"id", to_real(id)}});
  if (!is_2xx(r.status)) return r;
  if (!spec_.writes.remove.succeeded(r.status)) {
    undecodable(r, "status " + std::to_string(r.status) + " is not one the spec lists as success");
    return r;
  }
  try {
    std::vector<std::string> ids;
    if (const spec::Field& f = spec_.writes.deleted; f.given) {
      auto j = json::parse(r.body, nullptr, false);
      const json* list = at(j, f);
      if (!list || !list->is_array()) throw DecodeError("the delete answered no id list at " + where_text(f));
      for (auto& v : *list) ids.push_back(to_harness(id_text(v, f, "a deleted id")));
    } else {
      ids = spec_.writes.cascade ? subtree(id) : std::vector<std::string>{id};
    }
    r.body = json{{"deleted", ids}}.dump();
  } catch (const DecodeError& e) {
    undecodable(r, e.what());
  }
  return r;
}

std::vector<std::string> SpecTarget::subtree(const std::string& id) const {
  std::lock_guard lock(ids_mutex_);
  std::vector<std::string> out{id};
  for (std::size_t i = 0; i < out.size(); ++i)
    for (auto& [child, item] : known_)
      if (item.parent_id == out[i] && std::find(out.begin(), out.end(), child) == out.end()) out.push_back(child);
  return out;
}

// ---------------------------------------------------------------------------
// Client: answers

Item SpecTarget::decode_written(const Response& r, Item it) const {
  const spec::ItemFields& f = spec_.item;
  json j = r.body.empty() ? json(nullptr) : json::parse(r.body, nullptr, false);
  if (j.is_discarded()) throw DecodeError("the answer is not JSON: " + r.body.substr(0, 80));
  const json* node = at(j, f.at);
  if (!node || !node->is_object()) throw DecodeError("the answer has no item at " + where_text(f.at) + ": " + r.body.substr(0, 80));
  const json& n = *node;
  if (const json* v = at(n, f.id)) it.id = to_harness(id_text(*v, f.id, "the item's id"));
  if (it.id.empty()) throw DecodeError("the answer has no id at " + where_text(f.id) + ": " + r.body.substr(0, 80));
  if (const json* v = at(n, f.title)) it.title = strip_tag(text_value(*v, f.title, "the title"), tag_);
  if (const json* v = at(n, f.work_type)) it.work_type = spec::ours(spec_.work_type_values, text_value(*v, f.work_type, "the kind"));
  if (const json* v = at(n, f.status)) it.status = spec::ours(spec_.status_values, text_value(*v, f.status, "the status"));
  if (const json* v = at(n, f.start_date)) it.start_date = date_value(*v, f.start_date, "the start date");
  if (const json* v = at(n, f.due_date)) it.due_date = date_value(*v, f.due_date, "the due date");
  if (const json* v = at(n, f.parent_id))
    it.parent_id = v->is_null() ? std::nullopt : std::optional(to_harness(id_text(*v, f.parent_id, "the parent")));
  if (const json* v = at(n, f.owner_id); v && !v->is_null()) it.owner_id = harness_user(*v).value_or(0);
  if (const json* v = at(n, f.assignee_ids)) {
    if (!v->is_array()) throw DecodeError("the assignees at " + where_text(f.assignee_ids) + " are not a list");
    it.assignee_ids.clear();
    for (auto& a : *v)
      if (auto u = harness_user(a)) it.assignee_ids.push_back(*u);
  }
  if (const json* v = at(n, f.is_calendar_visible)) {
    if (!v->is_boolean()) throw DecodeError("is_calendar_visible at " + where_text(f.is_calendar_visible) + " is not true/false");
    it.is_calendar_visible = v->get<bool>();
  }
  return it;
}

std::vector<ShownEvent> SpecTarget::decode_feed(const std::string& body) const { return decode_events(body, namespaced()); }

std::vector<ShownEvent> SpecTarget::decode_events(const std::string& body, bool only_ours) const {
  const spec::Feed& f = spec_.feed;
  const spec::EventFields& e = f.event;
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded()) throw DecodeError("the feed did not answer JSON: " + body.substr(0, 80));
  const json* list = at(j, f.events);
  if (!list || !list->is_array())
    throw DecodeError("the feed answered no event array at " + where_text(f.events) + ": " + body.substr(0, 80));
  std::vector<ShownEvent> out;
  std::lock_guard lock(ids_mutex_);
  for (const json& ev : *list) {
    if (!ev.is_object()) throw DecodeError("an event is not an object: " + ev.dump().substr(0, 60));
    const json* id = at(ev, e.id);
    if (!id) throw DecodeError("an event has no id at " + where_text(e.id) + ": " + ev.dump().substr(0, 80));
    std::string real = id_text(*id, e.id, "the event's id");
    if (only_ours && !ours_.count(real)) continue;  // not created by this run: not evidence
    auto mapped = to_harness_.find(real);
    ShownEvent s;
    s.item_id = mapped == to_harness_.end() ? real : mapped->second;
    auto k = known_.find(s.item_id);
    const Item* known = k == known_.end() ? nullptr : &k->second;
    auto need = [&](const spec::Field& field, const char* what) -> const json& {
      const json* v = at(ev, field);
      if (!v) throw DecodeError(std::string("an event has no ") + what + " at " + where_text(field) + ": " +
                                ev.dump().substr(0, 80));
      return *v;
    };
    s.title = strip_tag(text_value(need(e.title, "title"), e.title, "an event's title"), tag_);
    s.start = date_value(need(e.start, "start"), e.start, "an event's start");
    s.end = date_value(need(e.end, "end"), e.end, "an event's end");
    if (e.end_exclusive) s.end = s.end.plus_days(-1);
    if (e.type.given) s.work_type = spec::ours(spec_.work_type_values, text_value(need(e.type, "type"), e.type, "an event's type"));
    else if (known) s.work_type = known->work_type;
    if (e.status.given) s.status = spec::ours(spec_.status_values, text_value(need(e.status, "status"), e.status, "an event's status"));
    else if (known) s.status = known->status;
    if (e.parent.given) {
      const json* p = at(ev, e.parent);
      if (p && !p->is_null()) {
        std::string parent = id_text(*p, e.parent, "an event's parent");
        auto pm = to_harness_.find(parent);
        s.parent_id = pm == to_harness_.end() ? parent : pm->second;
      }
    } else if (known) {
      s.parent_id = known->parent_id;
    }
    out.push_back(std::move(s));
  }
  return out;
}

Layer SpecTarget::served_by(const Response& r) const {
  const auto& h = spec_.feed.cache_header;
  if (!h) return Client::served_by(r);
  std::string v = r.header(lower(h->name));
  if (v == h->hit) return Layer::server_cache;
  if (v == h->miss) return Layer::store;
  return Layer::server;
}

Item SpecTarget::decode_item(const Response& r) const {
  if (auto why = r.header(kUndecodable); !why.empty()) throw DecodeError(why);
  return Client::decode_item(r);
}

std::vector<std::string> SpecTarget::decode_deleted(const Response& r) const {
  if (auto why = r.header(kUndecodable); !why.empty()) throw DecodeError(why);
  return Client::decode_deleted(r);
}

}  // namespace cachecheck

namespace cachecheck {
namespace {

std::string problems_text(const std::vector<spec::Problem>& problems) {
  std::string out = problems.front().text();
  if (problems.size() > 1)
    out += " (and " + std::to_string(problems.size() - 1) + " more problem(s): cachecheck spec check " +
           problems.front().where.file + ")";
  return out;
}

spec::TargetSpec load(const std::string& file) {
  auto parsed = spec::parse_spec_file(file);
  if (!parsed.spec) throw TargetError(problems_text(parsed.problems));
  return std::move(*parsed.spec);
}

const bool registered = register_target_kind(TargetKind{
    "FILE.yaml|FILE.yml|FILE.json (a target spec: any web application; see targets/README.md)",
    [](const std::string& target) { return spec::looks_like_spec_file(target); },
    [](const std::string& file, const TargetConfig& config) -> std::unique_ptr<Target> {
      auto target = std::make_unique<SpecTarget>(load(file), config);
      target->connect();
      return target;
    },
    {},
    [](const TargetConfig&) {},
    /*builds_server=*/false,
});

}  // namespace
}  // namespace cachecheck
