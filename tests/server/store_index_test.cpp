// The store's date index (issue 15): feed() walks (start, id) from start − the longest
// span, so it must give exactly what a scan of every item gives — for random items,
// writes (moves, longer spans, deletes, cascades) and queries, open bounds included.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>

#include "calendar/store.h"
#include "fixtures.h"

using namespace calendar;

namespace {

// What feed() must answer: every item, judged by the query, sorted by (start, id).
std::vector<std::string> scan(const std::vector<WorkItem>& items, UserId user, Visibility v, const FeedQuery& q) {
  std::vector<const WorkItem*> hits;
  for (auto& i : items)
    if (can_see(v, user, i) && q.matches(i))
      hits.push_back(&i);
  std::sort(hits.begin(), hits.end(),
            [](auto* a, auto* b) { return std::tie(a->start_date, a->id) < std::tie(b->start_date, b->id); });
  std::vector<std::string> ids;
  for (auto* h : hits) ids.push_back(h->id);
  return ids;
}

std::vector<std::string> ids(const std::vector<Store::FeedRow>& rows) {
  std::vector<std::string> out;
  for (auto& r : rows) out.push_back(r.item.id);
  return out;
}

TEST(StoreIndex, TheFeedIsWhatAScanOfEveryItemGives) {
  std::mt19937_64 rng(15);
  const Date origin = Date::from_ymd(2025, 9, 1);
  auto random_item = [&](int n) {
    WorkItem i = testsupport::make_item(n, "2025-09-01", "2025-09-01", "task", "in_progress",
                                        static_cast<UserId>(1 + rng() % 3));
    i.start_date = origin.plus_days(static_cast<std::int64_t>(rng() % 120));
    if (rng() % 4 == 0) i.assignee_ids = {static_cast<UserId>(1 + rng() % 3)};
    // Mostly short items, now and then a long one (the span bound must follow it).
    i.due_date = i.start_date.plus_days(static_cast<std::int64_t>(rng() % 10 == 0 ? rng() % 90 : rng() % 4));
    i.is_calendar_visible = rng() % 8 != 0;
    return i;
  };
  ManualClock clock(0);
  for (int round = 0; round < 30; ++round) {
    Store store(clock);
    std::vector<WorkItem> items;
    for (int n = 0; n < 60; ++n) items.push_back(random_item(round * 1000 + n));
    store.reset(testsupport::demo_users(), items);
    for (int step = 0; step < 40; ++step) {
      const unsigned roll = static_cast<unsigned>(rng() % 4);
      if (roll == 0) {
        items.push_back(store.insert(random_item(round * 1000 + 100 + step)));
      } else if (roll == 1 && !items.empty()) {  // move an item, maybe lengthen it
        WorkItem& i = items[rng() % items.size()];
        i.start_date = origin.plus_days(static_cast<std::int64_t>(rng() % 120));
        i.due_date = i.start_date.plus_days(static_cast<std::int64_t>(rng() % 30));
        store.update(i);
      } else if (roll == 2 && !items.empty()) {
        const std::string gone = items[rng() % items.size()].id;
        for (auto& r : store.remove_subtree(gone))
          items.erase(std::remove_if(items.begin(), items.end(), [&](auto& i) { return i.id == r.id; }), items.end());
      }
      FeedQuery q;
      if (rng() % 6) q.start = origin.plus_days(static_cast<std::int64_t>(rng() % 130) - 5);
      if (rng() % 6) q.end = (q.start ? *q.start : origin).plus_days(static_cast<std::int64_t>(rng() % 50));
      const UserId user = static_cast<UserId>(1 + rng() % 3);
      const Visibility v = rng() % 2 ? Visibility::global : Visibility::assigned;
      ASSERT_EQ(ids(store.feed(user, v, q)), scan(items, user, v, q)) << "round " << round << " step " << step;
    }
  }
}

}  // namespace
