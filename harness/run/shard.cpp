// `--shard K/N` and what `cachecheck merge` needs to put slices back together.
#include <charconv>
#include <stdexcept>

#include "run/results.h"

namespace cachecheck {
namespace {

int positive(std::string_view digits, const std::string& text) {
  int v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || v < 1 || v > 100000)
    throw std::runtime_error("--shard must be K/N with 1 ≤ K ≤ N ≤ 100000 (e.g. 2/4), got '" + text + "'");
  return v;
}

}  // namespace

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos)
    throw std::runtime_error("--shard must be K/N with 1 ≤ K ≤ N ≤ 100000 (e.g. 2/4), got '" + text + "'");
  Shard s{positive(std::string_view(text).substr(0, slash), text), positive(std::string_view(text).substr(slash + 1), text)};
  if (s.index > s.count) throw std::runtime_error("--shard K/N needs K ≤ N, got '" + text + "'");
  return s;
}

std::string to_string(const Shard& s) { return std::to_string(s.index) + "/" + std::to_string(s.count); }

}  // namespace cachecheck
