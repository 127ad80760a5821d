// The browser's time zone, by IANA name, as a page's JavaScript sees it.
//
// Offsets come from Howard Hinnant's date/tz (Debian's libhowardhinnant-date-dev, linked as
// date::date-tz, built with USE_OS_TZDB=1: it reads the system's tzdata in /usr/share/zoneinfo,
// the same database Debian's Chromium reads through ICU).
//
// FullCalendar with timeZone 'local' writes a bound as the local midnight of its date plus the
// offset JavaScript gives for it: `-new Date(y, m, d).getTimezoneOffset()`
// (core/src/datelib/env.ts offsetForMarker → arrayToLocalDate). ECMAScript's LocalTime
// resolution decides the odd cases, and they are reproduced here:
//   a midnight skipped by a daylight-saving jump (America/Santiago, America/Havana, …): the Date
//     lands after the gap, so the offset is the one in force after the change;
//   a midnight that occurs twice (a fall-back at 01:00 to 00:00): the earlier instant, so the
//     offset is the one in force before the change.
#pragma once

#include <string>
#include <string_view>

#include "model/time.h"

namespace cachecheck {

// Whether the system's tzdata knows `name` ("Europe/Berlin", "UTC", "America/New_York", …).
bool is_known_time_zone(std::string_view name);

// Minutes east of UTC that JavaScript in a browser set to `zone` gives for local midnight of `d`
// (+60 for Berlin in winter, -240 for New York in summer). Whole minutes: historical local mean
// times with seconds are truncated toward zero. Throws std::invalid_argument for an unknown zone.
int midnight_offset_minutes(std::string_view zone, Date d);

}  // namespace cachecheck
