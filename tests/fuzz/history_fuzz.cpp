// The harness's history JSON (embedded in counterexamples and results).
// Finds: crashes, sanitizer reports, exceptions but std::runtime_error, and a
// history whose JSON does not round-trip (history.cpp: "the JSON form is exact").
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "model/history.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  try {
    const auto once = cachecheck::to_json(cachecheck::history_from_json(j)).dump();
    const auto twice = cachecheck::to_json(cachecheck::history_from_json(nlohmann::json::parse(once))).dump();
    if (once != twice) __builtin_trap();
  } catch (const std::runtime_error&) {
  }
  return 0;
}
