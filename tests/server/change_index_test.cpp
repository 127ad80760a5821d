// The store's change index (the `precise` strategy's signal): conservative — any
// write that changes a feed answer moves that answer's counter — and precise
// where it claims to be: other days, other filters, other audiences keep theirs.
#include <gtest/gtest.h>

#include <random>

#include "calendar/clock.h"
#include "calendar/store.h"
#include "fixtures.h"

using namespace calendar;
using testsupport::item_uuid;
using testsupport::make_item;

namespace {

Date d(const char* iso) { return *Date::parse(iso); }
FeedQuery range(const char* start, const char* end) { return FeedQuery{d(start), d(end), std::nullopt, std::nullopt}; }

struct Fixture {
  Fixture() : clock(*parse_instant("2025-10-05T09:00:00Z")), store(clock) {
    store.reset(testsupport::demo_users(), {make_item(1, "2025-10-10", "2025-10-12"),
                                            make_item(2, "2025-10-20", "2025-10-20", "project", "blocked", 2)});
  }
  std::uint64_t count(const FeedQuery& q, UserId user = 1, Visibility v = Visibility::global) {
    return store.feed_version(user, v, q).changes;
  }
  ManualClock clock;
  Store store;
};

TEST(ChangeIndex, CountsAWriteOnlyWhereItsDaysAre) {
  Fixture f;
  const FeedQuery before = range("2025-10-01", "2025-10-10");  // end exclusive: the 10th is not in it
  const FeedQuery on = range("2025-10-12", "2025-10-13");
  const FeedQuery after = range("2025-10-13", "2025-10-20");
  const FeedQuery all{};
  WorkItem edited = make_item(1, "2025-10-10", "2025-10-12");
  edited.title = "renamed";
  f.store.update(edited);
  EXPECT_EQ(f.count(before), 0u);
  EXPECT_EQ(f.count(after), 0u);
  EXPECT_EQ(f.count(on), 2u);  // the old and the new state
  EXPECT_EQ(f.count(all), 2u);
}

TEST(ChangeIndex, AnEditMovesTheOldAndTheNewDates) {
  Fixture f;
  const FeedQuery october = range("2025-10-01", "2025-11-01");
  const FeedQuery december = range("2025-12-01", "2026-01-01");
  const FeedQuery november = range("2025-11-01", "2025-12-01");
  f.store.update(make_item(1, "2025-12-24", "2025-12-26"));
  EXPECT_EQ(f.count(october), 1u);
  EXPECT_EQ(f.count(december), 1u);
  EXPECT_EQ(f.count(november), 0u);
}

TEST(ChangeIndex, FiltersAndAudiencesKeepTheirCounters) {
  Fixture f;
  const FeedQuery october = range("2025-10-01", "2025-11-01");
  FeedQuery projects = october;
  projects.type = "project";
  FeedQuery blocked = october;
  blocked.status = "blocked";
  WorkItem task = make_item(1, "2025-10-10", "2025-10-12");  // a task of alice's, in progress
  task.title = "renamed";
  f.store.update(task);
  EXPECT_EQ(f.count(projects), 0u);
  EXPECT_EQ(f.count(blocked), 0u);
  EXPECT_EQ(f.count(october, 2, Visibility::assigned), 0u) << "bob does not see alice's task";
  EXPECT_EQ(f.count(october, 1, Visibility::assigned), 2u);
  EXPECT_GT(f.count(october, 2, Visibility::global), 0u);
}

TEST(ChangeIndex, AnEditThatChangesNoEventCountsNowhereUnderGlobalVisibility) {
  Fixture f;
  WorkItem item = make_item(1, "2025-10-10", "2025-10-12");
  item.assignee_ids = {3};
  f.store.update(item);
  EXPECT_EQ(f.count(FeedQuery{}), 0u);
  EXPECT_EQ(f.count(FeedQuery{}, 3, Visibility::assigned), 1u) << "carol now sees it";
}

TEST(ChangeIndex, AResetStartsANewEpoch) {
  Fixture f;
  const auto epoch = f.store.feed_version(1, Visibility::global, FeedQuery{}).epoch;
  f.store.reset(testsupport::demo_users(), {});
  EXPECT_NE(f.store.feed_version(1, Visibility::global, FeedQuery{}).epoch, epoch);
}

// What a feed answer shows, levels included.
std::string answer(const Store& store, UserId user, Visibility v, const FeedQuery& q) {
  std::string out;
  for (const auto& row : store.feed(user, v, q))
    out += to_json(row.item).dump() + "@" + std::to_string(row.level) + "\n";
  return out;
}

// Random forests, random writes (dates, kinds, statuses, titles, parents, visibility,
// assignees, creates, cascades), random queries: every answer a write changes has a
// new counter, and no counter ever goes back.
TEST(ChangeIndex, EveryChangedAnswerMovesItsCounter) {
  std::mt19937_64 rng(16);
  auto uniform = [&](int lo, int hi) { return lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1)); };
  const Date base = d("2025-09-01");
  auto random_item = [&](int n) {
    WorkItem item = make_item(n, "2025-09-01", "2025-09-01", std::string(kWorkTypes[rng() % 6]),
                              std::string(kStatuses[rng() % 6]), uniform(1, 3));
    item.start_date = base.plus_days(uniform(0, 120));
    item.due_date = item.start_date.plus_days(uniform(0, 20));
    if (uniform(0, 2) == 0) item.assignee_ids = {uniform(1, 3)};
    item.is_calendar_visible = uniform(0, 5) != 0;
    return item;
  };
  std::vector<FeedQuery> queries;
  for (int i = 0; i < 60; ++i) {
    FeedQuery q;
    if (uniform(0, 5) != 0) {
      q.start = base.plus_days(uniform(-10, 130));
      q.end = q.start->plus_days(uniform(1, 45));
    }
    if (uniform(0, 2) == 0) q.type = std::string(kWorkTypes[rng() % 6]);
    if (uniform(0, 3) == 0) q.status = std::string(kStatuses[rng() % 6]);
    queries.push_back(q);
  }
  for (int round = 0; round < 8; ++round) {
    ManualClock clock(*parse_instant("2025-10-05T09:00:00Z"));
    Store store(clock);
    std::vector<WorkItem> items;
    for (int n = 1; n <= 12; ++n) {
      items.push_back(random_item(n));
      if (n > 1 && uniform(0, 1) == 0) items.back().parent_id = item_uuid(uniform(1, n - 1));
    }
    store.reset(testsupport::demo_users(), items);
    int next = 13;
    for (int step = 0; step < 40; ++step) {
      struct Seen {
        std::string answer;
        std::uint64_t changes;
      };
      std::vector<Seen> seen;
      for (Visibility v : {Visibility::global, Visibility::assigned})
        for (UserId u = 1; u <= 3; ++u)
          for (const auto& q : queries) seen.push_back({answer(store, u, v, q), store.feed_version(u, v, q).changes});
      const std::string id = item_uuid(uniform(1, next - 1));
      auto existing = store.get(id);
      const int what = uniform(0, 9);
      if (!existing || what < 2) {
        WorkItem item = random_item(next);
        if (uniform(0, 1) == 0) item.parent_id = item_uuid(uniform(1, next - 1));
        if (item.parent_id && !store.get(*item.parent_id)) item.parent_id.reset();
        store.insert(item);
        ++next;
      } else if (what < 4) {
        store.remove_subtree(id);
      } else {
        WorkItem item = random_item(0);
        item.id = id;
        item.parent_id = existing->parent_id;
        if (what == 9) {  // move it under another item (no cycle), or to the root
          const std::string parent = item_uuid(uniform(1, next - 1));
          item.parent_id.reset();
          if (store.get(parent) && !store.is_ancestor(id, parent)) item.parent_id = parent;
        } else if (what == 8) {
          item = *existing;
          item.title = "renamed " + std::to_string(step);
        }
        store.update(item);
      }
      std::size_t i = 0;
      for (Visibility v : {Visibility::global, Visibility::assigned})
        for (UserId u = 1; u <= 3; ++u)
          for (const auto& q : queries) {
            const Seen& was = seen[i++];
            const std::uint64_t now = store.feed_version(u, v, q).changes;
            ASSERT_GE(now, was.changes) << "a counter went back";
            if (answer(store, u, v, q) != was.answer) {
              ASSERT_GT(now, was.changes) << "round " << round << ", step " << step << ": user " << u << "'s answer to "
                                          << (q.start ? q.start->iso() : "-") << ".." << (q.end ? q.end->iso() : "-")
                                          << " changed, its counter did not";
            }
          }
    }
  }
}

}  // namespace
