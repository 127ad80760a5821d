#include "calendar/app.h"

#include <charconv>
#include <chrono>
#include <thread>

namespace calendar {
namespace {

nlohmann::json event_json(const Store::FeedRow& row) {
  const WorkItem& item = row.item;
  return {{"id", "work-item-" + item.id},
          {"title", item.title},
          {"workType", item.work_type},
          {"status", item.status},
          {"start", item.start_date.iso()},
          {"end", item.due_date.iso()},
          {"parentId", item.parent_id ? nlohmann::json("work-item-" + *item.parent_id) : nlohmann::json(nullptr)},
          {"level", row.level},
          {"url", "/oobc-management/work-items/" + item.id + "/modal/"}};
}

// A cached feed entry: "<last-modified ms>\n<body>".
std::string encode_entry(TimeMs last_modified, const std::string& body) {
  return std::to_string(last_modified) + "\n" + body;
}

bool decode_entry(std::string&& entry, TimeMs& last_modified, std::string& body) {
  auto nl = entry.find('\n');
  if (nl == std::string::npos) return false;
  auto [ptr, ec] = std::from_chars(entry.data(), entry.data() + nl, last_modified);
  if (ec != std::errc() || ptr != entry.data() + nl) return false;
  entry.erase(0, nl + 1);  // in place: the body is not copied again
  body = std::move(entry);
  return true;
}

std::string lease_key(const std::string& key) { return "lease:" + key; }
// How long a lease outlives a holder that never released it (the backend's clock).
constexpr int kLeaseTtlMs = 2000;
// How often a request waiting for another's fill re-reads the key before it queries
// the store itself, and (without a scheduler) how long it sleeps between reads.
constexpr int kLeaseTries = 64;
constexpr auto kLeaseBackoff = std::chrono::milliseconds(1);

AppResponse json_ok(int status, const nlohmann::json& body) {
  AppResponse r;
  r.status = status;
  // Bad input may carry invalid UTF-8 into a message: replace it, never throw.
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace

AppResponse json_error(int status, std::string_view message) {
  return json_ok(status, nlohmann::json{{"error", std::string(message)}});
}

CalendarApp::CalendarApp(Store& store, const Clock& clock, SharedSettings& settings,
                         std::unique_ptr<Cache> cache, std::unique_ptr<Strategy> strategy)
    : store_(store), clock_(clock), settings_(settings), cache_(std::move(cache)), strategy_(std::move(strategy)) {}

StrategyEnv CalendarApp::env() {
  return StrategyEnv{*cache_, store_, clock_, settings_.visibility.load(), settings_.pipeline};
}

std::optional<UserId> CalendarApp::authenticate(const std::string& username, const std::string& password) const {
  auto user = store_.find_user_by_name(username);
  if (!user || user->password != password) return std::nullopt;
  return user->id;
}

AppResponse CalendarApp::feed(UserId user, const FeedParams& params) {
  ++requests_;
  auto parsed = parse_feed_query(params);
  if (!parsed.query) return json_error(400, parsed.error);
  const FeedQuery& q = *parsed.query;
  StrategyEnv e = env();

  auto key = strategy_->read_key(e, user, q);
  bool holding = false;
  if (key) {
    if (auto r = cached(*key)) return std::move(*r);
    if (settings_.leases && strategy_->supports_leases())
      if (auto r = lease_or_wait(*key, &holding)) return std::move(*r);
  }
  TimeMs last_modified = store_.last_write();
  auto rows = store_.feed(user, e.visibility, q);
  nlohmann::json events = nlohmann::json::array();
  for (auto& row : rows) events.push_back(event_json(row));
  AppResponse r;
  r.body = events.dump();
  r.served = Served::store;
  r.last_modified = last_modified;
#if CACHECHECK_MUTANT == 12  // mutant 12 (ttl-in-minutes): the TTL is read as minutes: entries live 60 times their declared bound
  if (key) cache_->set(strategy_->fill_key(e, user, q, *key), encode_entry(last_modified, r.body), settings_.ttl_s * 60);
#else
  if (key) cache_->set(strategy_->fill_key(e, user, q, *key), encode_entry(last_modified, r.body), settings_.ttl_s);
#endif
  if (holding) cache_->del(lease_key(*key));  // after the fill: a later taker finds the entry
  return r;
}

std::optional<AppResponse> CalendarApp::cached(const std::string& key) {
  auto entry = cache_->get(key);
  if (!entry) return std::nullopt;
  AppResponse r;
  TimeMs last_modified = 0;
  if (!decode_entry(std::move(*entry), last_modified, r.body)) return std::nullopt;
  r.served = Served::cache;
  r.last_modified = last_modified;
  return r;
}

std::optional<AppResponse> CalendarApp::lease_or_wait(const std::string& key, bool* holding) {
  for (int attempt = 0; attempt < kLeaseTries; ++attempt) {
    switch (cache_->add(lease_key(key), "1", kLeaseTtlMs)) {
      case Cache::AddResult::added:
        *holding = true;
        // A holder may have filled and released since our miss: look once more.
        if (auto r = cached(key)) {
          cache_->del(lease_key(key));
          *holding = false;
          return r;
        }
        return std::nullopt;
      case Cache::AddResult::error:
        return std::nullopt;  // no leases without a cache: the store answers
      case Cache::AddResult::exists:
        break;
    }
    if (!cache_->scheduled()) std::this_thread::sleep_for(kLeaseBackoff);
    if (auto r = cached(key)) return r;
  }
  return std::nullopt;  // waited long enough: the store answers (fresh, as always)
}

AppResponse CalendarApp::modal(UserId, const std::string& id) {
  ++requests_;
  if (!is_uuid(id)) return json_error(404, "no such work item");
  auto item = store_.get(id);
  if (!item) return json_error(404, "no such work item");
  return json_ok(200, to_json(*item));
}

std::string CalendarApp::check_references(const WorkItem& item) {
  for (UserId u : item.assignee_ids)
    if (!store_.find_user(u)) return "unknown assignee " + std::to_string(u);
  if (!store_.find_user(item.owner_id)) return "unknown owner " + std::to_string(item.owner_id);
  if (item.parent_id) {
    if (!store_.get(*item.parent_id)) return "unknown parent_id '" + *item.parent_id + "'";
    if (!item.id.empty() && store_.is_ancestor(item.id, *item.parent_id)) return "parent_id would make a cycle";
  }
  return "";
}

AppResponse CalendarApp::create(UserId user, const nlohmann::json& body) {
  ++requests_;
  std::string error;
  auto item = item_from_json(body, false, error, user);
  if (!item) return json_error(400, error);
  if (auto ref = check_references(*item); !ref.empty()) return json_error(400, ref);
  WorkItem stored = store_.insert(*item);
  StrategyEnv e = env();
  strategy_->on_write(e, WriteEvent{WriteKind::create, user, {}, {stored}});
  return json_ok(201, to_json(stored));
}

AppResponse CalendarApp::patch(UserId user, const std::string& id, const nlohmann::json& body) {
  ++requests_;
  if (!is_uuid(id)) return json_error(404, "no such work item");
  auto before = store_.get(id);
  if (!before) return json_error(404, "no such work item");
  if (!before->involves(user)) return json_error(403, "only the owner or an assignee may edit this item");
  WorkItem after = *before;
  std::string error;
  if (!apply_patch(after, body, error)) return json_error(400, error);
  if (auto ref = check_references(after); !ref.empty()) return json_error(400, ref);
  store_.update(after);
  StrategyEnv e = env();
  strategy_->on_write(e, WriteEvent{WriteKind::edit, user, {*before}, {after}});
  return json_ok(200, to_json(after));
}

AppResponse CalendarApp::remove(UserId user, const std::string& id) {
  ++requests_;
  if (!is_uuid(id)) return json_error(404, "no such work item");
  auto item = store_.get(id);
  if (!item) return json_error(404, "no such work item");
  if (!item->involves(user)) return json_error(403, "only the owner or an assignee may delete this item");
#if CACHECHECK_MUTANT == 13  // mutant 13 (invalidate-before-commit): the delete invalidates before the store commits it (a racing read refills the old item)
  StrategyEnv early = env(); strategy_->on_write(early, WriteEvent{WriteKind::remove, user, {*item}, {}});
#endif
  auto removed = store_.remove_subtree(id);
  if (removed.empty()) return json_error(404, "no such work item");  // deleted concurrently
#if CACHECHECK_MUTANT != 13  // (mutant 13 moves this invalidation above the commit)
  StrategyEnv e = env();
  strategy_->on_write(e, WriteEvent{WriteKind::remove, user, removed, {}});
#endif
  nlohmann::json ids = nlohmann::json::array();
  for (auto& r : removed) ids.push_back(r.id);
  AppResponse r = json_ok(200, {{"deleted", ids}});
  r.headers.emplace_back("HX-Trigger", nlohmann::json{{"workItemDeleted", {{"id", id}}}}.dump());
  return r;
}

}  // namespace calendar
