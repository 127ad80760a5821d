// The harness's history, both forms: the JSON document (embedded in counterexamples
// and results) and the JSON Lines form `cachecheck check` reads.
// Finds: crashes, sanitizer reports, exceptions but std::runtime_error, and a
// history whose JSON does not round-trip (history.cpp: "the JSON form is exact"),
// nor its JSON Lines form.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "model/history.h"
#include "model/history_jsonl.h"

namespace {

void document(const std::uint8_t* data, std::size_t size) {
  auto j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return;
  try {
    const auto once = cachecheck::to_json(cachecheck::history_from_json(j)).dump();
    const auto twice = cachecheck::to_json(cachecheck::history_from_json(nlohmann::json::parse(once))).dump();
    if (once != twice) __builtin_trap();
  } catch (const std::runtime_error&) {
  }
}

void lines(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    const auto once = cachecheck::to_jsonl(cachecheck::history_from_jsonl(in));
    std::istringstream again(once);
    if (cachecheck::to_jsonl(cachecheck::history_from_jsonl(again)) != once) __builtin_trap();
  } catch (const std::runtime_error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  document(data, size);
  lines(data, size);
  return 0;
}
