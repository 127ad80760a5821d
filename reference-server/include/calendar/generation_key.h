// The robust strategy's feed keys name the store's generation:
//   calendar_feed:{uid}:g{generation}:{type}:{status}:{start}:{end}
// The generation only grows (every write bumps it in the store's critical
// section; a reset bumps it too and empties every cache), so once a family's
// entry for generation N is stored, its entries for older generations can
// never be asked for again: the memory cache drops them (memory_cache.h).
// Other strategies' versions can go back (an evicted `calendar_version:{uid}`
// reads as 0 again), so their keys are never treated this way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace calendar {

struct GenerationKey {
  std::string family;  // the key without its generation: calendar_feed:{uid}:g:{rest}
  std::uint64_t generation = 0;
};

// nullopt for any key not of the form above.
std::optional<GenerationKey> parse_generation_key(std::string_view key);

}  // namespace calendar
