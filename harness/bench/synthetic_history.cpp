#include "synthetic_history.h"

#include <map>
#include <random>
#include <string>

namespace bench {
namespace {

namespace cc = cachecheck;

constexpr int kUsers = 24;
constexpr int kItems = 120;

cc::Date year_start() { return cc::Date::from_ymd(2025, 1, 1); }

cc::Item make_item(std::uint64_t n, std::mt19937_64& rng) {
  cc::Item it;
  it.id = "00000000-0000-4000-8000-" + std::to_string(100000000000ULL + n);
  it.title = "Item " + std::to_string(n);
  it.work_type = std::string(cc::kWorkTypes[rng() % std::size(cc::kWorkTypes)]);
  it.status = std::string(cc::kStatuses[rng() % std::size(cc::kStatuses)]);
  it.start_date = year_start().plus_days(static_cast<std::int64_t>(rng() % 365));
  it.due_date = it.start_date.plus_days(static_cast<std::int64_t>(rng() % 5));
  it.owner_id = static_cast<cc::UserId>(1 + rng() % kUsers);
  return it;
}

cc::ShownEvent shown(const cc::Item& it) {
  return cc::ShownEvent{it.id, it.title, it.work_type, it.status, it.start_date, it.due_date, it.parent_id};
}

}  // namespace

cc::History synthetic_history(std::size_t ops, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  cc::History h;
  h.visibility = cc::Visibility::global;
  h.bound_s = 0;
  for (int u = 1; u <= kUsers; ++u) h.users.push_back({static_cast<cc::UserId>(u), "user" + std::to_string(u), ""});
  std::map<std::string, cc::Item> live;
  std::uint64_t next_item = 0;
  for (; next_item < kItems; ++next_item) {
    auto it = make_item(next_item, rng);
    h.initial_items.push_back(it);
    live[it.id] = it;
  }
  const cc::Semantics sem = cc::Semantics::reference();
  std::optional<cc::Item> last_deleted;
  std::size_t views = 0;
  cc::TimeMs t = 1'750'000'000'000;
  h.ops.reserve(ops);
  auto any_live = [&]() -> const cc::Item& {
    auto it = live.begin();
    std::advance(it, static_cast<long>(rng() % live.size()));
    return it->second;
  };
  for (std::size_t i = 0; i < ops; ++i, t += 5) {
    cc::Op op;
    op.index = i;
    op.user = static_cast<cc::UserId>(1 + rng() % kUsers);
    op.tab = "u";  // (not "u" + …: g++ 12 warns -Wrestrict on that)
    op.tab += std::to_string(op.user);
    op.invoke = t;
    op.complete = t + 2;
    op.status = 200;
    const unsigned roll = static_cast<unsigned>(rng() % 100);
    if (roll < 80 || live.size() < 10) {
      op.kind = cc::OpKind::view;
      op.layer = cc::Layer::server;
      const cc::Date start = year_start().plus_days(static_cast<std::int64_t>(rng() % 330));
      op.query.start = start;
      op.query.end = start.plus_days(42);
      if (rng() % 5 == 0) op.query.type = std::string(cc::kWorkTypes[rng() % std::size(cc::kWorkTypes)]);
      for (auto& [id, it] : live)
        if (sem.selects(h.visibility, op.user, op.query, it)) op.shown.push_back(shown(it));
      // One view in a thousand still shows the item deleted just before, when it belongs there.
      if (++views % 1000 == 0 && last_deleted && sem.selects(h.visibility, op.user, op.query, *last_deleted))
        op.shown.push_back(shown(*last_deleted));
    } else if (roll < 88) {
      op.kind = cc::OpKind::edit;
      cc::Item it = any_live();
      op.item_id = it.id;
      it.status = std::string(cc::kStatuses[rng() % std::size(cc::kStatuses)]);
      it.start_date = year_start().plus_days(static_cast<std::int64_t>(rng() % 365));
      it.due_date = it.start_date.plus_days(static_cast<std::int64_t>(rng() % 5));
      op.request = {{"status", it.status}, {"start_date", it.start_date.iso()}, {"due_date", it.due_date.iso()}};
      op.written = it;
      live[it.id] = it;
    } else if (roll < 94) {
      op.kind = cc::OpKind::create;
      op.status = 201;
      cc::Item it = make_item(next_item++, rng);
      it.owner_id = op.user;
      op.item_id = it.id;
      op.request = {{"title", it.title}};
      op.written = it;
      live[it.id] = it;
    } else {
      op.kind = cc::OpKind::remove;
      const cc::Item it = any_live();
      op.item_id = it.id;
      op.deleted = {it.id};
      last_deleted = it;
      live.erase(it.id);
    }
    h.ops.push_back(std::move(op));
  }
  return h;
}

}  // namespace bench
