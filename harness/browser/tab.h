// One browser tab showing the calendar, as FullCalendar v6 keeps it: its view
// (client model, firstDay, the browser's offset, the focus date), its filter,
// the events it fetched last (its in-memory event store) and the range and
// filter they were fetched for — lazy fetching refetches only when the current
// view needs a range or filter it has not fetched
// (core/src/reducers/eventSources.ts: a source refetches when the active range
// leaves its fetchRange, or on refetchEvents()).
#pragma once

#include <optional>
#include <string>
#include <vector>
#include <utility>

#include "browser/fullcalendar.h"
#include "model/domain.h"
#include "model/history.h"
#include "model/semantics.h"

namespace cachecheck {

struct TabSetup {
  TabSetup() = default;
  TabSetup(ClientModel m, int first, int offset_min, Date f, std::string zone = {})
      : model(m), first_day(first), utc_offset_min(offset_min), focus(f), time_zone(std::move(zone)) {}
  ClientModel model = ClientModel::fullcalendar_month;
  int first_day = 1;       // 0 Sunday, 1 Monday
  int utc_offset_min = 0;  // the browser's offset, sent in FullCalendar's bounds
  Date focus;              // a date inside the first view
  // The browser's IANA zone (issue 13): when set, each bound carries that zone's offset at its
  // own date (time_zone.h), so a range across a daylight-saving change mixes offsets, and
  // utc_offset_min is not used. Empty: the fixed utc_offset_min.
  std::string time_zone;
  friend bool operator==(const TabSetup&, const TabSetup&) = default;
};

struct Tab {
  std::string name;
  UserId user = 0;
  TabSetup setup;
  Date focus;
  std::optional<std::string> type, status;
  std::vector<ShownEvent> events;  // FullCalendar's in-memory event store
  std::optional<ViewRange> fetched;
  std::optional<std::string> fetched_type, fetched_status;

  ViewRange range() const { return view_range(setup.model, focus, setup.first_day); }
  // What the current view asks the feed for: its bounds' dates and its filters.
  Query query() const;
  // The browser's offset at `d` (time_zone if set, else utc_offset_min).
  int offset_at(Date d) const;
  // The query string FullCalendar sends for the current view.
  std::string query_string() const;
  // Whether the events in memory were fetched for a range holding the current view, same filter.
  bool covers_current_view() const;
  // What the tab displays from memory: the stored events inside the current view
  // (FullCalendar renders only events overlapping the visible range).
  std::vector<ShownEvent> displayed() const;
  bool displays(const std::string& item_id) const;
  // After a fetch of the current view: its events are the new in-memory store.
  void remember(std::vector<ShownEvent> shown);
  // A reload: the page (and its in-memory store) starts over.
  void forget();
};

}  // namespace cachecheck
