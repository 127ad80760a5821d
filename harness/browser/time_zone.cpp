#include "browser/time_zone.h"

#include <date/tz.h>

#include <chrono>
#include <stdexcept>

namespace cachecheck {
namespace {

const date::time_zone* find_zone(std::string_view name) {
  if (name.empty()) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::runtime_error&) {
    return nullptr;
  }
}

}  // namespace

bool is_known_time_zone(std::string_view name) { return find_zone(name) != nullptr; }

int midnight_offset_minutes(std::string_view zone, Date d) {
  const date::time_zone* tz = find_zone(zone);
  if (!tz) throw std::invalid_argument("unknown time zone '" + std::string(zone) + "'");
  date::local_seconds midnight{std::chrono::duration_cast<std::chrono::seconds>(date::days{d.days()})};
  date::local_info info = tz->get_info(midnight);
  // unique and ambiguous: `first` (the only one, or the earlier instant's); nonexistent: the
  // instant after the gap, in force from `second.begin`.
  std::chrono::seconds offset = info.result == date::local_info::nonexistent ? info.second.offset : info.first.offset;
  return static_cast<int>(offset.count() / 60);
}

}  // namespace cachecheck
