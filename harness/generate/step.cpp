// Dispatch of the step operations onto each action type (see step.h, actions.h).
#include "generate/step.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "generate/actions.h"

namespace cachecheck {
namespace {

using nlohmann::json;

template <class F>
auto visit(const Step& s, F&& f) {
  return std::visit(std::forward<F>(f), s.variant());
}

template <class T>
bool sensible_of(const T& a, const ScriptState& s) {
  if constexpr (requires { Action<T>::sensible(a, s); }) return Action<T>::sensible(a, s);
  else return Action<T>::check(a, s).empty();
}

template <class T>
void apply_of(const T& a, ScriptState& s) {
  if constexpr (requires { Action<T>::apply(a, s); }) Action<T>::apply(a, s);
}

template <class T>
Needs needs_of_type() {
  if constexpr (requires { Action<T>::needs(); }) return Action<T>::needs();
  else return {};
}

template <class T>
bool feasible_of(const ScriptState& s) {
  if constexpr (requires { Action<T>::feasible(s); }) return Action<T>::feasible(s);
  else return true;
}

template <class T>
ActionKind kind_of() {
  return ActionKind{T::kName, T::kWeight, needs_of_type<T>(), [](const ScriptState& s) { return feasible_of<T>(s); },
                    [](const ScriptState& s) { return Step(Action<T>::generate(s)); }};
}

template <std::size_t... I>
std::vector<ActionKind> all_kinds(std::index_sequence<I...>) {
  return {kind_of<std::variant_alternative_t<I, StepVariant>>()...};
}

template <std::size_t I = 0>
Step read_as(std::string_view name, const json& j) {
  if constexpr (I == std::variant_size_v<StepVariant>) {
    step_error("unknown action '" + std::string(name) + "'");
  } else {
    using T = std::variant_alternative_t<I, StepVariant>;
    if (name == T::kName) return Step(Action<T>::from_json(j));
    return read_as<I + 1>(name, j);
  }
}

}  // namespace

[[noreturn]] void step_error(const std::string& what) { throw std::runtime_error("script: " + what); }

std::optional<std::string> optional_string(const json& j, const char* name) {
  if (!j.contains(name) || j[name].is_null()) return std::nullopt;
  if (!j[name].is_string()) step_error(std::string("\"") + name + "\" must be a string or null");
  return j[name].get<std::string>();
}

json optional_json(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

std::string_view name_of(const Step& s) {
  return visit(s, [](const auto& a) { return std::decay_t<decltype(a)>::kName; });
}

json to_json(const Step& s) {
  json j = visit(s, [](const auto& a) { return Action<std::decay_t<decltype(a)>>::to_json(a); });
  j["action"] = std::string(name_of(s));
  return j;
}

Step step_from_json(const json& j) {
  if (!j.is_object() || !j.contains("action") || !j["action"].is_string()) step_error("a step needs an \"action\"");
  try {
    return read_as(j["action"].get<std::string>(), j);
  } catch (const json::exception& e) {
    step_error(std::string("malformed step: ") + e.what());
  }
}

std::string short_ref(const std::string& item) {
  if (item.rfind("$", 0) == 0) return item;
  if (item.rfind("00000000-0000-4000-8000-", 0) == 0) {
    std::string out(1, '#');  // built piecewise: GCC 12 warns falsely on "#" + std::string&&
    out += std::to_string(std::atoll(item.c_str() + 24));
    return out;
  }
  return item.substr(0, 8);
}

std::string describe(const Step& s, const Namer& name) {
  Namer n = name ? name : Namer(short_ref);
  return visit(s, [&](const auto& a) { return Action<std::decay_t<decltype(a)>>::describe(a, n); });
}

std::string check(const Step& s, const ScriptState& state) {
  std::string why = visit(s, [&](const auto& a) { return Action<std::decay_t<decltype(a)>>::check(a, state); });
  return why.empty() ? why : "step '" + describe(s) + "' " + why;
}

bool sensible(const Step& s, const ScriptState& state) {
  return visit(s, [&](const auto& a) { return sensible_of(a, state); });
}

void apply(const Step& s, ScriptState& state) {
  visit(s, [&](const auto& a) { apply_of(a, state); });
}

void play(const Step& s, Stage& stage) {
  visit(s, [&](const auto& a) { Action<std::decay_t<decltype(a)>>::play(a, stage); });
}

Needs needs_of(const Step& s) {
  return visit(s, [](const auto& a) { return needs_of_type<std::decay_t<decltype(a)>>(); });
}

UserId user_of(const Step& s) {
  return visit(s, [](const auto& a) -> UserId {
    if constexpr (requires { a.user + 0; }) return a.user;
    else return 0;
  });
}

std::string tab_of(const Step& s) {
  return visit(s, [](const auto& a) -> std::string {
    if constexpr (requires { a.tab; }) return a.tab;
    else return "";
  });
}

const std::vector<ActionKind>& action_kinds() {
  static const std::vector<ActionKind> kinds = all_kinds(std::make_index_sequence<std::variant_size_v<StepVariant>>{});
  return kinds;
}

}  // namespace cachecheck
