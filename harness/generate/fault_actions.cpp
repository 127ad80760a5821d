// Time and the nemesis: advance, evict, evict-version, evict-random, flush, route.
#include "generate/actions.h"
#include "generate/gen_values.h"

namespace cachecheck {
namespace {

using nlohmann::json;

Needs fault_need(Fault f) { return Needs{false, f}; }

}  // namespace

// ---- advance: users think between clicks ------------------------------------------------

json Action<Advance>::to_json(const Advance& a) { return {{"seconds", a.seconds}}; }
Advance Action<Advance>::from_json(const json& j) {
  if (j.contains("seconds") && !j["seconds"].is_number()) step_error("\"seconds\" must be a number");
  return {j.value("seconds", 0.0)};
}
std::string Action<Advance>::describe(const Advance& a, const Namer&) {
  return std::to_string(static_cast<long long>(a.seconds)) + " s pass";
}
std::string Action<Advance>::check(const Advance& a, const ScriptState&) {
  return a.seconds >= 0 && a.seconds <= 10 * 365 * 86400.0 ? "" : "time cannot go backwards or jump past 10 years";
}
Needs Action<Advance>::needs() { return Needs{true, std::nullopt}; }
Advance Action<Advance>::generate(const ScriptState& s) { return {pick(s.params->advance_seconds)}; }
void Action<Advance>::play(const Advance& a, Stage& stage) { stage.advance(a.seconds); }

// ---- evict: given keys ---------------------------------------------------------------------

json Action<Evict>::to_json(const Evict& a) { return {{"keys", a.keys}}; }
Evict Action<Evict>::from_json(const json& j) {
  try {
    return {j.value("keys", std::vector<std::string>{})};
  } catch (const json::exception&) {
    step_error("\"keys\" must be an array of strings");
  }
}
std::string Action<Evict>::describe(const Evict& a, const Namer&) {
  std::string keys;
  for (auto& k : a.keys) keys += (keys.empty() ? "" : ", ") + k;
  return "the cache evicts " + (keys.empty() ? std::string("nothing") : keys);
}
std::string Action<Evict>::check(const Evict&, const ScriptState&) { return ""; }
Needs Action<Evict>::needs() { return fault_need(Fault::evict); }
Evict Action<Evict>::generate(const ScriptState&) { return {}; }
void Action<Evict>::play(const Evict& a, Stage& stage) {
  stage.fault(Fault::evict, Action<Evict>::to_json(a), [&](Nemesis& n, std::uint64_t) { return n.evict(a.keys); });
}

// ---- evict-version: the invalidation metadata (version counters) -------------------------

json Action<EvictVersion>::to_json(const EvictVersion& a) { return {{"user", a.user ? json(*a.user) : json(nullptr)}}; }
EvictVersion Action<EvictVersion>::from_json(const json& j) {
  EvictVersion a;
  if (j.contains("user") && !j["user"].is_null()) {
    if (!j["user"].is_number_integer()) step_error("\"user\" must be a user id or null (the global version)");
    a.user = j["user"].get<UserId>();
  }
  return a;
}
std::string Action<EvictVersion>::describe(const EvictVersion& a, const Namer&) {
  return a.user ? "the cache evicts user " + std::to_string(*a.user) + "'s version key"
                : std::string("the cache evicts the global version key");
}
std::string Action<EvictVersion>::check(const EvictVersion& a, const ScriptState& s) {
  return !a.user || s.knows_user(*a.user) ? "" : "names unknown user " + std::to_string(*a.user);
}
Needs Action<EvictVersion>::needs() { return fault_need(Fault::evict_version); }
EvictVersion Action<EvictVersion>::generate(const ScriptState& s) {
  int choice = gen_int(0, static_cast<int>(s.users.size()) + 1);  // 0: the global one
  EvictVersion a;
  if (choice > 0) a.user = s.users[static_cast<std::size_t>(choice - 1)];
  return a;
}
void Action<EvictVersion>::play(const EvictVersion& a, Stage& stage) {
  stage.fault(Fault::evict_version, Action<EvictVersion>::to_json(a), [&](Nemesis& n, std::uint64_t) { return n.evict_version(a.user); });
}

// ---- evict-random -----------------------------------------------------------------------------

json Action<EvictRandom>::to_json(const EvictRandom& a) { return {{"count", a.count}}; }
EvictRandom Action<EvictRandom>::from_json(const json& j) {
  if (j.contains("count") && !j["count"].is_number_unsigned()) step_error("\"count\" must be a non-negative integer");
  return {j.value("count", std::size_t{0})};
}
std::string Action<EvictRandom>::describe(const EvictRandom& a, const Namer&) {
  return "the cache evicts " + std::to_string(a.count) + " random key(s)";
}
std::string Action<EvictRandom>::check(const EvictRandom& a, const ScriptState&) {
  return a.count <= 100000 ? "" : "evict-random count above 100000";
}
Needs Action<EvictRandom>::needs() { return fault_need(Fault::evict_random); }
EvictRandom Action<EvictRandom>::generate(const ScriptState&) { return {static_cast<std::size_t>(gen_int(1, 4))}; }
void Action<EvictRandom>::play(const EvictRandom& a, Stage& stage) {
  stage.fault(Fault::evict_random, Action<EvictRandom>::to_json(a), [&](Nemesis& n, std::uint64_t seed) { return n.evict_random(a.count, seed); });
}

// ---- flush: a cache restart --------------------------------------------------------------------

json Action<Flush>::to_json(const Flush&) { return json::object(); }
Flush Action<Flush>::from_json(const json&) { return {}; }
std::string Action<Flush>::describe(const Flush&, const Namer&) { return "the cache restarts (flush)"; }
std::string Action<Flush>::check(const Flush&, const ScriptState&) { return ""; }
Needs Action<Flush>::needs() { return fault_need(Fault::flush); }
Flush Action<Flush>::generate(const ScriptState&) { return {}; }
void Action<Flush>::play(const Flush& a, Stage& stage) {
  stage.fault(Fault::flush, Action<Flush>::to_json(a), [](Nemesis& n, std::uint64_t) -> std::optional<std::size_t> {
    n.flush();
    return std::nullopt;
  });
}

// ---- route: pin requests to a worker ------------------------------------------------------------

json Action<Route>::to_json(const Route& a) { return {{"worker", a.worker ? json(*a.worker) : json(nullptr)}}; }
Route Action<Route>::from_json(const json& j) {
  Route a;
  if (j.contains("worker") && !j["worker"].is_null()) {
    if (!j["worker"].is_number_unsigned()) step_error("\"worker\" must be a worker index or null (round-robin)");
    a.worker = j["worker"].get<std::size_t>();
  }
  return a;
}
std::string Action<Route>::describe(const Route& a, const Namer&) {
  return a.worker ? "requests go to worker " + std::to_string(*a.worker) : std::string("requests go round-robin");
}
std::string Action<Route>::check(const Route&, const ScriptState&) { return ""; }
Needs Action<Route>::needs() { return fault_need(Fault::route); }
bool Action<Route>::feasible(const ScriptState& s) { return s.workers > 1; }
Route Action<Route>::generate(const ScriptState& s) {
  Route a;
  int w = gen_int(-1, s.workers);
  if (w >= 0) a.worker = static_cast<std::size_t>(w);
  return a;
}
void Action<Route>::play(const Route& a, Stage& stage) {
  stage.fault(Fault::route, Action<Route>::to_json(a), [&](Nemesis& n, std::uint64_t) -> std::optional<std::size_t> {
    n.route(a.worker);
    return std::nullopt;
  });
}

}  // namespace cachecheck
