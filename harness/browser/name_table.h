// An enum's names, both ways: one constexpr table per enum instead of a switch and a loop each.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace cachecheck {

template <class E, std::size_t N>
struct NameTable {
  std::array<std::pair<E, std::string_view>, N> entries;

  std::string_view name(E e) const {
    for (const auto& [value, text] : entries)
      if (value == e) return text;
    return "unknown";
  }
  std::optional<E> parse(std::string_view s) const {
    for (const auto& [value, text] : entries)
      if (text == s) return value;
    return std::nullopt;
  }
  std::vector<E> values() const {
    std::vector<E> v;
    for (const auto& entry : entries) v.push_back(entry.first);
    return v;
  }
};

}  // namespace cachecheck
