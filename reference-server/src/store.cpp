#include "calendar/store.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <set>

namespace calendar {

Store::Store(const Clock& clock, std::uint64_t id_seed, std::uint64_t first_generation)
    : clock_(clock), id_rng_(id_seed), generation_(first_generation), epoch_(first_generation) {
  last_write_ = clock_.now();
}

void Store::wrote_locked() {
  ++generation_;
  last_write_ = clock_.now();
}

void Store::pass(Access access, const char* what) const {
  if (hook_) hook_->before(access, what);
  ++queries_;
}

TimeMs Store::last_write() const {
  std::lock_guard lock(mutex_);
  return last_write_;
}

void Store::reset(std::vector<User> users, std::vector<WorkItem> items) {
  std::lock_guard lock(mutex_);
  users_.clear();
  items_.clear();
  by_start_.clear();
  max_span_days_ = 0;
  for (auto& u : users) users_[u.id] = std::move(u);
  for (auto& i : items) put_locked(i);
  wrote_locked();
  epoch_ = generation_;
  changes_.clear();
}

std::optional<User> Store::find_user_by_name(const std::string& username) const {
  pass(Access::store_read, "user");
  std::lock_guard lock(mutex_);
  for (auto& [_, u] : users_)
    if (u.username == username) return u;
  return std::nullopt;
}

std::optional<User> Store::find_user(UserId id) const {
  pass(Access::store_read, "user");
  std::lock_guard lock(mutex_);
  auto it = users_.find(id);
  if (it == users_.end()) return std::nullopt;
  return it->second;
}

std::vector<UserId> Store::user_ids() const {
  std::lock_guard lock(mutex_);
  std::vector<UserId> ids;
  for (auto& [id, _] : users_) ids.push_back(id);
  return ids;
}

std::optional<WorkItem> Store::get(const std::string& id) const {
  pass(Access::store_read, "item");
  std::lock_guard lock(mutex_);
  auto it = items_.find(id);
  if (it == items_.end()) return std::nullopt;
  return it->second;
}

std::vector<Store::FeedRow> Store::feed(UserId user, Visibility visibility, const FeedQuery& query) const {
  pass(Access::store_read, "feed");
  ++feed_queries_;
  std::lock_guard lock(mutex_);
  std::vector<FeedRow> out;
  // Through the date index: an item that starts before start − (the longest span any
  // item has had) ends before start; one that starts after end is outside too. Every
  // item in between is judged by the query itself, bounds included, so the index
  // only skips what no reading of the range could select. In (start, id) order.
  auto it = query.start ? by_start_.lower_bound({query.start->plus_days(-max_span_days_), std::string()})
                        : by_start_.begin();
  for (; it != by_start_.end() && (!query.end || it->first <= *query.end); ++it) {
    const WorkItem& item = items_.at(it->second);
#if CACHECHECK_MUTANT == 16  // mutant 16 (store-feed-global): the feed query ignores the visibility policy (everyone sees everything)
    if (can_see(Visibility::global, user, item) && query.matches(item)) out.push_back({item, level_locked(item)});
#else
    if (can_see(visibility, user, item) && query.matches(item)) out.push_back({item, level_locked(item)});
#endif
  }
  return out;
}

void Store::put_locked(const WorkItem& item) {
  auto old = items_.find(item.id);
  if (old != items_.end()) by_start_.erase({old->second.start_date, old->first});
  items_[item.id] = item;
  by_start_.insert({item.start_date, item.id});
  max_span_days_ = std::max(max_span_days_, item.due_date.days() - item.start_date.days());
}

void Store::erase_locked(const std::string& id) {
  auto it = items_.find(id);
  if (it == items_.end()) return;
  by_start_.erase({it->second.start_date, id});
  items_.erase(it);
}

int Store::level_locked(const WorkItem& item) const {
  int level = 0;
  std::set<std::string> seen{item.id};
  const WorkItem* cur = &item;
  while (cur->parent_id) {
    auto it = items_.find(*cur->parent_id);
    if (it == items_.end() || !seen.insert(it->first).second) break;
    cur = &it->second;
    ++level;
  }
  return level;
}

bool Store::is_ancestor(const std::string& ancestor, const std::string& id) const {
  pass(Access::store_read, "ancestry");
  std::lock_guard lock(mutex_);
  std::set<std::string> seen;
  std::optional<std::string> cur = id;
  while (cur && seen.insert(*cur).second) {
    if (*cur == ancestor) return true;
    auto it = items_.find(*cur);
    if (it == items_.end()) return false;
    cur = it->second.parent_id;
  }
  return false;
}

std::string Store::new_id() {
  std::lock_guard lock(mutex_);
  std::uint64_t hi = id_rng_(), lo = id_rng_();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32), static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
                static_cast<unsigned long long>(hi & 0xFFFF), static_cast<unsigned long long>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

WorkItem Store::insert(WorkItem item) {
  if (item.id.empty()) item.id = new_id();
  pass(Access::store_write, "insert");
  std::lock_guard lock(mutex_);
  put_locked(item);
  changes_.record(nullptr, &item, false);
  wrote_locked();
  return item;
}

void Store::update(const WorkItem& item) {
  pass(Access::store_write, "update");
  std::lock_guard lock(mutex_);
  auto old = items_.find(item.id);
  if (old == items_.end()) {
    changes_.record(nullptr, &item, false);
  } else {
    changes_.record(&old->second, &item, false);
    if (old->second.parent_id != item.parent_id)  // the levels below it move too
      for (auto& id : subtree_locked(item.id))
        if (id != item.id) changes_.record(&items_.at(id), &items_.at(id), true);
  }
  put_locked(item);
#if CACHECHECK_MUTANT == 15  // mutant 15 (store-update-keeps-generation): an update does not move the write generation
#else
  wrote_locked();
#endif
}

std::vector<WorkItem> Store::remove_subtree(const std::string& id) {
  pass(Access::store_write, "delete");
  std::lock_guard lock(mutex_);
  std::vector<WorkItem> removed;
  if (items_.find(id) == items_.end()) return removed;
  for (auto& rid : subtree_locked(id)) {
    removed.push_back(items_.at(rid));
    changes_.record(&removed.back(), nullptr, false);
    erase_locked(rid);
  }
#if CACHECHECK_MUTANT == 14  // mutant 14 (store-delete-keeps-generation): a delete does not move the write generation
#else
  wrote_locked();
#endif
  return removed;
}

std::vector<std::string> Store::subtree_locked(const std::string& id) const {
  std::multimap<std::string, std::string> children;
  for (auto& [cid, item] : items_)
    if (item.parent_id) children.emplace(*item.parent_id, cid);
  std::vector<std::string> order{id};
  std::set<std::string> seen{id};
  for (std::size_t i = 0; i < order.size(); ++i) {
    auto [b, e] = children.equal_range(order[i]);
    for (auto it = b; it != e; ++it)
      if (seen.insert(it->second).second) order.push_back(it->second);
  }
  return order;
}

Store::FeedVersion Store::feed_version(UserId user, Visibility visibility, const FeedQuery& query) const {
  pass(Access::store_read, "feed-version");
  std::lock_guard lock(mutex_);
  return FeedVersion{epoch_, changes_.count(user, visibility, query)};
}

std::uint64_t Store::generation() const {
  pass(Access::store_read, "generation");
  std::lock_guard lock(mutex_);
  return generation_;
}

}  // namespace calendar
