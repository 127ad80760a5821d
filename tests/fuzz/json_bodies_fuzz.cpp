// The JSON bodies: create (item_from_json), edit (apply_patch) and
// /__admin/reset (parse_reset), behind parse_json_body's depth limit.
// Finds: crashes, sanitizer reports, exceptions (bad input must be an error
// message, never a throw), an edit that leaves an invalid item, and a reset
// body that does not survive reset_to_json → parse_reset unchanged.
#include <cstddef>
#include <cstdint>
#include <string>

#include "calendar/demo_fixture.h"
#include "calendar/domain.h"
#include "calendar/request_parsing.h"
#include "calendar/reset_data.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace calendar;
  std::string error;
  auto body = parse_json_body(std::string(reinterpret_cast<const char*>(data), size), error);
  if (!body) return 0;
  if (auto created = item_from_json(*body, false, error, 1))
    if (!validate_item(*created).empty()) __builtin_trap();
  item_from_json(*body, true, error);
  WorkItem item = demo_items()[2];
  const WorkItem before = item;
  if (apply_patch(item, *body, error)) {
    if (!validate_item(item).empty()) __builtin_trap();
  } else if (!(item == before)) {
    __builtin_trap();  // a refused edit changes nothing
  }
  if (auto reset = parse_reset(*body, error)) {
    auto again = parse_reset(reset_to_json(*reset), error);
    if (!again || again->items != reset->items || again->visibility != reset->visibility ||
        again->users.size() != reset->users.size())
      __builtin_trap();
  }
  return 0;
}
