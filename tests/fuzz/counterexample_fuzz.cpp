// The harness's counterexample files (cachecheck replay reads them).
// Finds: crashes, sanitizer reports, and any exception but the documented
// std::runtime_error with a reason.
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "reproduce/counterexample.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  try {
    cachecheck::Counterexample c = cachecheck::counterexample_from_json(j);
    (void)cachecheck::to_json(c).dump();
  } catch (const std::runtime_error&) {
  }
  return 0;
}
