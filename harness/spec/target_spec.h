// A target spec, typed: one web application as a client sees it — where it is,
// who logs in and how, how its feed is asked for and read, how items are written
// and checked, the rules a fresh answer follows, and the hooks it offers. The
// file format (YAML, or JSON) is documented key by key in targets/README.md;
// spec/parse.h reads a file into this.
//
// Nothing here talks to the application: targets/spec_target.h does, by these rules.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/domain.h"
#include "model/semantics.h"
#include "spec/templates.h"

namespace cachecheck::spec {

// Where one value is in a JSON answer: a JSON pointer ("" = the whole answer),
// and a prefix the application puts before ids ("work-item-").
struct Field {
  std::string pointer;
  std::string strip_prefix;
  bool given = false;  // the spec names it (else the field is not read)
  Where where;
};

// One HTTP request the harness makes. `path` and `headers` are text templates;
// `body` a value template sent as JSON, as a form, or as raw text.
enum class BodyKind { none, json, form, text };
struct RequestSpec {
  std::string method;
  Template path;
  BodyKind body_kind = BodyKind::none;
  Template body;
  std::map<std::string, Template> headers;
  std::vector<int> success;  // the statuses that mean success (empty: any 2xx)
  Where where;
  bool succeeded(int status) const;
};

// A hook: a request to the application (admin URL), or a shell command that gets
// the same variables as CACHECHECK_<NAME> environment variables.
struct Hook {
  std::optional<RequestSpec> request;
  std::string command;
  double timeout_s = 30;
  Field affected;  // request hooks: how many cache entries it affected (evictions)
  Where where;
};

// A token read from a login answer (the session token, or a CSRF token).
enum class TokenSource { body, header, cookie };
struct TokenRead {
  TokenSource from = TokenSource::cookie;
  std::string name;  // header or cookie name
  Field at;          // body: where in the JSON answer
  Where where;
};

struct SpecUser {
  std::string username, password;
  nlohmann::json app_id;  // the application's id for this user (a number or a string)
  Where where;
};

enum class SessionKind { cookie, token };
struct Login {
  RequestSpec request;
  SessionKind session = SessionKind::cookie;
  TokenRead token;                                 // session: token
  std::string send_header = "Authorization";       // … sent as this header on every request
  Template send_value;                             // … with this value ("Bearer {token}")
  std::optional<TokenRead> csrf;                   // a CSRF token, read at login
  std::string csrf_header = "X-CSRFToken";         // … sent back on unsafe methods
};

// How a feed bound is written on the wire: as FullCalendar sent it (a date-time
// with the browser's offset, or a date), or as a pattern around the bound's
// calendar date ("{date}", "{date}T00:00:00Z").
struct DateFormat {
  bool fullcalendar = false;
  std::string pattern = "{date}";
  std::string name;  // as the spec wrote it
};

struct EventFields {
  Field id, title, start, end, type, status, parent;
  bool end_exclusive = false;  // the event's end is the day after the due date
};

// A response header that says whether the application's cache answered.
struct CacheHeader {
  std::string name, hit, miss;
};

struct Feed {
  RequestSpec request;  // GET path (its query is built from the parameters below)
  std::string start_param = "start", end_param = "end";
  std::optional<std::string> type_param, status_param;
  DateFormat start_format, end_format;
  std::optional<std::pair<std::string, std::string>> time_zone;  // parameter, value
  std::vector<std::pair<std::string, std::string>> extra;       // fixed parameters
  Field events;                                                  // the event array
  EventFields event;
  std::optional<CacheHeader> cache_header;                       // layer: server-cache / store
};

// The application's item JSON (write answers): where each domain field is.
struct ItemFields {
  Field at;  // where the item is in the answer ("" = the whole answer)
  Field id, title, work_type, status, start_date, due_date, parent_id, owner_id, assignee_ids, is_calendar_visible;
};

enum class WriteAnswer { item, none };
struct Write {
  RequestSpec request;
  WriteAnswer answer = WriteAnswer::item;
};

struct Writes {
  Write create, edit;
  RequestSpec remove;
  Field deleted;        // where the delete answer lists the ids it deleted (not given: it does not)
  bool cascade = false; // a delete takes the item's whole subtree
};

struct Detail {
  RequestSpec request;
  std::vector<int> gone{404};  // the statuses that mean "gone"
};

struct Stats {
  RequestSpec request;
  Field strategy, processes, freshness_bound_s;
  std::map<std::string, Field> counters;  // ProbeCounters field name → where
};

struct Hooks {
  std::optional<Hook> reset, flush, clock, route, evict, evict_random, evict_version;
  std::optional<Stats> stats;
};

struct TargetSpec {
  std::string file;  // where it was read from
  std::string name;
  std::string strategy;                // "" = not declared
  std::vector<std::string> base_urls;  // one, or one per process
  bool separate_processes = false;     // base_urls lists each process
  int processes = 1;                   // 0: unknown
  double timeout_s = 5;
  double think_cap_s = 1;
  std::vector<SpecUser> users;
  Login login;
  Feed feed;
  ItemFields item;
  Writes writes;
  Detail detail;
  std::map<std::string, std::string> work_type_values, status_values;  // domain name → the application's
  Semantics semantics = Semantics::reference();
  std::optional<Visibility> visibility;  // nullopt: set by each reset (the reset JSON says it)
  std::optional<double> freshness_bound_s;
  Hooks hooks;
};

}  // namespace cachecheck::spec
