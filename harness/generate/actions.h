// The behaviour of each action type of step.h, one specialisation of Action<T>
// per type; its definitions live together in one place per type
// (tab_actions.cpp, item_actions.cpp, fault_actions.cpp, concurrent_action.cpp).
// Functions an action does not declare take the defaults of step.cpp:
// sensible = check() == "", apply does nothing, feasible = true, needs nothing.
#pragma once

#include "generate/step.h"

namespace cachecheck {

template <class A>
struct Action;

#define CACHECHECK_ACTION_BASICS(T)                                         \
  static nlohmann::json to_json(const T& a);                                \
  static T from_json(const nlohmann::json& j);                              \
  static std::string describe(const T& a, const Namer& name);               \
  static std::string check(const T& a, const ScriptState& s);               \
  static void play(const T& a, Stage& stage);                               \
  static T generate(const ScriptState& s)

template <> struct Action<Open> {
  CACHECHECK_ACTION_BASICS(Open);
  static void apply(const Open& a, ScriptState& s);
  static bool feasible(const ScriptState& s);
};
template <> struct Action<Refresh> {
  CACHECHECK_ACTION_BASICS(Refresh);
  static bool feasible(const ScriptState& s);
};
template <> struct Action<HardRefresh> {
  CACHECHECK_ACTION_BASICS(HardRefresh);
  static bool feasible(const ScriptState& s);
};
template <> struct Action<Navigate> {
  CACHECHECK_ACTION_BASICS(Navigate);
  static void apply(const Navigate& a, ScriptState& s);
  static bool feasible(const ScriptState& s);
};
template <> struct Action<Filter> {
  CACHECHECK_ACTION_BASICS(Filter);
  static void apply(const Filter& a, ScriptState& s);
  static bool feasible(const ScriptState& s);
};
template <> struct Action<Look> {
  CACHECHECK_ACTION_BASICS(Look);
  static bool feasible(const ScriptState& s);
};
template <> struct Action<Click> {
  CACHECHECK_ACTION_BASICS(Click);
  static bool sensible(const Click& a, const ScriptState& s);
  static bool feasible(const ScriptState& s);
};
template <> struct Action<Create> {
  CACHECHECK_ACTION_BASICS(Create);
  static void apply(const Create& a, ScriptState& s);
};
template <> struct Action<Edit> {
  CACHECHECK_ACTION_BASICS(Edit);
  static bool sensible(const Edit& a, const ScriptState& s);
  static void apply(const Edit& a, ScriptState& s);
  static bool feasible(const ScriptState& s);
};
template <> struct Action<Delete> {
  CACHECHECK_ACTION_BASICS(Delete);
  static bool sensible(const Delete& a, const ScriptState& s);
  static void apply(const Delete& a, ScriptState& s);
  static bool feasible(const ScriptState& s);
};
template <> struct Action<Advance> {
  CACHECHECK_ACTION_BASICS(Advance);
  static Needs needs();
};
template <> struct Action<Evict> {
  CACHECHECK_ACTION_BASICS(Evict);
  static Needs needs();
};
template <> struct Action<EvictVersion> {
  CACHECHECK_ACTION_BASICS(EvictVersion);
  static Needs needs();
};
template <> struct Action<EvictRandom> {
  CACHECHECK_ACTION_BASICS(EvictRandom);
  static Needs needs();
};
template <> struct Action<Flush> {
  CACHECHECK_ACTION_BASICS(Flush);
  static Needs needs();
};
template <> struct Action<Route> {
  CACHECHECK_ACTION_BASICS(Route);
  static Needs needs();
  static bool feasible(const ScriptState& s);
};
template <> struct Action<Concurrent> {
  CACHECHECK_ACTION_BASICS(Concurrent);
  static bool sensible(const Concurrent& a, const ScriptState& s);
  static void apply(const Concurrent& a, ScriptState& s);
  static bool feasible(const ScriptState& s);
};

#undef CACHECHECK_ACTION_BASICS

// Shared by the actions' JSON readers.
[[noreturn]] void step_error(const std::string& what);
std::optional<std::string> optional_string(const nlohmann::json& j, const char* name);
nlohmann::json optional_json(const std::optional<std::string>& s);

}  // namespace cachecheck
