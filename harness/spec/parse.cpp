// The target spec parser (see parse.h): yaml-cpp nodes → TargetSpec, collecting
// every problem with its line.
#include "spec/parse.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace cachecheck::spec {
namespace {

// One problem, one line: control characters quoted from the spec or from the YAML
// parser's message are written as escapes (a line break as \n).
std::string one_line(const std::string& message) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : message) {
    if (c == '\n') out += "\\n";
    else if (c < 0x20 || c == 0x7f) out += std::string("\\x") + hex[c >> 4] + hex[c & 15];
    else out += static_cast<char>(c);
  }
  return out;
}

using nlohmann::json;
using VarSet = std::set<std::string>;
using Keys = std::vector<std::string>;

const std::vector<std::string> kItemVars = {"title",    "work_type", "status",       "start_date",         "due_date",
                                            "parent_id", "owner_id", "assignee_ids", "is_calendar_visible"};
const Keys kRequestKeys = {"method", "path", "json", "form", "body", "headers", "success"};
const Keys kCounterNames = {"cache_hits",  "cache_misses",    "cache_sets",  "cache_deletes", "cache_deletes_present",
                            "cache_incrs", "cache_evictions", "round_trips", "store_queries"};

std::string joined(const Keys& names) {
  std::string out;
  for (auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

Keys plus(Keys a, const Keys& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

VarSet vars(std::initializer_list<std::vector<std::string>> groups) {
  VarSet out;
  for (auto& g : groups) out.insert(g.begin(), g.end());
  return out;
}

// A node and the key path that reached it ("feed.params.start").
struct Val {
  YAML::Node node;
  std::string path;
  int line = 0;  // 1-based; the parent's line when the node is missing
};

class Parser {
 public:
  Parser(std::string file, const Environment& env) : file_(std::move(file)), env_(env) {}

  std::vector<Problem> problems;

  std::optional<TargetSpec> parse(const YAML::Node& root) {
    Val top{root, "", line_of(root)};
    if (!root.IsMap()) {
      add(top, "the spec must be a map of keys (name, base_url, users, login, feed, writes, detail, semantics, ...)");
      return std::nullopt;
    }
    TargetSpec s;
    s.file = file_;
    keys(top, {"name", "strategy", "base_url", "base_urls", "processes", "timeout_s", "think_cap_s", "users", "login",
               "feed", "values", "item", "writes", "detail", "semantics", "freshness_bound_s", "hooks"});
    if (auto v = need(top, "name")) s.name = text(*v).value_or("");
    if (auto v = get(top, "strategy")) s.strategy = text(*v).value_or("");
    location(top, s);
    if (auto v = get(top, "timeout_s")) s.timeout_s = number(*v, 0.05, 600).value_or(s.timeout_s);
    if (auto v = get(top, "think_cap_s")) s.think_cap_s = number(*v, 0, 3600).value_or(s.think_cap_s);
    if (auto v = need(top, "users")) users(*v, s);
    if (auto v = need(top, "login")) login(*v, s.login);
    if (auto v = get(top, "values")) values(*v, s);
    if (auto v = need(top, "feed")) feed(*v, s);
    if (auto v = get(top, "item")) item(*v, s.item);
    else default_item(s.item);
    if (auto v = need(top, "writes")) writes(*v, s);
    if (auto v = need(top, "detail")) detail(*v, s.detail);
    if (auto v = need(top, "semantics")) semantics(*v, s);
    if (auto v = get(top, "freshness_bound_s")) s.freshness_bound_s = number(*v, 0, 1e9);
    if (auto v = get(top, "hooks")) hooks(*v, s);
    cross_checks(top, s);
    if (!problems.empty()) return std::nullopt;
    return s;
  }

  void add(const Val& v, const std::string& message) {
    problems.push_back({Where{file_, v.line}, one_line((v.path.empty() ? "" : v.path + ": ") + message)});
  }

 private:
  // ---- nodes ---------------------------------------------------------------------

  static int line_of(const YAML::Node& n) { return n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }

  std::optional<Val> get(const Val& map, const std::string& key) {
    if (!map.node.IsMap()) return std::nullopt;
    for (auto it = map.node.begin(); it != map.node.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == key) {
        int line = line_of(it->first);
        return Val{it->second, map.path.empty() ? key : map.path + "." + key, line ? line : map.line};
      }
    return std::nullopt;
  }

  std::optional<Val> need(const Val& map, const std::string& key, const std::string& why = "") {
    auto v = get(map, key);
    if (!v && map.node.IsMap())
      add(Val{map.node, map.path.empty() ? key : map.path + "." + key, map.line},
          "missing (required" + (why.empty() ? "" : ": " + why) + ")");
    return v;
  }

  // Each key of `map` must be one of `known`; false when `map` is not a map.
  bool keys(const Val& map, const Keys& known) {
    if (!map.node.IsMap()) {
      add(map, "must be a map (known keys: " + joined(known) + ")");
      return false;
    }
    for (auto it = map.node.begin(); it != map.node.end(); ++it) {
      std::string key = it->first.IsScalar() ? it->first.Scalar() : "?";
      if (std::find(known.begin(), known.end(), key) == known.end())
        add(Val{it->first, map.path.empty() ? key : map.path + "." + key, line_of(it->first)},
            "unknown key (known: " + joined(known) + ")");
    }
    return true;
  }

  std::vector<Val> items(const Val& list) {
    std::vector<Val> out;
    std::size_t i = 0;
    for (auto it = list.node.begin(); it != list.node.end(); ++it, ++i)
      out.push_back(Val{*it, list.path + "[" + std::to_string(i) + "]", line_of(*it) ? line_of(*it) : list.line});
    return out;
  }

  // "${NAME}" and "${NAME:-default}" from the environment.
  std::optional<std::string> expand(const Val& v, const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] != '$' || i + 1 >= s.size() || s[i + 1] != '{') {
        out += s[i];
        continue;
      }
      std::size_t close = s.find('}', i + 2);
      if (close == std::string::npos) {
        add(v, "an unclosed '${' (environment variables are written ${NAME} or ${NAME:-default})");
        return std::nullopt;
      }
      std::string inner = s.substr(i + 2, close - i - 2);
      std::optional<std::string> fallback;
      if (auto d = inner.find(":-"); d != std::string::npos) {
        fallback = inner.substr(d + 2);
        inner = inner.substr(0, d);
      }
      auto value = env_(inner);
      if ((!value || value->empty()) && fallback) value = fallback;
      if (!value) {
        add(v, "names the environment variable " + inner + ", which is not set (give a default: ${" + inner +
                   ":-VALUE})");
        return std::nullopt;
      }
      out += *value;
      i = close;
    }
    return out;
  }

  std::optional<std::string> text(const Val& v) {
    if (!v.node.IsScalar()) {
      add(v, "must be a text value");
      return std::nullopt;
    }
    return expand(v, v.node.Scalar());
  }

  std::optional<std::string> one_of(const Val& v, const Keys& choices) {
    auto t = text(v);
    if (!t) return std::nullopt;
    if (std::find(choices.begin(), choices.end(), *t) == choices.end()) {
      add(v, "'" + *t + "' is not one of: " + joined(choices));
      return std::nullopt;
    }
    return t;
  }

  std::optional<double> number(const Val& v, double min, double max) {
    auto t = text(v);
    if (!t) return std::nullopt;
    char* end = nullptr;
    double d = std::strtod(t->c_str(), &end);
    if (t->empty() || end != t->c_str() + t->size() || !std::isfinite(d)) {
      add(v, "must be a number, got '" + *t + "'");
      return std::nullopt;
    }
    if (d < min || d > max) {
      std::ostringstream os;
      if (max >= 1e9) os << "must be at least " << min << ", got " << *t;
      else os << "must be from " << min << " to " << max << ", got " << *t;
      add(v, os.str());
      return std::nullopt;
    }
    return d;
  }

  std::optional<int> integer(const Val& v, int min, int max) {
    auto d = number(v, min, max);
    if (!d) return std::nullopt;
    if (*d != std::floor(*d)) {
      add(v, "must be a whole number");
      return std::nullopt;
    }
    return static_cast<int>(*d);
  }

  std::optional<bool> boolean(const Val& v) {
    auto t = text(v);
    if (!t) return std::nullopt;
    if (*t == "true") return true;
    if (*t == "false") return false;
    add(v, "must be true or false, got '" + *t + "'");
    return std::nullopt;
  }

  // A YAML value as JSON: plain scalars are typed (YAML 1.2 core schema), quoted ones are text.
  json value(const Val& v) {
    const YAML::Node& n = v.node;
    switch (n.Type()) {
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined: return nullptr;
      case YAML::NodeType::Sequence: {
        json a = json::array();
        for (auto& e : items(v)) a.push_back(value(e));
        return a;
      }
      case YAML::NodeType::Map: {
        json o = json::object();
        for (auto it = n.begin(); it != n.end(); ++it) {
          std::string key = it->first.IsScalar() ? it->first.Scalar() : "?";
          o[key] = value(Val{it->second, v.path + "." + key, line_of(it->second) ? line_of(it->second) : v.line});
        }
        return o;
      }
      case YAML::NodeType::Scalar: break;
    }
    auto s = expand(v, n.Scalar()).value_or("");
    if (n.Tag() == "!") return s;  // quoted
    if (s == "true" || s == "false") return s == "true";
    if (s == "null" || s == "~" || s.empty()) return nullptr;
    auto num = json::parse(s, nullptr, false);
    if (num.is_number()) return num;
    return s;
  }

  std::optional<std::vector<int>> statuses(const Val& v) {
    std::vector<Val> list = v.node.IsSequence() ? items(v) : std::vector<Val>{v};
    std::vector<int> out;
    for (auto& e : list) {
      auto n = integer(e, 100, 599);
      if (!n) return std::nullopt;
      out.push_back(*n);
    }
    if (out.empty()) add(v, "must list at least one HTTP status");
    return out;
  }

  // ---- templates and fields ----------------------------------------------------------

  // A template's variables; none when it is malformed (reported where it was read), so
  // the checks across sections never throw on a template that already has a problem.
  static std::set<std::string> variables_of(const Template& t) {
    try {
      return t.variables();
    } catch (const std::invalid_argument&) {
      return {};
    }
  }

  void check_variables(const Val& v, const Template& t, const VarSet& known) {
    std::set<std::string> names;
    try {
      names = t.variables();
    } catch (const std::invalid_argument& e) {
      add(v, std::string("bad template: ") + e.what());
      return;
    }
    for (auto& n : names)
      if (!known.count(n))
        add(v, "the template names {" + n + "}, which is not a variable here (known: " +
                   (known.empty() ? std::string("none") : joined(Keys(known.begin(), known.end()))) + ")");
  }

  Template text_template(const Val& v, const VarSet& known) {
    Template t;
    t.where = Where{file_, v.line};
    auto s = text(v);
    if (!s) return t;
    t.value = *s;
    t.given = true;
    check_variables(v, t, known);
    return t;
  }

  Template value_template(const Val& v, const VarSet& known) {
    Template t;
    t.where = Where{file_, v.line};
    t.value = value(v);
    t.given = true;
    check_variables(v, t, known);
    return t;
  }

  // A JSON pointer, "" for the whole answer; "a.b" is short for "/a/b".
  std::optional<std::string> pointer(const Val& v, const std::string& s) {
    std::string p = s;
    if (!p.empty() && p.front() != '/') {
      p = "/" + p;
      std::replace(p.begin(), p.end(), '.', '/');
    }
    try {
      json::json_pointer check(p);
    } catch (const json::exception&) {
      add(v, "'" + s + "' is not a JSON pointer (\"/data/items\") or a dotted path (\"data.items\")");
      return std::nullopt;
    }
    return p;
  }

  Field field(const Val& v) {
    Field f;
    f.where = Where{file_, v.line};
    if (v.node.IsScalar() || v.node.IsNull()) {
      if (auto p = pointer(v, v.node.IsNull() ? std::string() : text(v).value_or(""))) {
        f.pointer = *p;
        f.given = true;
      }
      return f;
    }
    if (!keys(v, {"at", "strip_prefix"})) return f;
    if (auto at = need(v, "at"))
      if (auto p = pointer(*at, at->node.IsNull() ? std::string() : text(*at).value_or(""))) {
        f.pointer = *p;
        f.given = true;
      }
    if (auto sp = get(v, "strip_prefix")) f.strip_prefix = text(*sp).value_or("");
    return f;
  }

  // ---- requests and hooks -------------------------------------------------------------

  std::optional<RequestSpec> request(const Val& v, const std::string& default_method, const VarSet& known,
                                     const Keys& more = {}) {
    if (!keys(v, plus(kRequestKeys, more))) return std::nullopt;
    RequestSpec r;
    r.where = Where{file_, v.line};
    r.method = default_method;
    if (auto m = get(v, "method"))
      if (auto t = one_of(*m, {"GET", "POST", "PUT", "PATCH", "DELETE"})) r.method = *t;
    if (auto p = need(v, "path")) {
      r.path = text_template(*p, known);
      if (r.path.given && (r.path.value.get<std::string>().empty() || r.path.value.get<std::string>()[0] != '/'))
        add(*p, "must start with '/' (it is joined to the base URL)");
    }
    int bodies = 0;
    for (auto [key, kind] : {std::pair{"json", BodyKind::json}, {"form", BodyKind::form}, {"body", BodyKind::text}})
      if (auto b = get(v, key)) {
        ++bodies;
        r.body_kind = kind;
        r.body = kind == BodyKind::text ? text_template(*b, known) : value_template(*b, known);
        if (kind == BodyKind::form && !b->node.IsMap()) add(*b, "a form body must be a map of fields");
      }
    if (bodies > 1) add(v, "give one body: json, form or body (raw text)");
    if (auto h = get(v, "headers")) {
      if (!h->node.IsMap()) add(*h, "must map header names to values");
      else
        for (auto it = h->node.begin(); it != h->node.end(); ++it) {
          std::string name = it->first.Scalar();
          r.headers[name] = text_template(Val{it->second, h->path + "." + name, line_of(it->first)}, known);
        }
    }
    if (auto s = get(v, "success")) r.success = statuses(*s).value_or(std::vector<int>{});
    return r;
  }

  std::optional<Hook> hook(const Val& v, const VarSet& known, const Keys& more = {}) {
    Hook h;
    h.where = Where{file_, v.line};
    if (v.node.IsMap() && get(v, "command")) {
      if (!keys(v, plus({"command", "timeout_s"}, more))) return std::nullopt;
      h.command = text(*get(v, "command")).value_or("");
      if (h.command.empty()) add(*get(v, "command"), "must be a shell command");
    } else {
      h.request = request(v, "POST", known, plus({"timeout_s"}, more));
      if (!h.request) return std::nullopt;
    }
    if (auto t = get(v, "timeout_s")) h.timeout_s = number(*t, 0.05, 3600).value_or(h.timeout_s);
    if (auto a = get(v, "affected")) {
      if (h.request) h.affected = field(*a);
      else add(*a, "only a request hook has an answer to read");
    }
    return h;
  }

  // ---- sections --------------------------------------------------------------------------

  void location(const Val& top, TargetSpec& s) {
    auto one = get(top, "base_url");
    auto many = get(top, "base_urls");
    if (one && many) add(*many, "give base_url (one URL) or base_urls (one per process), not both");
    if (!one && !many) add(Val{top.node, "base_url", top.line}, "missing (required: where the application is)");
    auto check_url = [&](const Val& v) {
      auto u = text(v);
      if (!u) return;
      if (u->rfind("http://", 0) != 0) add(v, "'" + *u + "' must start with http:// (https is not supported)");
      while (!u->empty() && u->back() == '/') u->pop_back();
      s.base_urls.push_back(*u);
    };
    if (one) check_url(*one);
    if (many) {
      if (!many->node.IsSequence() || many->node.size() == 0) add(*many, "must list one URL per server process");
      else
        for (auto& e : items(*many)) check_url(e);
      s.separate_processes = true;
      s.processes = static_cast<int>(s.base_urls.size());
    }
    if (auto p = get(top, "processes")) {
      if (many) add(*p, "with base_urls the processes are the URLs listed; drop processes");
      else s.processes = integer(*p, 0, 1024).value_or(1);
    }
  }

  void users(const Val& v, TargetSpec& s) {
    if (!v.node.IsSequence() || v.node.size() == 0) {
      add(v, "must list at least one user ({username, password})");
      return;
    }
    std::set<std::string> names;
    int position = 0;
    for (auto& u : items(v)) {
      ++position;
      if (!keys(u, {"username", "password", "id"})) continue;
      SpecUser user;
      user.where = Where{file_, u.line};
      if (auto n = need(u, "username")) user.username = text(*n).value_or("");
      if (auto p = need(u, "password")) user.password = text(*p).value_or("");
      user.app_id = position;
      if (auto id = get(u, "id")) {
        user.app_id = value(*id);
        if (!user.app_id.is_number_integer() && !user.app_id.is_string()) add(*id, "must be a number or a text id");
      }
      if (!user.username.empty() && !names.insert(user.username).second) add(u, "user '" + user.username + "' twice");
      s.users.push_back(std::move(user));
    }
  }

  std::optional<TokenRead> token_read(const Val& v, bool want_header) {
    if (!keys(v, want_header ? Keys{"from", "name", "at", "header"} : Keys{"from", "name", "at"})) return std::nullopt;
    TokenRead t;
    t.where = Where{file_, v.line};
    auto from = need(v, "from");
    auto kind = from ? one_of(*from, {"body", "header", "cookie"}) : std::nullopt;
    if (!kind) return std::nullopt;
    t.from = *kind == "body" ? TokenSource::body : *kind == "header" ? TokenSource::header : TokenSource::cookie;
    if (t.from == TokenSource::body) {
      if (auto at = need(v, "at", "where the token is in the JSON answer")) t.at = field(*at);
    } else if (auto n = need(v, "name", "the " + *kind + "'s name")) {
      t.name = text(*n).value_or("");
    }
    return t;
  }

  void login(const Val& v, Login& l) {
    VarSet known = vars({{"username", "password", "user_id"}});
    auto r = request(v, "POST", known, {"session", "token", "send_token", "csrf"});
    if (!r) return;
    l.request = *r;
    l.send_value.value = "Bearer {token}";
    l.send_value.given = true;
    if (auto s = get(v, "session"))
      if (auto k = one_of(*s, {"cookie", "token"})) l.session = *k == "token" ? SessionKind::token : SessionKind::cookie;
    if (l.session == SessionKind::token) {
      if (auto t = need(v, "token", "session: token says where the token is"))
        if (auto read = token_read(*t, false)) l.token = *read;
    } else if (auto t = get(v, "token")) {
      add(*t, "a token is read only with session: token");
    }
    if (auto st = get(v, "send_token")) {
      if (l.session != SessionKind::token) add(*st, "a token is sent only with session: token");
      if (keys(*st, {"header", "value"})) {
        if (auto h = get(*st, "header")) l.send_header = text(*h).value_or(l.send_header);
        if (auto val = get(*st, "value")) l.send_value = text_template(*val, vars({{"token"}}));
      }
    }
    if (auto c = get(v, "csrf")) {
      l.csrf = token_read(*c, true);
      if (auto h = get(*c, "header")) l.csrf_header = text(*h).value_or(l.csrf_header);
    }
  }

  DateFormat date_format(const Val& v) {
    DateFormat f;
    auto t = text(v);
    if (!t) return f;
    f.name = *t;
    if (*t == "fullcalendar") f.fullcalendar = true;
    else if (*t == "date") f.pattern = "{date}";
    else if (*t == "datetime-z") f.pattern = "{date}T00:00:00Z";
    else if (*t == "datetime-offset") f.pattern = "{date}T00:00:00+00:00";
    else if (t->find('{') != std::string::npos) {
      Template tmpl;
      tmpl.value = *t;
      check_variables(v, tmpl, {"date"});
      f.pattern = *t;
    } else {
      add(v, "'" + *t + "' is not a date format (fullcalendar, date, datetime-z, datetime-offset, or a pattern "
                        "with {date} such as \"{date}T23:59:59Z\")");
    }
    return f;
  }

  void feed(const Val& v, TargetSpec& s) {
    Feed& f = s.feed;
    auto r = request(v, "GET", vars({{"username", "user_id"}}),
                     {"params", "dates", "start_dates", "end_dates", "time_zone", "extra", "events", "event", "cache_header"});
    if (!r) return;
    f.request = *r;
    if (f.request.method != "GET") add(v, "the feed is read with GET");
    if (f.request.body_kind != BodyKind::none) add(v, "the feed is a GET: it has no body");
    if (auto p = get(v, "params"); p && keys(*p, {"start", "end", "type", "status"})) {
      if (auto x = get(*p, "start")) f.start_param = text(*x).value_or(f.start_param);
      if (auto x = get(*p, "end")) f.end_param = text(*x).value_or(f.end_param);
      if (auto x = get(*p, "type")) f.type_param = text(*x);
      if (auto x = get(*p, "status")) f.status_param = text(*x);
    }
    if (auto d = get(v, "dates")) f.start_format = f.end_format = date_format(*d);
    if (auto d = get(v, "start_dates")) f.start_format = date_format(*d);
    if (auto d = get(v, "end_dates")) f.end_format = date_format(*d);
    if (auto tz = get(v, "time_zone"); tz && keys(*tz, {"param", "value"})) {
      auto param = need(*tz, "param");
      auto val = need(*tz, "value");
      if (param && val) f.time_zone = std::pair{text(*param).value_or(""), text(*val).value_or("")};
    }
    if (auto e = get(v, "extra"); e && e->node.IsMap()) {
      for (auto it = e->node.begin(); it != e->node.end(); ++it)
        f.extra.emplace_back(it->first.Scalar(),
                             text(Val{it->second, e->path + "." + it->first.Scalar(), line_of(it->first)}).value_or(""));
    } else if (e) {
      add(*e, "must be a map of fixed parameters");
    }
    if (auto c = get(v, "cache_header"); c && keys(*c, {"name", "hit", "miss"})) {
      CacheHeader h;
      for (auto [key, out] : {std::pair{"name", &h.name}, {"hit", &h.hit}, {"miss", &h.miss}})
        if (auto x = need(*c, key)) *out = text(*x).value_or("");
      f.cache_header = h;
    }
    if (auto ev = get(v, "events")) f.events = field(*ev);
    else f.events.given = true;  // the answer is the array
    if (auto ev = need(v, "event", "where each event's id, title, start and end are")) {
      if (!keys(*ev, {"id", "title", "start", "end", "end_exclusive", "type", "status", "parent"})) return;
      EventFields& e = f.event;
      for (auto [key, out] : {std::pair{"id", &e.id}, {"title", &e.title}, {"start", &e.start}, {"end", &e.end}})
        if (auto x = need(*ev, key)) *out = field(*x);
      for (auto [key, out] : {std::pair{"type", &e.type}, {"status", &e.status}, {"parent", &e.parent}})
        if (auto x = get(*ev, key)) *out = field(*x);
      if (auto x = get(*ev, "end_exclusive")) e.end_exclusive = boolean(*x).value_or(false);
    }
  }

  void values(const Val& v, TargetSpec& s) {
    if (!keys(v, {"work_type", "status"})) return;
    auto table = [&](const char* key, const auto& domain, std::map<std::string, std::string>& out) {
      auto t = get(v, key);
      if (!t) return;
      if (!t->node.IsMap()) {
        add(*t, "must map each of our names to the application's");
        return;
      }
      std::set<std::string> theirs;
      for (auto it = t->node.begin(); it != t->node.end(); ++it) {
        Val e{it->second, t->path + "." + it->first.Scalar(), line_of(it->first)};
        std::string ours = it->first.Scalar();
        if (std::find(std::begin(domain), std::end(domain), ours) == std::end(domain)) {
          Keys names(std::begin(domain), std::end(domain));
          add(e, "'" + ours + "' is not one of ours (" + joined(names) + ")");
          continue;
        }
        auto their = text(e);
        if (!their) continue;
        if (!theirs.insert(*their).second) add(e, "'" + *their + "' stands for two of ours: the answers would be ambiguous");
        out[ours] = *their;
      }
    };
    table("work_type", kWorkTypes, s.work_type_values);
    table("status", kStatuses, s.status_values);
  }

  void default_item(ItemFields& i) {
    for (auto [name, out] : item_fields(i)) {
      out->pointer = std::string("/") + name;
      out->given = true;
    }
    i.at.given = true;
  }

  static std::vector<std::pair<const char*, Field*>> item_fields(ItemFields& i) {
    return {{"id", &i.id},
            {"title", &i.title},
            {"work_type", &i.work_type},
            {"status", &i.status},
            {"start_date", &i.start_date},
            {"due_date", &i.due_date},
            {"parent_id", &i.parent_id},
            {"owner_id", &i.owner_id},
            {"assignee_ids", &i.assignee_ids},
            {"is_calendar_visible", &i.is_calendar_visible}};
  }

  void item(const Val& v, ItemFields& i) {
    Keys known{"at"};
    for (auto [name, _] : item_fields(i)) known.push_back(name);
    if (!keys(v, known)) return;
    if (auto at = get(v, "at")) i.at = field(*at);
    else i.at.given = true;
    for (auto [name, out] : item_fields(i))
      if (auto x = get(v, name)) *out = field(*x);
    if (!i.id.given) add(Val{v.node, v.path + ".id", v.line}, "missing (required: where a write's answer has the id)");
  }

  void write(const Val& v, Write& w, const std::string& method, const VarSet& known) {
    auto r = request(v, method, known, {"answer"});
    if (!r) return;
    w.request = *r;
    if (auto a = get(v, "answer"))
      if (auto k = one_of(*a, {"item", "none"})) w.answer = *k == "none" ? WriteAnswer::none : WriteAnswer::item;
  }

  void writes(const Val& v, TargetSpec& s) {
    if (!keys(v, {"create", "edit", "delete"})) return;
    VarSet user = vars({{"user_id", "username"}});
    VarSet item_vars = vars({kItemVars, {"user_id", "username"}});
    if (auto c = need(v, "create")) {
      write(*c, s.writes.create, "POST", item_vars);
      if (s.writes.create.answer == WriteAnswer::none)
        add(*c, "a create must answer the item (at least its id): answer: item");
    }
    if (auto e = need(v, "edit")) {
      VarSet with_id = item_vars;
      with_id.insert("id");
      write(*e, s.writes.edit, "PATCH", with_id);
    }
    if (auto d = need(v, "delete")) {
      VarSet with_id = user;
      with_id.insert("id");
      if (auto r = request(*d, "DELETE", with_id, {"deleted", "cascade"})) s.writes.remove = *r;
      if (auto x = get(*d, "deleted")) s.writes.deleted = field(*x);
      if (auto x = get(*d, "cascade")) s.writes.cascade = boolean(*x).value_or(false);
    }
  }

  void detail(const Val& v, Detail& d) {
    auto r = request(v, "GET", vars({{"id", "user_id", "username"}}), {"gone"});
    if (!r) return;
    d.request = *r;
    if (auto g = get(v, "gone")) d.gone = statuses(*g).value_or(d.gone);
  }

  void semantics(const Val& v, TargetSpec& s) {
    if (!keys(v, {"range", "type_filter", "visibility"})) return;
    if (auto r = need(v, "range"))
      if (auto t = one_of(*r, {"overlap-exclusive-end", "inclusive-end", "start-or-due"}))
        s.semantics.range = *parse_range_rule(*t);
    if (auto vis = need(v, "visibility"))
      if (auto t = one_of(*vis, {"everybody", "owner-and-assignees", "from-reset"})) {
        if (*t == "everybody") s.visibility = Visibility::global;
        if (*t == "owner-and-assignees") s.visibility = Visibility::assigned;
        if (*t == "from-reset") from_reset_ = true;
      }
    auto tf = get(v, "type_filter");
    if (!tf) return;
    if (tf->node.IsScalar()) {
      auto t = one_of(*tf, {"reference", "exact"});
      if (t && *t == "exact") {
        s.semantics.type_filter.clear();
        for (auto k : kWorkTypes) s.semantics.type_filter[std::string(k)] = {std::string(k)};
      }
      return;
    }
    if (!tf->node.IsMap()) {
      add(*tf, "must be reference, exact, or a map from each filter value to the kinds it selects");
      return;
    }
    s.semantics.type_filter.clear();
    for (auto it = tf->node.begin(); it != tf->node.end(); ++it) {
      Val e{it->second, tf->path + "." + it->first.Scalar(), line_of(it->first)};
      std::vector<Val> kinds = e.node.IsSequence() ? items(e) : std::vector<Val>{e};
      auto& out = s.semantics.type_filter[it->first.Scalar()];
      for (auto& k : kinds)
        if (auto t = one_of(k, Keys(std::begin(kWorkTypes), std::end(kWorkTypes)))) out.push_back(*t);
    }
  }

  void hooks(const Val& v, TargetSpec& s) {
    if (!keys(v, {"reset", "flush", "clock", "route", "evict", "evict_random", "evict_version", "stats"})) return;
    Hooks& h = s.hooks;
    if (auto x = get(v, "reset")) h.reset = hook(*x, vars({{"reset", "users", "items", "visibility", "now"}}));
    if (auto x = get(v, "flush")) h.flush = hook(*x, {});
    if (auto x = get(v, "clock")) {
      h.clock = hook(*x, vars({{"now", "advance_s"}}));
      if (h.clock && h.clock->request && !h.clock->request->body.given && !variables_of(h.clock->request->path).count("now") &&
          !variables_of(h.clock->request->path).count("advance_s"))
        add(*x, "a clock hook must send {now} or {advance_s}");
    }
    if (auto x = get(v, "route")) h.route = hook(*x, vars({{"worker"}}));
    if (auto x = get(v, "evict")) h.evict = hook(*x, vars({{"keys"}}), {"affected"});
    if (auto x = get(v, "evict_random")) h.evict_random = hook(*x, vars({{"count", "seed"}}), {"affected"});
    if (auto x = get(v, "evict_version")) h.evict_version = hook(*x, vars({{"user"}}), {"affected"});
    if (auto x = get(v, "stats")) {
      auto r = request(*x, "GET", {}, {"strategy", "processes", "freshness_bound_s", "counters"});
      if (!r) return;
      Stats st;
      st.request = *r;
      for (auto [key, out] : {std::pair{"strategy", &st.strategy}, {"processes", &st.processes},
                              {"freshness_bound_s", &st.freshness_bound_s}})
        if (auto f = get(*x, key)) *out = field(*f);
      if (auto c = get(*x, "counters"); c && keys(*c, kCounterNames))
        for (auto& name : kCounterNames)
          if (auto f = get(*c, name)) st.counters[name] = field(*f);
      h.stats = st;
    }
  }

  void cross_checks(const Val& top, const TargetSpec& s) {
    if (from_reset_ && !s.hooks.reset)
      add(Val{top.node, "semantics.visibility", top.line},
          "from-reset needs hooks.reset (without a reset the application's visibility is fixed: say which)");
    if (s.hooks.route && s.separate_processes)
      add(Val{top.node, "hooks.route", s.hooks.route->where.line},
          "with base_urls the harness routes requests itself; drop the route hook");
    auto sends = [](const Write& w, const char* var) {
      return w.request.body.given && variables_of(w.request.body).count(var) > 0;
    };
    if (s.visibility == Visibility::assigned && !sends(s.writes.create, "assignee_ids"))
      add(Val{top.node, "writes.create.json", s.writes.create.request.where.line},
          "semantics.visibility owner-and-assignees: the create body must send {assignee_ids}");
    if (s.writes.create.request.path.given && !sends(s.writes.create, "title"))
      add(Val{top.node, "writes.create", s.writes.create.request.where.line}, "the create body must send {title}");
  }

  std::string file_;
  const Environment& env_;
  bool from_reset_ = false;
};

}  // namespace

std::optional<std::string> process_env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  return v ? std::optional<std::string>(v) : std::nullopt;
}

const std::vector<std::string>& item_write_variables() { return kItemVars; }

bool looks_like_spec_file(const std::string& target) {
  for (const char* ext : {".yaml", ".yml", ".json"}) {
    std::string e(ext);
    if (target.size() > e.size() && target.compare(target.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}

ParseResult parse_spec_text(const std::string& text, const std::string& file, const Environment& env) {
  ParseResult out;
  Parser p(file, env);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    out.problems.push_back({Where{file, e.mark.line >= 0 ? e.mark.line + 1 : 0}, one_line("not valid YAML or JSON: " + e.msg)});
    return out;
  } catch (const YAML::Exception& e) {
    out.problems.push_back({Where{file, 0}, one_line(std::string("not valid YAML or JSON: ") + e.what())});
    return out;
  }
  try {
    out.spec = p.parse(root);
  } catch (const YAML::Exception& e) {  // a node shape the parser did not expect: still one line, never a crash
    p.add(Val{root, "", e.mark.line >= 0 ? e.mark.line + 1 : 0}, std::string("cannot read this spec: ") + e.msg);
    out.spec.reset();
  }
  out.problems = std::move(p.problems);
  if (!out.problems.empty()) out.spec.reset();
  return out;
}

ParseResult parse_spec_file(const std::string& path, const Environment& env) {
  std::ifstream in(path);
  if (!in) return ParseResult{std::nullopt, {Problem{Where{path, 0}, "cannot read the file"}}};
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_spec_text(ss.str(), path, env);
}

}  // namespace cachecheck::spec
