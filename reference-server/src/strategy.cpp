#include "calendar/strategy.h"

#include <algorithm>
#include <map>
#include <mutex>

namespace calendar {
namespace {

struct Registration {
  int order;
  StrategyFactory factory;
};

std::map<std::string, Registration, std::less<>>& registry() {
  static std::map<std::string, Registration, std::less<>> r;
  return r;
}

std::string part(const std::optional<std::string>& s) { return s ? *s : "None"; }
#if CACHECHECK_MUTANT == 10  // mutant 10 (key-month-dates): the key names the months of the bounds, not their days
std::string part(const std::optional<Date>& d) { return d ? d->iso().substr(0, 7) : "None"; }
#else
std::string part(const std::optional<Date>& d) { return d ? d->iso() : "None"; }
#endif

}  // namespace

std::string feed_key_suffix(const FeedQuery& q) {
#if CACHECHECK_MUTANT == 9  // mutant 9 (key-without-status): the key forgets the status filter
  return part(q.type) + ":" + part(q.start) + ":" + part(q.end);
#else
  return part(q.type) + ":" + part(q.status) + ":" + part(q.start) + ":" + part(q.end);
#endif
}

std::string_view to_string(WriteKind k) {
  switch (k) {
    case WriteKind::create: return "create";
    case WriteKind::edit: return "edit";
    case WriteKind::remove: return "delete";
  }
  return "?";
}

std::string feed_key(UserId user, const FeedQuery& q) {
  return "calendar_feed:" + std::to_string(user) + ":" + feed_key_suffix(q);
}

std::string versioned_feed_key(UserId user, std::string_view version, const FeedQuery& q) {
#if CACHECHECK_MUTANT == 11  // mutant 11 (key-without-version): the versioned key leaves the version out
  return "calendar_feed:" + std::to_string(user) + ":" + feed_key_suffix(q);
#else
  return "calendar_feed:" + std::to_string(user) + ":v" + std::string(version) + ":" + feed_key_suffix(q);
#endif
}

std::string version_key(UserId user) { return "calendar_version:" + std::to_string(user); }

std::vector<std::string> sweep_keys(UserId user, Date today) {
  static const std::optional<std::string> work_types[] = {std::nullopt, "project", "activity", "task", "meeting"};
  static const std::optional<std::string> statuses[] = {std::nullopt, "not_started", "in_progress", "completed",
                                                        "cancelled"};
  std::vector<std::string> keys;
  keys.reserve(100);
  for (int month_offset = 0; month_offset < 4; ++month_offset) {
    Date start_of_month = today.first_of_month().plus_days(32 * month_offset).first_of_month();
    Date end_of_month = start_of_month.plus_days(32).first_of_month().plus_days(-1);
    for (auto& wt : work_types)
      for (auto& st : statuses)
        keys.push_back(feed_key(user, FeedQuery{start_of_month, end_of_month, wt, st}));
  }
  return keys;
}

bool register_strategy(std::string name, int order, StrategyFactory factory) {
  registry()[std::move(name)] = Registration{order, std::move(factory)};
  return true;
}

std::vector<std::string> strategy_names() {
  std::vector<std::pair<int, std::string>> ordered;
  for (auto& [name, reg] : registry()) ordered.emplace_back(reg.order, name);
  std::sort(ordered.begin(), ordered.end());
  std::vector<std::string> names;
  for (auto& [_, name] : ordered) names.push_back(name);
  return names;
}

std::unique_ptr<Strategy> make_strategy(std::string_view name) {
  auto it = registry().find(name);
  if (it == registry().end()) return nullptr;
  return it->second.factory();
}

}  // namespace calendar
