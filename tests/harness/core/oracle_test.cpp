// The oracle and the history's JSON form: hand-written histories where each
// violation kind is found where it is and not where it is not; a round trip of
// the JSON form; properties over generated histories answered from the truth.
// At the end, the ideal hit rate (model/ideal.h) on hand-written histories.
#include "model/history.h"
#include "model/ideal.h"
#include "model/oracle.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <tuple>

namespace {

using namespace cachecheck;

// ---- helpers -------------------------------------------------------------

std::string uuid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

Date d(const char* s) { return *Date::parse(s); }

constexpr TimeMs s(double seconds) { return static_cast<TimeMs>(seconds * 1000); }

Item item(int n, std::string title, std::string type = "task", const char* start = "2025-10-06",
              const char* due = "2025-10-08", UserId owner = 1, std::optional<int> parent = std::nullopt) {
  Item i;
  i.id = uuid(n);
  i.title = std::move(title);
  i.work_type = std::move(type);
  i.status = "not_started";
  i.start_date = d(start);
  i.due_date = d(due);
  if (parent) i.parent_id = uuid(*parent);
  i.owner_id = owner;
  return i;
}

ShownEvent event(const Item& i) {
  return ShownEvent{i.id, i.title, i.work_type, i.status, i.start_date, i.due_date, i.parent_id};
}

Query october(std::optional<std::string> type = std::nullopt, std::optional<std::string> status = std::nullopt) {
  Query q;
  q.start = d("2025-09-29");
  q.end = d("2025-11-10");
  q.type = std::move(type);
  q.status = std::move(status);
  return q;
}

Op view(TimeMs invoke, TimeMs complete, std::vector<Item> shown, Query q = october(), UserId user = 1,
        std::string tab = "t1", Layer layer = Layer::server_cache, int status = 200) {
  Op op;
  op.kind = OpKind::view;
  op.user = user;
  op.tab = std::move(tab);
  op.invoke = invoke;
  op.complete = complete;
  op.status = status;
  op.query = std::move(q);
  op.layer = layer;
  for (const auto& i : shown) op.shown.push_back(event(i));
  return op;
}

Op write(OpKind kind, TimeMs invoke, TimeMs complete, const Item& written, UserId user = 1) {
  Op op;
  op.kind = kind;
  op.user = user;
  op.invoke = invoke;
  op.complete = complete;
  op.status = kind == OpKind::create ? 201 : 200;
  op.item_id = written.id;
  op.written = written;
  return op;
}
Op create(TimeMs invoke, TimeMs complete, const Item& i, UserId user = 1) {
  return write(OpKind::create, invoke, complete, i, user);
}
Op edit(TimeMs invoke, TimeMs complete, const Item& i, UserId user = 1) {
  return write(OpKind::edit, invoke, complete, i, user);
}

Op remove(TimeMs invoke, TimeMs complete, const std::string& id, std::vector<std::string> deleted = {},
          UserId user = 1) {
  Op op;
  op.kind = OpKind::remove;
  op.user = user;
  op.invoke = invoke;
  op.complete = complete;
  op.status = 200;
  op.item_id = id;
  op.deleted = deleted.empty() ? std::vector<std::string>{id} : std::move(deleted);
  return op;
}

Op click(TimeMs invoke, TimeMs complete, const std::string& id, int status, UserId user = 1,
         std::string tab = "t1") {
  Op op;
  op.kind = OpKind::click;
  op.user = user;
  op.tab = std::move(tab);
  op.invoke = invoke;
  op.complete = complete;
  op.status = status;
  op.item_id = id;
  return op;
}

History history(std::vector<Item> initial, std::vector<Op> ops,
                Visibility vis = Visibility::global) {
  History h;
  h.users = {{1, "alice", "alice"}, {2, "bob", "bob"}, {3, "carol", "carol"}};
  h.initial_items = std::move(initial);
  h.visibility = vis;
  for (std::size_t i = 0; i < ops.size(); ++i) ops[i].index = i;
  h.ops = std::move(ops);
  return h;
}

std::vector<std::string> kinds(const Verdict& v) {
  std::vector<std::string> out;
  for (const auto& x : v.violations) out.emplace_back(to_string(x.kind));
  return out;
}

using Kinds = std::vector<std::string>;

// ---- names and events ----------------------------------------------------

TEST(HistoryNames, LayersAndKindsRoundTrip) {
  for (Layer l : {Layer::store, Layer::server_cache, Layer::http_cache, Layer::client_store})
    EXPECT_EQ(parse_layer(to_string(l)), l);
  EXPECT_EQ(to_string(Layer::server_cache), "server-cache");
  EXPECT_EQ(to_string(Layer::client_store), "client-store");
  EXPECT_EQ(to_string(OpKind::remove), "delete");
  EXPECT_EQ(parse_op_kind("delete"), OpKind::remove);
  for (OpKind k : {OpKind::view, OpKind::click, OpKind::create, OpKind::edit, OpKind::remove, OpKind::fault})
    EXPECT_EQ(parse_op_kind(to_string(k)), k);
  EXPECT_FALSE(parse_layer("cache"));
  EXPECT_FALSE(parse_op_kind("remove"));
}

TEST(HistoryEvents, DecodesTheContractFormat) {
  nlohmann::json j = {{"id", "work-item-" + uuid(1)},
                      {"title", "Plan"},
                      {"workType", "sub_project"},
                      {"status", "in_progress"},
                      {"start", "2025-10-01"},
                      {"end", "2025-10-04"},
                      {"parentId", "work-item-" + uuid(7)},
                      {"level", 1},
                      {"url", "/oobc-management/work-items/" + uuid(1) + "/modal/"}};
  ShownEvent e = shown_from_event_json(j);
  EXPECT_EQ(e.item_id, uuid(1));
  EXPECT_EQ(e.work_type, "sub_project");
  EXPECT_EQ(e.start, d("2025-10-01"));
  EXPECT_EQ(e.end, d("2025-10-04"));
  EXPECT_EQ(e.parent_id, uuid(7));
  j["parentId"] = nullptr;
  EXPECT_FALSE(shown_from_event_json(j).parent_id);
}

TEST(HistoryEvents, RejectsMalformedEvents) {
  nlohmann::json good = {{"id", "work-item-" + uuid(1)}, {"title", "x"},        {"workType", "task"},
                         {"status", "not_started"},      {"start", "2025-10-01"}, {"end", "2025-10-01"},
                         {"parentId", nullptr}};
  EXPECT_NO_THROW(shown_from_event_json(good));
  auto bad = [&](const char* key, nlohmann::json value) {
    nlohmann::json j = good;
    if (value.is_discarded()) j.erase(key);
    else j[key] = std::move(value);
    EXPECT_THROW(shown_from_event_json(j), std::runtime_error) << key;
  };
  bad("id", uuid(1));  // no prefix
  bad("id", 5);
  bad("title", nlohmann::json::value_t::discarded);
  bad("start", "2025-13-01");
  bad("end", "yesterday");
  bad("parentId", "not-a-work-item");
  bad("workType", nullptr);
  EXPECT_THROW(shown_from_event_json(nlohmann::json::array()), std::runtime_error);
}

// ---- stale-visible -------------------------------------------------------

TEST(OracleStaleVisible, ShownAfterTheDeleteCompleted) {
  Item a = item(1, "A");
  auto v = judge(history({a}, {remove(s(9), s(10), a.id), view(s(20), s(21), {a})}));
  ASSERT_EQ(kinds(v), Kinds{"stale-visible"});
  const Violation& x = v.violations[0];
  EXPECT_EQ(x.item_id, a.id);
  EXPECT_DOUBLE_EQ(x.staleness_s, 10.0);
  EXPECT_EQ(x.user, 1);
  EXPECT_EQ(x.tab, "t1");
  EXPECT_EQ(x.layer, Layer::server_cache);
  EXPECT_EQ(x.op_index, 1u);
  EXPECT_EQ(v.reads_checked, 1u);
  EXPECT_DOUBLE_EQ(v.max_staleness_s, 10.0);
}

TEST(OracleStaleVisible, ConcurrentDeleteIsNotAViolation) {
  Item a = item(1, "A");
  // Shown or not: the delete may or may not have happened for the view.
  EXPECT_TRUE(judge(history({a}, {remove(s(9), s(10), a.id), view(s(5), s(15), {a})})).violations.empty());
  EXPECT_TRUE(judge(history({a}, {remove(s(9), s(10), a.id), view(s(5), s(15), {})})).violations.empty());
  // Completing exactly when the view is invoked is still concurrent.
  EXPECT_TRUE(judge(history({a}, {remove(s(9), s(10), a.id), view(s(10), s(11), {a})})).violations.empty());
  // And a view after it that does not show it is fine.
  EXPECT_TRUE(judge(history({a}, {remove(s(9), s(10), a.id), view(s(20), s(21), {})})).violations.empty());
}

TEST(OracleStaleVisible, CascadeDeleteMakesChildrenStaleToo) {
  Item p = item(1, "Parent", "project");
  Item c1 = item(2, "Child 1", "sub_project", "2025-10-06", "2025-10-07", 1, 1);
  Item c2 = item(3, "Child 2", "task", "2025-10-06", "2025-10-07", 1, 2);
  auto v = judge(history({p, c1, c2}, {remove(s(1), s(2), p.id, {p.id, c1.id, c2.id}), view(s(5), s(6), {c1, c2})}));
  ASSERT_EQ(kinds(v), (Kinds{"stale-visible", "stale-visible"}));
  EXPECT_EQ(v.violations[0].item_id, c1.id);
  EXPECT_EQ(v.violations[1].item_id, c2.id);
  EXPECT_DOUBLE_EQ(v.violations[1].staleness_s, 3.0);
}

TEST(OracleStaleVisible, JudgedOnEveryLayerButNotOnFailedViews) {
  Item a = item(1, "A");
  auto client = view(s(20), s(20), {a}, october(), 1, "t1", Layer::client_store, 0);
  auto v = judge(history({a}, {remove(s(9), s(10), a.id), client}));
  ASSERT_EQ(kinds(v), Kinds{"stale-visible"});
  EXPECT_EQ(v.violations[0].layer, Layer::client_store);
  auto failed = view(s(20), s(21), {a}, october(), 1, "t1", Layer::store, 500);
  auto v2 = judge(history({a}, {remove(s(9), s(10), a.id), failed}));
  EXPECT_TRUE(v2.violations.empty());
  EXPECT_EQ(v2.reads_checked, 0u);
}

TEST(OracleStaleVisible, FailedDeleteDoesNotCount) {
  Item a = item(1, "A");
  Op del = remove(s(9), s(10), a.id);
  del.status = 403;
  EXPECT_TRUE(judge(history({a}, {del, view(s(20), s(21), {a})})).violations.empty());
}

// ---- stale-content -------------------------------------------------------

TEST(OracleStaleContent, OldTitleAfterAnEdit) {
  Item a = item(1, "Old");
  Item a2 = a;
  a2.title = "New";
  auto v = judge(history({a}, {edit(s(1), s(2), a2), view(s(5), s(6), {a})}));
  ASSERT_EQ(kinds(v), Kinds{"stale-content"});
  EXPECT_DOUBLE_EQ(v.violations[0].staleness_s, 3.0);
  EXPECT_TRUE(judge(history({a}, {edit(s(1), s(2), a2), view(s(5), s(6), {a2})})).violations.empty());
  // Concurrent edit: either version.
  EXPECT_TRUE(judge(history({a}, {edit(s(1), s(7), a2), view(s(5), s(6), {a})})).violations.empty());
  EXPECT_TRUE(judge(history({a}, {edit(s(1), s(7), a2), view(s(5), s(6), {a2})})).violations.empty());
}

TEST(OracleStaleContent, StalenessFromTheWriteThatSupersededTheShownVersion) {
  Item a = item(1, "v0");
  Item a1 = a, a2 = a;
  a1.title = "v1";
  a2.title = "v2";
  auto v = judge(history({a}, {edit(s(1), s(2), a1), edit(s(3), s(4), a2), view(s(10), s(11), {a})}));
  ASSERT_EQ(kinds(v), Kinds{"stale-content"});
  EXPECT_DOUBLE_EQ(v.violations[0].staleness_s, 8.0);  // v0 was superseded at t=2
  auto v1 = judge(history({a}, {edit(s(1), s(2), a1), edit(s(3), s(4), a2), view(s(10), s(11), {a1})}));
  ASSERT_EQ(kinds(v1), Kinds{"stale-content"});
  EXPECT_DOUBLE_EQ(v1.violations[0].staleness_s, 6.0);  // v1 was superseded at t=4
}

TEST(OracleStaleContent, OverlappingWritesAdmitEitherButNotOneThatWasFollowed) {
  Item a = item(1, "v0");
  Item wa = a, wb = a, wc = a;
  wa.title = "A";
  wb.title = "B";
  wc.title = "C";
  // A [0,10] overlaps B [8,9]; C [1,2] was followed by B entirely.
  std::vector<Op> ops = {edit(s(0), s(10), wa), edit(s(1), s(2), wc), edit(s(8), s(9), wb)};
  for (const Item& shown : {wa, wb}) {
    auto o = ops;
    o.push_back(view(s(20), s(21), {shown}));
    EXPECT_TRUE(judge(history({a}, o)).violations.empty()) << shown.title;
  }
  auto o = ops;
  o.push_back(view(s(20), s(21), {wc}));
  EXPECT_EQ(kinds(judge(history({a}, o))), Kinds{"stale-content"});
}

TEST(OracleStaleContent, EditedOutOfRangeThenShownWithOldDates) {
  Item a = item(1, "A");
  Item moved = a;
  moved.start_date = d("2025-12-01");
  moved.due_date = d("2025-12-03");
  auto v = judge(history({a}, {edit(s(1), s(2), moved), view(s(5), s(6), {a})}));
  EXPECT_EQ(kinds(v), Kinds{"stale-content"});
  // Not shown at all is right; shown with its new dates in October is a range violation.
  EXPECT_TRUE(judge(history({a}, {edit(s(1), s(2), moved), view(s(5), s(6), {})})).violations.empty());
  EXPECT_EQ(kinds(judge(history({a}, {edit(s(1), s(2), moved), view(s(5), s(6), {moved})}))),
            Kinds{"range-violation"});
}

TEST(OracleStaleContent, AnItemTheHistoryNeverKnew) {
  Item ghost = item(9, "Ghost");
  auto v = judge(history({}, {view(s(1), s(2), {ghost})}));
  EXPECT_EQ(kinds(v), Kinds{"stale-content"});
}

// ---- missing -------------------------------------------------------------

TEST(OracleMissing, CreatedBeforeTheViewButNotShown) {
  Item a = item(1, "A");
  auto v = judge(history({}, {create(s(1), s(2), a), view(s(5), s(6), {})}));
  ASSERT_EQ(kinds(v), Kinds{"missing"});
  EXPECT_EQ(v.violations[0].item_id, a.id);
  EXPECT_DOUBLE_EQ(v.violations[0].staleness_s, 3.0);
  EXPECT_TRUE(judge(history({}, {create(s(1), s(2), a), view(s(5), s(6), {a})})).violations.empty());
}

TEST(OracleMissing, CreatedConcurrentlyIsNotMissing) {
  Item a = item(1, "A");
  EXPECT_TRUE(judge(history({}, {create(s(4), s(7), a), view(s(5), s(6), {})})).violations.empty());
  EXPECT_TRUE(judge(history({}, {create(s(4), s(7), a), view(s(5), s(6), {a})})).violations.empty());
}

TEST(OracleMissing, InitialItemsMustAppearWithStalenessZero) {
  Item a = item(1, "A");
  auto v = judge(history({a}, {view(s(5), s(6), {})}));
  ASSERT_EQ(kinds(v), Kinds{"missing"});
  EXPECT_DOUBLE_EQ(v.violations[0].staleness_s, 0.0);
}

TEST(OracleMissing, OnlyItemsTheQueryAndTheUserShouldSee) {
  Item task = item(1, "T", "task");
  Item december = item(2, "D", "task", "2025-12-01", "2025-12-02");
  Item hidden = item(3, "H", "task");
  hidden.is_calendar_visible = false;
  Item mine = item(4, "Mine", "project");
  // A project filter: neither the task, nor December, nor the hidden item must appear.
  EXPECT_TRUE(judge(history({task, december, hidden, mine}, {view(s(1), s(2), {mine}, october("project"))}))
                  .violations.empty());
  // Assigned visibility: bob sees nothing of alice's.
  EXPECT_TRUE(judge(history({task, mine}, {view(s(1), s(2), {}, october(), 2, "b1")},
                            Visibility::assigned))
                  .violations.empty());
  // But an item edited into the range must appear, dated from that edit.
  Item moved = december;
  moved.start_date = d("2025-10-20");
  moved.due_date = d("2025-10-21");
  auto v = judge(history({december}, {edit(s(1), s(3), moved), view(s(10), s(11), {})}));
  ASSERT_EQ(kinds(v), Kinds{"missing"});
  EXPECT_DOUBLE_EQ(v.violations[0].staleness_s, 7.0);
}

TEST(OracleMissing, StalenessFromTheWriteThatMadeItAppear) {
  Item a = item(1, "A");
  Item a2 = a;
  a2.title = "A2";
  // Created at t=2, retitled at t=4 (still qualifying): missing since t=2.
  auto v = judge(history({}, {create(s(1), s(2), a), edit(s(3), s(4), a2), view(s(10), s(11), {})}));
  ASSERT_EQ(kinds(v), Kinds{"missing"});
  EXPECT_DOUBLE_EQ(v.violations[0].staleness_s, 8.0);
}

// ---- dangling ------------------------------------------------------------

TEST(OracleDangling, ClickAnsweringNotFoundOnAShownEvent) {
  Item a = item(1, "A");
  auto tab_view = view(s(1), s(2), {a}, october(), 1, "t1", Layer::store);
  auto v = judge(history({a}, {tab_view, remove(s(3), s(4), a.id, {}, 2), click(s(10), s(11), a.id, 404)}));
  ASSERT_EQ(kinds(v), Kinds{"dangling"});
  EXPECT_DOUBLE_EQ(v.violations[0].staleness_s, 6.0);
  // The view was fresh: the tab that never refetched is to blame.
  EXPECT_EQ(v.violations[0].layer, Layer::client_store);
  EXPECT_EQ(v.violations[0].op_index, 2u);
  // A delete concurrent with the click is fine.
  EXPECT_TRUE(judge(history({a}, {tab_view, remove(s(9), s(12), a.id, {}, 2), click(s(10), s(11), a.id, 404)}))
                  .violations.empty());
  // Another tab did not show it.
  EXPECT_TRUE(
      judge(history({a}, {tab_view, remove(s(3), s(4), a.id, {}, 2), click(s(10), s(11), a.id, 404, 1, "t2")}))
          .violations.empty());
  // The tab refreshed in between and no longer shows it.
  EXPECT_TRUE(judge(history({a}, {tab_view, remove(s(3), s(4), a.id, {}, 2), view(s(5), s(6), {}),
                                  click(s(10), s(11), a.id, 404)}))
                  .violations.empty());
  // A 200 click is fine.
  EXPECT_TRUE(judge(history({a}, {tab_view, click(s(10), s(11), a.id, 200)})).violations.empty());
}

TEST(OracleDangling, LayerOfTheViewThatShowedIt) {
  Item a = item(1, "A");
  // A server-cache view served after the delete: stale-visible there, and the
  // dangling click is that layer's doing too.
  auto cached = view(s(5), s(6), {a}, october(), 1, "t1", Layer::server_cache);
  auto sv = judge(history({a}, {remove(s(3), s(4), a.id, {}, 2), cached, click(s(10), s(11), a.id, 404)}));
  ASSERT_EQ(kinds(sv), (Kinds{"stale-visible", "dangling"}));
  EXPECT_EQ(sv.violations[1].layer, Layer::server_cache);
  // A view concurrent with the delete was fine; the tab is to blame.
  auto concurrent = view(s(3), s(5), {a}, october(), 1, "t1", Layer::server_cache);
  auto cv = judge(history({a}, {remove(s(3), s(4), a.id, {}, 2), concurrent, click(s(10), s(11), a.id, 404)}));
  ASSERT_EQ(kinds(cv), Kinds{"dangling"});
  EXPECT_EQ(cv.violations[0].layer, Layer::client_store);
  auto stale_tab = view(s(5), s(5), {a}, october(), 1, "t1", Layer::client_store, 0);
  auto v = judge(history({a}, {remove(s(3), s(4), a.id, {}, 2), stale_tab, click(s(10), s(11), a.id, 404)}));
  ASSERT_EQ(kinds(v), (Kinds{"stale-visible", "dangling"}));
  EXPECT_EQ(v.violations[1].layer, Layer::client_store);
  EXPECT_DOUBLE_EQ(v.violations[1].staleness_s, 6.0);
}

// ---- range and filter ----------------------------------------------------

TEST(OracleRangeFilter, OutOfRangeItemShown) {
  Item dec = item(1, "Dec", "task", "2025-12-01", "2025-12-02");
  auto v = judge(history({dec}, {view(s(1), s(2), {dec})}));
  ASSERT_EQ(kinds(v), Kinds{"range-violation"});
  EXPECT_DOUBLE_EQ(v.violations[0].staleness_s, 0.0);
  // Boundaries: due on the start day is in; starting on the (exclusive) end day is out.
  Item first = item(2, "First", "task", "2025-09-20", "2025-09-29");
  Item last = item(3, "Last", "task", "2025-11-10", "2025-11-12");
  EXPECT_TRUE(judge(history({first}, {view(s(1), s(2), {first})})).violations.empty());
  EXPECT_EQ(kinds(judge(history({last}, {view(s(1), s(2), {last})}))), Kinds{"range-violation"});
  // No range: everything is in.
  EXPECT_TRUE(judge(history({dec}, {view(s(1), s(2), {dec}, Query{})})).violations.empty());
}

TEST(OracleRangeFilter, WrongTypeOrStatusShown) {
  Item task = item(1, "T", "task");
  Item sub = item(2, "S", "subtask");
  EXPECT_EQ(kinds(judge(history({task}, {view(s(1), s(2), {task}, october("project"))}))),
            Kinds{"filter-violation"});
  EXPECT_TRUE(judge(history({task, sub}, {view(s(1), s(2), {task, sub}, october("task"))})).violations.empty());
  EXPECT_EQ(kinds(judge(history({sub}, {view(s(1), s(2), {sub}, october("subtask"))}))), Kinds{});
  EXPECT_EQ(kinds(judge(history({task}, {view(s(1), s(2), {task}, october("subtask"))}))),
            Kinds{"filter-violation"});
  EXPECT_EQ(kinds(judge(history({task}, {view(s(1), s(2), {task}, october(std::nullopt, "completed"))}))),
            Kinds{"filter-violation"});
}

TEST(OracleRangeFilter, VisibilityAssigned) {
  Item mine = item(1, "Alice's", "task", "2025-10-06", "2025-10-08", 1);
  auto bob = view(s(1), s(2), {mine}, october(), 2, "b1");
  EXPECT_EQ(kinds(judge(history({mine}, {bob}, Visibility::assigned))), Kinds{"filter-violation"});
  EXPECT_TRUE(judge(history({mine}, {bob}, Visibility::global)).violations.empty());
  Item shared = mine;
  shared.assignee_ids = {2};
  auto bob2 = view(s(1), s(2), {shared}, october(), 2, "b1");
  EXPECT_TRUE(judge(history({shared}, {bob2}, Visibility::assigned)).violations.empty());
  Item hidden = mine;
  hidden.is_calendar_visible = false;
  EXPECT_EQ(kinds(judge(history({hidden}, {view(s(1), s(2), {hidden})}))), Kinds{"filter-violation"});
}

TEST(OracleRangeFilter, ConcurrentEditMakesEitherVersionAcceptable) {
  Item a = item(1, "A", "task");
  Item b = a;
  b.work_type = "project";
  // The view filters tasks; a concurrent change to project: showing the task version is fine.
  EXPECT_TRUE(judge(history({a}, {edit(s(1), s(9), b), view(s(5), s(6), {a}, october("task"))})).violations.empty());
  EXPECT_EQ(kinds(judge(history({a}, {edit(s(1), s(9), b), view(s(5), s(6), {b}, october("task"))}))),
            Kinds{"filter-violation"});
}

// ---- bound-exceeded ------------------------------------------------------

TEST(OracleBound, OnlyBeyondTheBound) {
  Item a = item(1, "A");
  auto h = history({a}, {remove(s(9), s(10), a.id), view(s(20), s(21), {a})});
  h.bound_s = 15;
  EXPECT_EQ(kinds(judge(h)), Kinds{"stale-visible"});
  h.bound_s = 10;  // not strictly above
  EXPECT_EQ(kinds(judge(h)), Kinds{"stale-visible"});
  h.bound_s = 5;
  auto v = judge(h);
  ASSERT_EQ(kinds(v), (Kinds{"stale-visible", "bound-exceeded"}));
  EXPECT_EQ(v.violations[1].item_id, a.id);
  EXPECT_EQ(v.violations[1].layer, Layer::server_cache);
  EXPECT_DOUBLE_EQ(v.violations[1].staleness_s, 10.0);
  h.bound_s.reset();
  EXPECT_EQ(kinds(judge(h)), Kinds{"stale-visible"});

  // Missing and stale-content are bounded too; range and filter violations are not.
  Item dec = item(2, "Dec", "task", "2025-12-01", "2025-12-02");
  auto m = history({dec}, {create(s(0), s(1), a), view(s(100), s(101), {dec})});
  m.bound_s = 1;
  EXPECT_EQ(kinds(judge(m)), (Kinds{"range-violation", "missing", "bound-exceeded"}));
}

// ---- verdict helpers -----------------------------------------------------

TEST(OracleVerdict, CountsFirstAndPercentiles) {
  Item a = item(1, "A"), b = item(2, "B");
  std::vector<Op> ops = {remove(s(1), s(2), a.id)};
  ops.push_back(view(s(3), s(4), {a, b}, october(), 1, "t1", Layer::client_store, 0));  // stale 1s
  ops.push_back(view(s(12), s(13), {a, b}, october(), 1, "t1", Layer::server_cache));   // stale 10s
  for (int i = 0; i < 98; ++i) ops.push_back(view(s(20 + i), s(20 + i), {b}));
  auto v = judge(history({a, b}, ops));
  EXPECT_EQ(v.reads_checked, 100u);
  EXPECT_EQ(v.count(kStaleVisible), 2u);
  auto server = [](const Violation& x) { return x.layer != Layer::client_store; };
  EXPECT_EQ(v.count(kStaleVisible, server), 1u);
  ASSERT_NE(v.first(), nullptr);
  EXPECT_EQ(v.first()->layer, Layer::client_store);
  EXPECT_EQ(v.first(server)->layer, Layer::server_cache);
  EXPECT_EQ(v.counts(), (std::map<std::string, std::size_t>{{"stale-visible", 2}}));
  EXPECT_DOUBLE_EQ(v.max_staleness_s, 10.0);
  EXPECT_DOUBLE_EQ(v.max_staleness(server), 10.0);
  EXPECT_DOUBLE_EQ(v.p99_staleness_s(), 1.0);  // 99th of 100 samples: {0 ×98, 1, 10}
  EXPECT_DOUBLE_EQ(v.p99_staleness_s([](Layer l) { return l == Layer::client_store; }), 1.0);
  EXPECT_FALSE(v.clean());
  EXPECT_TRUE(v.clean([](const Violation& x) { return x.kind == kMissing; }));

  nlohmann::json j = to_json(v.violations[1]);
  EXPECT_EQ(j["kind"], "stale-visible");
  EXPECT_EQ(j["item"], a.id);
  EXPECT_EQ(j["layer"], "server-cache");
  EXPECT_EQ(j["user"], 1);
  EXPECT_EQ(j["tab"], "t1");
  EXPECT_EQ(j["op_index"], 2);
  EXPECT_DOUBLE_EQ(j["staleness_s"].get<double>(), 10.0);
}

// ---- JSON round trip -----------------------------------------------------

History sample_history() {
  Item p = item(1, "Parent \"quoted\" ü", "project", "2025-10-01", "2025-10-31");
  Item c = item(2, "Child", "sub_project", "2025-10-02", "2025-10-03", 2, 1);
  c.assignee_ids = {1, 3};
  c.is_calendar_visible = false;
  Item n = item(3, "New", "task");
  Item n2 = n;
  n2.status = "completed";
  Op fault;
  fault.kind = OpKind::fault;
  fault.invoke = fault.complete = s(4);
  fault.fault = "flush";
  Op v1 = view(s(5), s(6), {p, n2}, october("project", "in_progress"), 2, "b1", Layer::http_cache, 0);
  Op v2 = view(s(7), s(8), {}, Query{}, 1, "t1", Layer::store);
  Op v3 = view(s(9), s(9), {}, october(), 1, "t1");
  v3.layer.reset();
  v3.status = 500;
  v3.outcome = Outcome::indeterminate;
  v3.error = "HTTP 500";
  auto h = history({p, c}, {create(s(1), s(2), n), edit(s(2), s(3), n2, 3), fault, v1, v2,
                            remove(s(8), s(9), p.id, {p.id, c.id}), click(s(10), s(11), p.id, 404), v3},
                   Visibility::assigned);
  h.bound_s = 2.5;
  return h;
}

TEST(HistoryJson, RoundTripIsExact) {
  History h = sample_history();
  std::string text = to_json(h).dump(2);
  History back = history_from_json(nlohmann::json::parse(text));
  EXPECT_EQ(to_json(back).dump(2), text);
  ASSERT_EQ(back.ops.size(), h.ops.size());
  for (std::size_t i = 0; i < h.ops.size(); ++i) {
    const Op &a = h.ops[i], &b = back.ops[i];
    EXPECT_EQ(a.index, b.index);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.user, b.user);
    EXPECT_EQ(a.tab, b.tab);
    EXPECT_EQ(a.invoke, b.invoke);
    EXPECT_EQ(a.complete, b.complete);
    EXPECT_EQ(a.status, b.status);
    EXPECT_EQ(a.query.start, b.query.start);
    EXPECT_EQ(a.query.end, b.query.end);
    EXPECT_EQ(a.query.type, b.query.type);
    EXPECT_EQ(a.query.status, b.query.status);
    EXPECT_EQ(a.layer, b.layer);
    EXPECT_EQ(a.shown, b.shown);
    EXPECT_EQ(a.item_id, b.item_id);
    EXPECT_EQ(a.written, b.written);
    EXPECT_EQ(a.deleted, b.deleted);
    EXPECT_EQ(a.fault, b.fault);
    EXPECT_EQ(a.outcome, b.outcome);
    EXPECT_EQ(a.error, b.error);
  }
  EXPECT_EQ(back.initial_items, h.initial_items);
  EXPECT_EQ(back.visibility, h.visibility);
  EXPECT_EQ(back.bound_s, h.bound_s);
  ASSERT_EQ(back.users.size(), 3u);
  EXPECT_EQ(back.users[1].username, "bob");
  // Same history, same bytes; and the judged verdict survives the trip.
  EXPECT_EQ(to_json(sample_history()).dump(), to_json(h).dump());
  EXPECT_EQ(kinds(judge(back)), kinds(judge(h)));
}

TEST(HistoryJson, FormatOfTheParts) {
  nlohmann::json j = to_json(sample_history());
  const auto& v1 = j["ops"][3];
  EXPECT_EQ(v1["kind"], "view");
  EXPECT_EQ(v1["layer"], "http-cache");
  EXPECT_EQ(v1["query"], (nlohmann::json{{"start", "2025-09-29"}, {"end", "2025-11-10"},
                                         {"type", "project"}, {"status", "in_progress"}}));
  EXPECT_EQ(v1["shown"][0]["id"], "work-item-" + uuid(1));
  EXPECT_EQ(j["ops"][4]["query"], (nlohmann::json{{"start", nullptr}, {"end", nullptr}, {"type", nullptr},
                                                  {"status", nullptr}}));
  EXPECT_EQ(j["ops"][5]["kind"], "delete");
  EXPECT_TRUE(j["ops"][0]["invoke"].is_number_integer());
  EXPECT_EQ(j["ops"][0]["written"]["work_type"], "task");
  EXPECT_EQ(j["initial_items"][1]["assignee_ids"], (nlohmann::json{1, 3}));
  EXPECT_EQ(j["visibility"], "assigned");
}

TEST(HistoryJson, MalformedInputIsRejectedWithAReason) {
  nlohmann::json good = to_json(sample_history());
  auto expect_error = [](const nlohmann::json& j, const std::string& fragment) {
    try {
      history_from_json(j);
      ADD_FAILURE() << "accepted: " << fragment;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  expect_error(nlohmann::json::array(), "expected an object");
  auto j = good;
  j.erase("ops");
  expect_error(j, "'ops'");
  j = good;
  j["ops"][0]["kind"] = "remove";
  expect_error(j, "ops[0].kind");
  j = good;
  j["ops"][1]["invoke"] = 1.5;
  expect_error(j, "ops[1].invoke");
  j = good;
  j["ops"][3]["layer"] = "cdn";
  expect_error(j, "ops[3].layer");
  j = good;
  j["ops"][3]["shown"][0]["start"] = "2025-02-30";
  expect_error(j, "ops[3].shown[0]");
  j = good;
  j["ops"][0]["written"].erase("title");
  expect_error(j, "ops[0].written");
  j = good;
  j["visibility"] = "everyone";
  expect_error(j, "visibility");
  j = good;
  j["ops"][2]["complete"] = 0;
  expect_error(j, "'complete' is before 'invoke'");
  j = good;
  j["ops"][2]["extra"] = 1;
  expect_error(j, "unknown field 'extra'");
}

// ---- generated histories -------------------------------------------------

// A small model of the application, for answering reads from the truth.
struct Truth {
  std::map<std::string, Item> items;
  Visibility visibility = Visibility::global;

  std::vector<Item> feed(UserId user, const Query& q) const {
    std::vector<Item> out;
    for (const auto& [id, i] : items) {
      if (!i.is_calendar_visible) continue;
      if (visibility == Visibility::assigned && !i.involves(user)) continue;
      if (q.end && !(i.start_date < *q.end)) continue;
      if (q.start && i.due_date < *q.start) continue;
      // The contract's type filter, written out here: a base kind selects its sub-kind too.
      if (q.type && !(i.work_type == *q.type || (*q.type == "project" && i.work_type == "sub_project") ||
                      (*q.type == "activity" && i.work_type == "sub_activity") ||
                      (*q.type == "task" && i.work_type == "subtask")))
        continue;
      if (q.status && i.status != *q.status) continue;
      out.push_back(i);
    }
    std::sort(out.begin(), out.end(), [](const Item& a, const Item& b) {
      return std::tie(a.start_date, a.id) < std::tie(b.start_date, b.id);
    });
    return out;
  }

  std::vector<std::string> subtree(const std::string& root) const {
    std::vector<std::string> out{root};
    for (std::size_t k = 0; k < out.size(); ++k)
      for (const auto& [id, i] : items)
        if (i.parent_id == out[k]) out.push_back(id);
    return out;
  }

  std::string pick(int n) const {
    auto it = items.begin();
    std::advance(it, n % static_cast<int>(items.size()));
    return it->first;
  }
};

const Date kBase = Date::from_ymd(2025, 9, 1);

Query generated_query(int a, int b, int c) {
  Query q;
  if (a % 7 != 0) {
    q.start = kBase.plus_days(a % 120);
    q.end = q.start->plus_days(7 + (a / 7) % 36);
  }
  if (b % 3 == 0) q.type = std::string(b % 2 ? "task" : std::string(kWorkTypes[b % 6]));
  if (c % 4 == 0) q.status = std::string(kStatuses[c % 6]);
  return q;
}

// Changes one field of `i` according to `what` and `x`.
void mutate(Item& i, int what, int x) {
  switch (what % 5) {
    case 0: i.title = "title " + std::to_string(x); break;
    case 1: i.status = std::string(kStatuses[x % 6]); break;
    case 2: i.work_type = std::string(kWorkTypes[x % 6]); break;
    case 3:
      i.start_date = kBase.plus_days(x % 130);
      i.due_date = i.start_date.plus_days(x % 9);
      break;
    default: i.is_calendar_visible = x % 4 != 0; break;
  }
}

RC_GTEST_PROP(OracleProperty, SequentialHistoryAnsweredFromTheTruthHasNoViolations, ()) {
  using Step = std::tuple<int, int, int, int, int, int>;
  const auto steps = *rc::gen::container<std::vector<Step>>(
      rc::gen::tuple(rc::gen::inRange(0, 1000), rc::gen::inRange(0, 1000), rc::gen::inRange(0, 1000),
                     rc::gen::inRange(0, 1000), rc::gen::inRange(0, 1000), rc::gen::inRange(0, 1000)));
  const bool assigned = *rc::gen::arbitrary<bool>();

  Truth truth;
  truth.visibility = assigned ? Visibility::assigned : Visibility::global;
  std::vector<Op> ops;
  TimeMs t = 0;
  int next_id = 1;
  std::vector<std::string> last_shown_t1;
  Query last_query_t1;
  auto stamp = [&](Op op, int a) {
    op.invoke = t;
    op.complete = t + 1 + a % 40;
    t = op.complete + a % 3;  // sometimes the next op starts when this one completes
    ops.push_back(std::move(op));
  };
  auto do_view = [&](UserId user, const Query& q, int a) {
    std::string tab = user == 1 ? "t1" : "t2";
    Op op = view(0, 0, truth.feed(user, q), q, user, tab, a % 2 ? Layer::server_cache : Layer::store);
    if (user == 1) {
      last_query_t1 = q;
      last_shown_t1.clear();
      for (const auto& e : op.shown) last_shown_t1.push_back(e.item_id);
    }
    stamp(std::move(op), a);
  };

  for (const auto& [k, a, b, c, e, f] : steps) {
    switch (k % 5) {
      case 0: {  // create
        Item i = item(next_id++, "item", std::string(kWorkTypes[a % 6]));
        i.status = std::string(kStatuses[b % 6]);
        i.start_date = kBase.plus_days(c % 130);
        i.due_date = i.start_date.plus_days(e % 9);
        if (!truth.items.empty() && f % 3 == 0) i.parent_id = truth.pick(f);
        if (f % 2) i.assignee_ids = {2};
        truth.items[i.id] = i;
        stamp(create(0, 0, i), a);
        break;
      }
      case 1: {  // edit
        if (truth.items.empty()) break;
        Item& i = truth.items[truth.pick(a)];
        mutate(i, b, c);
        stamp(edit(0, 0, i), e);
        break;
      }
      case 2: {  // delete (the tab refreshes on HX-Trigger)
        if (truth.items.empty()) break;
        std::string id = truth.pick(a);
        auto gone = truth.subtree(id);
        for (const auto& g : gone) truth.items.erase(g);
        stamp(remove(0, 0, id, gone), b);
        do_view(1, last_query_t1, c);
        break;
      }
      case 3:  // view, by alice (t1) or bob (t2)
        do_view(f % 2 ? 2 : 1, generated_query(a, b, c), e);
        break;
      default: {  // click an event tab t1 shows
        if (last_shown_t1.empty()) break;
        const std::string& id = last_shown_t1[static_cast<std::size_t>(a) % last_shown_t1.size()];
        stamp(click(0, 0, id, truth.items.count(id) ? 200 : 404), b);
        break;
      }
    }
  }
  History h = history({}, ops, truth.visibility);
  Verdict v = judge(h);
  if (!v.violations.empty()) RC_FAIL(nlohmann::json(to_json(v.violations.front())).dump());
  RC_ASSERT(v.reads_checked == static_cast<std::size_t>(std::count_if(
                                   ops.begin(), ops.end(), [](const Op& o) { return o.kind == OpKind::view; })));
}

// A concurrent history: every op takes effect at a point inside [invoke, complete]
// (its linearization point), answered from the truth at that point. Such a history
// is linearizable, so the oracle must find nothing but client-side dangling clicks.
History linearizable_history(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  auto r = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  struct Planned {
    Op op;
    TimeMs point;
    int choice;
  };
  std::vector<Planned> plan;
  TimeMs t = 0;
  for (std::size_t i = 0; i < n; ++i) {
    Planned p;
    p.op.user = r(1, 3);
    p.op.tab = "t" + std::to_string(r(1, 2));
    p.op.invoke = t;
    p.op.complete = t + r(0, 300);
    p.point = p.op.invoke + r(0, static_cast<int>(p.op.complete - p.op.invoke));
    p.choice = r(0, 99);
    plan.push_back(std::move(p));
    t += r(0, 30);
  }
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return plan[a].point < plan[b].point; });

  Truth truth;
  truth.visibility = seed % 2 ? Visibility::assigned : Visibility::global;
  int next_id = 1;
  for (std::size_t oi : order) {
    Planned& p = plan[oi];
    Op& op = p.op;
    const int c = p.choice;
    if (c < 15 || truth.items.size() < 5) {  // create
      Item i = item(next_id++, "item", std::string(kWorkTypes[r(0, 5)]), "2025-10-01",
                        "2025-10-01", op.user);
      i.start_date = kBase.plus_days(r(0, 130));
      i.due_date = i.start_date.plus_days(r(0, 8));
      if (!truth.items.empty() && r(0, 3) == 0) i.parent_id = truth.pick(r(0, 1000));
      if (r(0, 1)) i.assignee_ids = {r(1, 3)};
      truth.items[i.id] = i;
      op.kind = OpKind::create;
      op.status = 201;
      op.item_id = i.id;
      op.written = i;
    } else if (c < 35) {  // edit
      Item& i = truth.items[truth.pick(r(0, 1000))];
      mutate(i, r(0, 4), r(0, 1000));
      op.kind = OpKind::edit;
      op.status = 200;
      op.item_id = i.id;
      op.written = i;
    } else if (c < 40) {  // delete
      std::string id = truth.pick(r(0, 1000));
      op.kind = OpKind::remove;
      op.status = 200;
      op.item_id = id;
      op.deleted = truth.subtree(id);
      for (const auto& g : op.deleted) truth.items.erase(g);
    } else if (c < 45) {  // a click on some item ever created
      op.kind = OpKind::click;
      op.item_id = uuid(r(1, next_id));
      op.status = truth.items.count(op.item_id) ? 200 : 404;
    } else if (c < 47) {  // an edit of an item already gone
      op.kind = OpKind::edit;
      op.item_id = uuid(next_id + 1000);
      op.status = 404;
    } else {  // view
      op.kind = OpKind::view;
      op.status = 200;
      op.layer = c % 3 ? Layer::server_cache : Layer::store;
      op.query = generated_query(r(0, 1000), r(0, 1000), r(0, 1000));
      for (const auto& i : truth.feed(op.user, op.query)) op.shown.push_back(event(i));
    }
  }
  std::vector<Op> ops;
  for (auto& p : plan) ops.push_back(std::move(p.op));
  return history({}, std::move(ops), truth.visibility);
}

TEST(OracleScale, TwentyThousandOpHistoryIsJudged) {
  History h = linearizable_history(20'000, 7);
  Verdict v = judge(h);
  EXPECT_GT(v.reads_checked, 5'000u);
  for (const auto& x : v.violations)
    ASSERT_EQ(x.kind, kDangling) << nlohmann::json(to_json(x)).dump();
}

RC_GTEST_PROP(OracleProperty, ConcurrentLinearizableHistoriesHaveOnlyDanglingClicks, ()) {
  const auto n = *rc::gen::inRange<std::size_t>(1, 400);
  const auto seed = *rc::gen::arbitrary<std::uint32_t>();
  Verdict v = judge(linearizable_history(n, seed));
  for (const auto& x : v.violations)
    if (x.kind != kDangling) RC_FAIL(nlohmann::json(to_json(x)).dump());
}

TEST(OracleProperty, PerturbedAnswersAreCaught) {
  // Drop the first shown event of some views in a linearizable history: every such
  // read either had a concurrent write for that item or is now reported missing.
  History h = linearizable_history(3'000, 11);
  std::size_t dropped = 0;
  for (auto& op : h.ops)
    if (op.kind == OpKind::view && !op.shown.empty() && op.index % 4 == 0) {
      op.shown.erase(op.shown.begin());
      ++dropped;
    }
  ASSERT_GT(dropped, 50u);
  Verdict v = judge(h);
  EXPECT_GT(v.count(kMissing), dropped / 2);
  for (const auto& x : v.violations) EXPECT_TRUE(x.kind == kMissing || x.kind == kDangling) << to_string(x.kind);
}

TEST(OracleProperty, ResurrectedDeletedItemsAreCaught) {
  // Show deleted items again in views invoked well after their delete completed.
  History h = linearizable_history(3'000, 13);
  std::map<std::string, ShownEvent> seen;  // the last event shown for each item
  for (const auto& op : h.ops)
    for (const auto& e : op.shown) seen[e.item_id] = e;
  std::size_t injected = 0;
  for (const auto& del : h.ops) {
    if (del.kind != OpKind::remove || !seen.count(del.item_id)) continue;
    for (auto& op : h.ops) {
      if (op.kind != OpKind::view || op.invoke < del.complete + 5'000) continue;
      op.shown.push_back(seen[del.item_id]);
      ++injected;
      break;
    }
  }
  ASSERT_GT(injected, 20u);
  Verdict v = judge(h);
  EXPECT_EQ(v.count(kStaleVisible), injected);
  for (const auto& x : v.violations) {
    EXPECT_TRUE(x.kind == kStaleVisible || x.kind == kDangling) << nlohmann::json(to_json(x)).dump();
    if (x.kind == kStaleVisible) {
      EXPECT_GE(x.staleness_s, 5.0);
    }
  }
}

// ---- the ideal hit rate ---------------------------------------------------

// A server read of `q` by `user` at `t` seconds (what it showed does not matter to the ideal).
Op server_read(double t, Query q = october(), UserId user = 1, Layer layer = Layer::store) {
  return view(s(t), s(t) + 1, {}, std::move(q), user, "t1", layer);
}

TEST(IdealHitRate, ARepeatedReadHitsAndAnotherUserOrFilterIsAnotherKey) {
  const Item a = item(1, "A");
  History h = history({a}, {server_read(1), server_read(2, october(), 1, Layer::server_cache), server_read(3, october(), 2),
                            server_read(4, october("task"))});
  IdealHits ideal = ideal_hits(h, 300);
  EXPECT_EQ(ideal.reads, 4u);
  EXPECT_EQ(ideal.hits, 1u);
  EXPECT_DOUBLE_EQ(ideal.rate(), 0.25);
}

TEST(IdealHitRate, OnlyWritesThatChangeTheContentInvalidate) {
  const Item a = item(1, "A");
  Item renamed = a;
  renamed.title = "A2";
  const Item december = item(2, "D", "task", "2025-12-10", "2025-12-11");
  const Item project = item(3, "P", "project");
  History h = history({a}, {server_read(1), server_read(1.5, october("project")),
                            create(s(2), s(2) + 1, december),         // outside the range: both keys stay valid
                            server_read(3), server_read(3.5, october("project")),
                            edit(s(4), s(4) + 1, renamed),            // a task: only the unfiltered key changes
                            server_read(5), server_read(5.5, october("project")),
                            create(s(6), s(6) + 1, project),          // a project: both change
                            server_read(7), server_read(7.5, october("project"))});
  IdealHits ideal = ideal_hits(h, 300);
  EXPECT_EQ(ideal.reads, 8u);
  EXPECT_EQ(ideal.hits, 3u);  // 3, 3.5 and 5.5
}

TEST(IdealHitRate, TheTtlAndFailedOrClientSideReadsAndFailedWrites) {
  const Item a = item(1, "A");
  Item renamed = a;
  renamed.title = "A2";
  Op refused = edit(s(2), s(2) + 1, renamed);
  refused.status = 403;
  History h = history({a}, {server_read(1), refused, server_read(3),
                            view(s(4), s(4) + 1, {}, october(), 1, "t1", Layer::client_store, 0),
                            server_read(301), server_read(302)});
  IdealHits ideal = ideal_hits(h, 300);
  EXPECT_EQ(ideal.reads, 4u);  // the client-store view never reached a server
  EXPECT_EQ(ideal.hits, 2u);   // 3 (the refused edit changed nothing) and 302; 301 is past the TTL
}

TEST(IdealHitRate, AMovedParentChangesTheLevelsBelowIt) {
  const Item root = item(1, "R", "project", "2025-12-01", "2025-12-02");
  const Item other = item(2, "O", "project", "2025-12-01", "2025-12-02");
  const Item child = item(3, "C", "activity", "2025-12-01", "2025-12-02", 1, 1);
  const Item grandchild = item(4, "G", "task", "2025-10-06", "2025-10-08", 1, 3);
  Item moved = child;
  moved.parent_id.reset();  // the grandchild's level goes from 2 to 1; nothing in October is written
  History h = history({root, other, child, grandchild}, {server_read(1), edit(s(2), s(2) + 1, moved), server_read(3)});
  EXPECT_EQ(ideal_hits(h, 300).hits, 0u);
  Item renamed_root = root;
  renamed_root.title = "R2";
  History h2 = history({root, other, child, grandchild}, {server_read(1), edit(s(2), s(2) + 1, renamed_root), server_read(3)});
  EXPECT_EQ(ideal_hits(h2, 300).hits, 1u);
}

TEST(IdealHitRate, UnderAssignedVisibilityOnlyTheUsersWhoSeeTheItem) {
  const Item a = item(1, "A");
  Item renamed = a;
  renamed.title = "A2";
  History h = history({a}, {server_read(1, october(), 1), server_read(1.5, october(), 2), edit(s(2), s(2) + 1, renamed),
                            server_read(3, october(), 1), server_read(3.5, october(), 2)},
                      Visibility::assigned);
  EXPECT_EQ(ideal_hits(h, 300).hits, 1u);  // bob's: he does not see alice's item
}

}  // namespace
