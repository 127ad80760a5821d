#include "calendar/generation_key.h"

#include <charconv>

namespace calendar {
namespace {

// Consumes leading decimal digits of `s` into `out`; false when there are none or they overflow.
bool take_number(std::string_view& s, std::uint64_t& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || ptr == s.data()) return false;
  s.remove_prefix(static_cast<std::size_t>(ptr - s.data()));
  return true;
}

}  // namespace

std::optional<GenerationKey> parse_generation_key(std::string_view key) {
  constexpr std::string_view kPrefix = "calendar_feed:";
  if (key.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view rest = key.substr(kPrefix.size());
  std::uint64_t user = 0, generation = 0;
  const std::string_view user_part = rest;
  if (!take_number(rest, user) || rest.substr(0, 2) != ":g") return std::nullopt;
  const std::size_t user_len = user_part.size() - rest.size();
  rest.remove_prefix(2);
  if (!take_number(rest, generation) || rest.empty() || rest.front() != ':') return std::nullopt;
  GenerationKey out;
  out.family = std::string(kPrefix) + std::string(user_part.substr(0, user_len)) + ":g" + std::string(rest);
  out.generation = generation;
  return out;
}

}  // namespace calendar
