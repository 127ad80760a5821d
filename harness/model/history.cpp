// History serialisation: names of layers and operation kinds, the contract's
// event format, and the JSON form of a whole history (embedded in counterexamples).
//
// The JSON form is exact: history_from_json(to_json(h)) == h field by field, and
// to_json of the same history always dumps to the same bytes (nlohmann::json keeps
// object keys in a std::map, so their order is fixed; fields that hold their
// default value are omitted, except the ones a view always carries).
#include "model/history.h"

#include <array>
#include <limits>
#include <stdexcept>
#include <utility>

#include "model/item_json.h"

namespace cachecheck {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<Layer, std::string_view>, 5> kLayerNames{{
    {Layer::store, "store"},
    {Layer::server_cache, "server-cache"},
    {Layer::http_cache, "http-cache"},
    {Layer::client_store, "client-store"},
    {Layer::server, "server"},
}};

constexpr std::array<std::pair<Outcome, std::string_view>, 3> kOutcomeNames{{
    {Outcome::ok, "ok"},
    {Outcome::failed, "failed"},
    {Outcome::indeterminate, "indeterminate"},
}};


constexpr std::array<std::pair<OpKind, std::string_view>, 6> kOpKindNames{{
    {OpKind::view, "view"},
    {OpKind::click, "click"},
    {OpKind::create, "create"},
    {OpKind::edit, "edit"},
    {OpKind::remove, "delete"},
    {OpKind::fault, "fault"},
}};

constexpr std::string_view kEventIdPrefix = "work-item-";

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw std::runtime_error(where + ": " + what);
}

const json& member(const json& j, const char* name, const std::string& where) {
  auto it = j.find(name);
  if (it == j.end()) fail(where, std::string("missing field '") + name + "'");
  return *it;
}

std::string get_string(const json& j, const char* name, const std::string& where) {
  const json& v = member(j, name, where);
  if (!v.is_string()) fail(where + "." + name, "expected a string, got " + v.dump());
  return v.get<std::string>();
}

std::optional<std::string> get_optional_string(const json& j, const char* name, const std::string& where) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) fail(where + "." + name, "expected a string or null, got " + it->dump());
  return it->get<std::string>();
}

std::int64_t get_integer(const json& v, const std::string& where) {
  if (!v.is_number_integer()) fail(where, "expected an integer, got " + v.dump());
  if (v.is_number_unsigned() &&
      v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    fail(where, "integer out of range: " + v.dump());
  return v.get<std::int64_t>();
}

int get_int(const json& v, const std::string& where) {
  std::int64_t x = get_integer(v, where);
  if (x < std::numeric_limits<int>::min() || x > std::numeric_limits<int>::max())
    fail(where, "integer out of range: " + v.dump());
  return static_cast<int>(x);
}

Date get_date(const json& v, const std::string& where) {
  if (!v.is_string()) fail(where, "expected a date \"YYYY-MM-DD\", got " + v.dump());
  auto d = Date::parse(v.get<std::string>());
  if (!d) fail(where, "expected a date \"YYYY-MM-DD\", got " + v.dump());
  return *d;
}

std::string event_id(const json& v, const std::string& where) {
  if (!v.is_string()) fail(where, "expected \"work-item-<uuid>\", got " + v.dump());
  const std::string& s = v.get_ref<const std::string&>();
  if (s.size() <= kEventIdPrefix.size() || s.compare(0, kEventIdPrefix.size(), kEventIdPrefix) != 0)
    fail(where, "expected \"work-item-<uuid>\", got " + v.dump());
  return s.substr(kEventIdPrefix.size());
}

json event_to_json(const ShownEvent& e) {
  return {{"id", std::string(kEventIdPrefix) + e.item_id},
          {"title", e.title},
          {"workType", e.work_type},
          {"status", e.status},
          {"start", e.start.iso()},
          {"end", e.end.iso()},
          {"parentId", e.parent_id ? json(std::string(kEventIdPrefix) + *e.parent_id) : json(nullptr)}};
}

json optional_string_json(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

json query_to_json(const Query& q) {
  return {{"start", q.start ? json(q.start->iso()) : json(nullptr)},
          {"end", q.end ? json(q.end->iso()) : json(nullptr)},
          {"type", optional_string_json(q.type)},
          {"status", optional_string_json(q.status)}};
}

Query query_from_json(const json& j, const std::string& where) {
  if (!j.is_object()) fail(where, "expected an object, got " + j.dump());
  Query q;
  for (auto& [key, value] : j.items()) {
    if (key != "start" && key != "end" && key != "type" && key != "status")
      fail(where, "unknown field '" + key + "'");
    (void)value;
  }
  if (auto it = j.find("start"); it != j.end() && !it->is_null()) q.start = get_date(*it, where + ".start");
  if (auto it = j.find("end"); it != j.end() && !it->is_null()) q.end = get_date(*it, where + ".end");
  q.type = get_optional_string(j, "type", where);
  q.status = get_optional_string(j, "status", where);
  return q;
}

bool query_is_default(const Query& q) { return !q.start && !q.end && !q.type && !q.status; }

json item_to_json(const Item& item) { return to_json(item); }

Item item_from(const json& j, const std::string& where) {
  std::string error;
  auto item = item_from_json(j, error);
  if (!item) fail(where, error.empty() ? "malformed item" : error);
  return std::move(*item);
}

json user_to_json(const User& u) { return to_json(u); }

User user_from(const json& j, const std::string& where) {
  if (!j.is_object()) fail(where, "expected an object, got " + j.dump());
  User u;
  u.id = get_int(member(j, "id", where), where + ".id");
  u.username = get_string(j, "username", where);
  // The password only matters to a target that logs in; a recorded history may leave it out.
  if (j.contains("password")) u.password = get_string(j, "password", where);
  return u;
}

json op_json(const Op& op) {
  json j = {{"index", op.index},
            {"kind", std::string(to_string(op.kind))},
            {"user", op.user},
            {"tab", op.tab},
            {"invoke", op.invoke},
            {"complete", op.complete},
            {"status", op.status}};
  if (op.outcome != Outcome::ok) j["outcome"] = std::string(to_string(op.outcome));
  if (!op.error.empty()) j["error"] = op.error;
  if (op.worker) j["worker"] = *op.worker;
  if (op.probe) j["probe"] = to_json(*op.probe);
  const bool view = op.kind == OpKind::view;
  if (view || !query_is_default(op.query)) j["query"] = query_to_json(op.query);
  if (view || op.layer) j["layer"] = op.layer ? json(std::string(to_string(*op.layer))) : json(nullptr);
  if (view || !op.shown.empty()) {
    json shown = json::array();
    for (const auto& e : op.shown) shown.push_back(event_to_json(e));
    j["shown"] = std::move(shown);
  }
  if (!op.item_id.empty()) j["item_id"] = op.item_id;
  if (op.written) j["written"] = item_to_json(*op.written);
  if (!op.request.is_null()) j["request"] = op.request;
  if (!op.deleted.empty()) j["deleted"] = op.deleted;
  if (!op.fault.empty()) j["fault"] = op.fault;
  if (op.affected) j["affected"] = *op.affected;
  return j;
}

Op parse_op(const json& j, std::size_t position) {
  const std::string where = "ops[" + std::to_string(position) + "]";
  if (!j.is_object()) fail(where, "expected an object, got " + j.dump());
  // "note" was a free-text field of earlier versions: accepted and ignored.
  static const std::array<std::string_view, 21> known{
      "index", "kind",    "user",    "tab",     "invoke", "complete", "status", "outcome", "error", "worker", "probe",
      "query", "layer",   "shown",   "item_id", "request", "written", "deleted", "fault",  "affected", "note"};
  for (auto& [key, value] : j.items()) {
    (void)value;
    bool ok = false;
    for (auto k : known) ok = ok || key == k;
    if (!ok) fail(where, "unknown field '" + key + "'");
  }
  Op op;
  if (auto it = j.find("index"); it != j.end()) {
    std::int64_t index = get_integer(*it, where + ".index");
    if (index < 0) fail(where + ".index", "must not be negative");
    op.index = static_cast<std::size_t>(index);
  } else {
    op.index = position;
  }
  std::string kind = get_string(j, "kind", where);
  auto k = parse_op_kind(kind);
  if (!k) fail(where + ".kind", "unknown operation kind '" + kind + "'");
  op.kind = *k;
  op.user = get_int(member(j, "user", where), where + ".user");
  if (auto it = j.find("tab"); it != j.end()) {
    if (!it->is_string()) fail(where + ".tab", "expected a string, got " + it->dump());
    op.tab = it->get<std::string>();
  }
  op.invoke = get_integer(member(j, "invoke", where), where + ".invoke");
  op.complete = get_integer(member(j, "complete", where), where + ".complete");
  if (op.complete < op.invoke) fail(where, "'complete' is before 'invoke'");
  if (auto it = j.find("status"); it != j.end()) op.status = get_int(*it, where + ".status");
  if (auto it = j.find("outcome"); it != j.end()) {
    auto o = it->is_string() ? parse_outcome(it->get<std::string>()) : std::nullopt;
    if (!o) fail(where + ".outcome", "expected \"ok\", \"failed\" or \"indeterminate\", got " + it->dump());
    op.outcome = *o;
  }
  if (auto it = j.find("error"); it != j.end()) {
    if (!it->is_string()) fail(where + ".error", "expected a string, got " + it->dump());
    op.error = it->get<std::string>();
  }
  if (auto it = j.find("worker"); it != j.end() && !it->is_null()) op.worker = get_int(*it, where + ".worker");
  if (auto it = j.find("probe"); it != j.end()) {
    if (!it->is_object()) fail(where + ".probe", "expected an object, got " + it->dump());
    op.probe = probe_from_json(*it);
  }
  if (auto it = j.find("request"); it != j.end()) op.request = *it;
  if (auto it = j.find("fault"); it != j.end()) {
    if (!it->is_string()) fail(where + ".fault", "expected a string, got " + it->dump());
    op.fault = it->get<std::string>();
  }
  if (auto it = j.find("affected"); it != j.end() && !it->is_null()) {
    std::int64_t n = get_integer(*it, where + ".affected");
    if (n < 0) fail(where + ".affected", "must not be negative");
    op.affected = static_cast<std::uint64_t>(n);
  }
  if (auto it = j.find("query"); it != j.end()) op.query = query_from_json(*it, where + ".query");
  if (auto it = j.find("layer"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) fail(where + ".layer", "expected a string or null, got " + it->dump());
    auto layer = parse_layer(it->get<std::string>());
    if (!layer) fail(where + ".layer", "unknown layer " + it->dump());
    op.layer = *layer;
  }
  if (auto it = j.find("shown"); it != j.end()) {
    if (!it->is_array()) fail(where + ".shown", "expected an array, got " + it->dump());
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string w = where + ".shown[" + std::to_string(i) + "]";
      try {
        op.shown.push_back(shown_from_event_json((*it)[i]));
      } catch (const std::runtime_error& e) {
        fail(w, e.what());
      }
    }
  }
  if (auto it = j.find("item_id"); it != j.end()) {
    if (!it->is_string()) fail(where + ".item_id", "expected a string, got " + it->dump());
    op.item_id = it->get<std::string>();
  }
  if (auto it = j.find("written"); it != j.end() && !it->is_null()) op.written = item_from(*it, where + ".written");
  if (auto it = j.find("deleted"); it != j.end()) {
    if (!it->is_array()) fail(where + ".deleted", "expected an array of ids, got " + it->dump());
    for (const auto& id : *it) {
      if (!id.is_string()) fail(where + ".deleted", "expected an array of ids, got " + it->dump());
      op.deleted.push_back(id.get<std::string>());
    }
  }
  return op;
}

}  // namespace

std::string_view to_string(Layer l) {
  for (const auto& [layer, name] : kLayerNames)
    if (layer == l) return name;
  return "unknown";
}

std::optional<Layer> parse_layer(std::string_view s) {
  for (const auto& [layer, name] : kLayerNames)
    if (name == s) return layer;
  return std::nullopt;
}

std::string_view to_string(Outcome o) {
  for (const auto& [outcome, name] : kOutcomeNames)
    if (outcome == o) return name;
  return "unknown";
}

std::optional<Outcome> parse_outcome(std::string_view s) {
  for (const auto& [outcome, name] : kOutcomeNames)
    if (name == s) return outcome;
  return std::nullopt;
}

ProbeCounters ProbeCounters::operator-(const ProbeCounters& earlier) const {
  ProbeCounters d;
  for (auto& [name, field] : kProbeFields) d.*field = this->*field >= earlier.*field ? this->*field - earlier.*field : 0;
  return d;
}

ProbeCounters& ProbeCounters::operator+=(const ProbeCounters& other) {
  for (auto& [name, field] : kProbeFields) this->*field += other.*field;
  return *this;
}

json to_json(const ProbeCounters& p) {
  json j = json::object();
  for (auto& [name, field] : kProbeFields)
    if (p.*field) j[name] = p.*field;
  return j;
}

ProbeCounters probe_from_json(const json& j) {
  ProbeCounters p;
  for (auto& [name, field] : kProbeFields)
    if (auto it = j.find(name); it != j.end() && it->is_number_unsigned()) p.*field = it->get<std::uint64_t>();
  return p;
}

std::string_view to_string(OpKind k) {
  for (const auto& [kind, name] : kOpKindNames)
    if (kind == k) return name;
  return "unknown";
}

std::optional<OpKind> parse_op_kind(std::string_view s) {
  for (const auto& [kind, name] : kOpKindNames)
    if (name == s) return kind;
  return std::nullopt;
}

ShownEvent shown_from_event_json(const json& event) {
  const std::string where = "event";
  if (!event.is_object()) fail(where, "expected an object, got " + event.dump());
  ShownEvent e;
  e.item_id = event_id(member(event, "id", where), where + ".id");
  e.title = get_string(event, "title", where);
  e.work_type = get_string(event, "workType", where);
  e.status = get_string(event, "status", where);
  e.start = get_date(member(event, "start", where), where + ".start");
  e.end = get_date(member(event, "end", where), where + ".end");
  if (auto it = event.find("parentId"); it != event.end() && !it->is_null())
    e.parent_id = event_id(*it, where + ".parentId");
  return e;
}

json to_json(const Semantics& s) { return {{"range", std::string(to_string(s.range))}, {"type_filter", s.type_filter}}; }

Semantics semantics_from_json(const json& j) {
  const std::string where = "history.semantics";
  if (!j.is_object()) fail(where, "expected an object, got " + j.dump());
  Semantics s = Semantics::reference();
  if (auto it = j.find("range"); it != j.end()) {
    auto r = it->is_string() ? parse_range_rule(it->get<std::string>()) : std::nullopt;
    if (!r) fail(where + ".range", "expected overlap-exclusive-end, inclusive-end or start-or-due, got " + it->dump());
    s.range = *r;
  }
  if (auto it = j.find("type_filter"); it != j.end()) {
    try {
      s.type_filter = it->get<std::map<std::string, std::vector<std::string>>>();
    } catch (const json::exception&) {
      fail(where + ".type_filter", "expected {\"<filter>\": [\"<kind>\", ...]}, got " + it->dump());
    }
  }
  return s;
}

json to_json(const Op& op) { return op_json(op); }
Op op_from_json(const json& j, std::size_t position) { return parse_op(j, position); }

json to_json(const History& h) {
  json users = json::array();
  for (const auto& u : h.users) users.push_back(user_to_json(u));
  json items = json::array();
  for (const auto& item : h.initial_items) items.push_back(item_to_json(item));
  json ops = json::array();
  for (const auto& op : h.ops) ops.push_back(op_json(op));
  json out = {{"users", std::move(users)},
          {"initial_items", std::move(items)},
          {"visibility", std::string(to_string(h.visibility))},
          {"bound_s", h.bound_s ? json(*h.bound_s) : json(nullptr)},
          {"ops", std::move(ops)}};
  if (!(h.semantics == Semantics::reference())) out["semantics"] = to_json(h.semantics);
  return out;
}

History history_from_json(const json& j) {
  const std::string where = "history";
  if (!j.is_object()) fail(where, "expected an object, got a " + std::string(j.type_name()));
  History h;
  if (auto it = j.find("users"); it != j.end()) {
    if (!it->is_array()) fail(where + ".users", "expected an array");
    for (std::size_t i = 0; i < it->size(); ++i)
      h.users.push_back(user_from((*it)[i], where + ".users[" + std::to_string(i) + "]"));
  }
  if (auto it = j.find("initial_items"); it != j.end()) {
    if (!it->is_array()) fail(where + ".initial_items", "expected an array");
    for (std::size_t i = 0; i < it->size(); ++i)
      h.initial_items.push_back(item_from((*it)[i], where + ".initial_items[" + std::to_string(i) + "]"));
  }
  if (auto it = j.find("visibility"); it != j.end()) {
    if (!it->is_string()) fail(where + ".visibility", "expected \"global\" or \"assigned\", got " + it->dump());
    auto v = parse_visibility(it->get<std::string>());
    if (!v) fail(where + ".visibility", "expected \"global\" or \"assigned\", got " + it->dump());
    h.visibility = *v;
  }
  if (auto it = j.find("bound_s"); it != j.end() && !it->is_null()) {
    if (!it->is_number()) fail(where + ".bound_s", "expected a number or null, got " + it->dump());
    h.bound_s = it->get<double>();
  }
  if (auto it = j.find("semantics"); it != j.end()) h.semantics = semantics_from_json(*it);
  const json& ops = member(j, "ops", where);
  if (!ops.is_array()) fail(where + ".ops", "expected an array");
  h.ops.reserve(ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    try {
      h.ops.push_back(parse_op(ops[i], i));
    } catch (const std::runtime_error& e) {
      fail(where, e.what());
    }
  }
  return h;
}

}  // namespace cachecheck
