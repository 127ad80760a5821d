#include "run/runner.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "browser/http_cache_model.h"

namespace cachecheck {
namespace {

using calendar::Date;
using nlohmann::json;

const std::string kFeedPath = "/oobc-management/calendar/feed/?";

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
  calendar::FeedQuery query() const {
    auto r = range();
    return {r.start, r.end, type, status};
  }
  std::string query_string() const {
    return feed_query_string(range(), setup.model, setup.utc_offset_min, type, status);
  }
  bool covers_current_view() const {
    auto r = range();
    return fetched && fetched->start <= r.start && r.end <= fetched->end && fetched_type == type &&
           fetched_status == status;
  }
};

std::vector<ShownEvent> parse_events(const std::string& body) {
  std::vector<ShownEvent> out;
  auto j = json::parse(body, nullptr, false);
  if (!j.is_array()) throw TargetError("the feed did not answer a JSON array");
  for (auto& e : j) out.push_back(shown_from_event_json(e));
  return out;
}

class Player {
 public:
  Player(Target& target, const Script& script, std::uint64_t seed)
      : target_(target), script_(script), seed_(seed), now_(script.setup.start_time) {}

  RunOutput play(std::optional<double> bound_s) {
    out_.history.users = script_.setup.users;
    out_.history.initial_items = script_.setup.items;
    out_.history.visibility = script_.setup.visibility;
    out_.history.bound_s = bound_s;
    target_.reset(script_.setup.users, script_.setup.items, script_.setup.visibility, now_);
    std::uint64_t group = 0;
    for (auto& step : script_.steps) {
      out_.steps.emplace_back();
      auto& record = out_.steps.back();
      TimeMs invoke = tick();
      if (step.action == Action::concurrent) {
        std::vector<std::function<void()>> tasks;
        std::vector<Op> ops(step.group.size());
        for (std::size_t i = 0; i < step.group.size(); ++i)
          tasks.push_back([this, &step, &ops, i, invoke] { ops[i] = perform(step.group[i], invoke, invoke + 1); });
        std::uint64_t schedule = step.schedule_seed ? step.schedule_seed : seed_ ^ (0x9e3779b97f4a7c15ULL * ++group);
        record.interleaving = target_.run_concurrently(std::move(tasks), schedule);
        for (auto& op : ops) record.ops.push_back(append(std::move(op)));
      } else if (step.action == Action::click && !step.tab.empty() && !shows(step.tab, resolve(step.item))) {
        record.note = "(the tab does not show it: nothing to click)";
        continue;
      } else {
        json before = wants_cache_account(step) ? target_.stats() : json();
        Op op = perform(step, invoke, invoke + 1);
        if (!before.is_null()) {
          json after = target_.stats();
          op.note += cache_account(before, after);
          if (op.status / 100 == 2) count_write(before, after);
        }
        record.ops.push_back(append(std::move(op)));
      }
      now_ = std::max(now_, invoke + 1);  // an advance step has moved it further
      target_.set_now(now_);
    }
    return std::move(out_);
  }

 private:
  // Starts the next operation: moves the clock on by 1 ms and returns the invoke time.
  TimeMs tick() {
    now_ += 1;
    target_.set_now(now_);
    return now_;
  }

  std::size_t append(Op op) {
    op.index = out_.history.ops.size();
    out_.history.ops.push_back(std::move(op));
    return out_.history.ops.back().index;
  }

  void count_write(const json& before, const json& after) {
    auto delta = [&](const char* name) {
      return static_cast<std::uint64_t>(after["cache"].value(name, 0LL) - before["cache"].value(name, 0LL));
    };
    out_.writes_measured += 1;
    out_.write_cache_ops += delta("hits") + delta("misses") + delta("sets") + delta("deletes") + delta("incrs");
    out_.write_round_trips += delta("round_trips");
  }

  static bool wants_cache_account(const Step& s) {
    return s.action == Action::create || s.action == Action::edit || s.action == Action::remove;
  }

  static std::string cache_account(const json& before, const json& after) {
    auto delta = [&](const char* name) {
      return after["cache"].value(name, 0LL) - before["cache"].value(name, 0LL);
    };
    std::string out;
    if (auto d = delta("deletes"); d > 0)
      out += "; server deletes " + std::to_string(d) + " cache key(s), " + std::to_string(delta("deletes_present")) +
             " present";
    if (auto i = delta("incrs"); i > 0) out += "; server increments " + std::to_string(i) + " version key(s)";
    if (out.empty()) out = "; server touches no cache key";
    return out;
  }

  std::string resolve(const std::string& item) {
    if (item.rfind("$created:", 0) != 0) return item;
    std::size_t n = static_cast<std::size_t>(std::stoul(item.substr(9)));
    std::lock_guard lock(mutex_);
    return n >= 1 && n <= created_.size() ? created_[n - 1] : item;
  }

  // Whether a tab currently displays the item (a user can only click what is shown).
  bool shows(const std::string& name, const std::string& id) {
    Tab& t = tab(name);
    auto q = t.query();
    for (auto& e : t.events)
      if (e.item_id == id && q.matches(as_item(e))) return true;
    return false;
  }

  Tab& tab(const std::string& name) {
    std::lock_guard lock(mutex_);
    return *tabs_.at(name);
  }

  BrowserHttpCache& browser(UserId user) {
    std::lock_guard lock(mutex_);
    return browsers_[user];
  }

  Op base_op(OpKind kind, const Step& s, TimeMs invoke, TimeMs complete) {
    Op op;
    op.kind = kind;
    op.user = s.user;
    op.tab = s.tab;
    op.invoke = invoke;
    op.complete = complete;
    return op;
  }

  // A view of `t`: from the browser cache or the server (`fetch`), or from the tab's memory.
  Op view(Tab& t, const Step& s, TimeMs invoke, TimeMs complete, std::optional<BrowserHttpCache::Mode> fetch) {
    Op op = base_op(OpKind::view, s, invoke, complete);
    op.query = t.query();
    if (!fetch) {
      op.layer = Layer::client_store;
      for (auto& e : t.events)
        if (op.query.matches(as_item(e))) op.shown.push_back(e);
      op.note = "FullCalendar shows its in-memory events (no request)";
      return op;
    }
    std::string url = kFeedPath + t.query_string();
    auto& cache = browser(t.user);
    std::optional<std::string> body = cache.lookup(url, invoke, *fetch);
    if (body) {
      op.layer = Layer::http_cache;
      op.note = "the browser's HTTP cache answers; the server is not asked";
    } else {
      Response r = target_.feed(t.user, t.query_string());
      op.status = r.status;
      if (r.status != 200) {
        op.layer = Layer::store;
        op.note = "the server answers " + std::to_string(r.status) + ": " + r.body.substr(0, 200);
        return op;
      }
      body = r.body;
      std::string hit = r.header("x-cache");
      op.layer = hit == "MISS" ? Layer::store : Layer::server_cache;
      op.note = hit == "MISS" ? "server: cache MISS, read from the store"
                              : hit == "HIT" ? "server: cache HIT" : "server answers";
      if (auto w = r.header("x-worker"); !w.empty()) op.note += " (worker " + w + ")";
      cache.store(url, StoredResponse{r.body, r.status, r.headers, invoke, complete});
    }
    op.shown = parse_events(*body);
    t.events = op.shown;
    t.fetched = t.range();
    t.fetched_type = t.type;
    t.fetched_status = t.status;
    return op;
  }

  static calendar::WorkItem as_item(const ShownEvent& e) {
    calendar::WorkItem item;
    item.id = e.item_id;
    item.work_type = e.work_type;
    item.status = e.status;
    item.start_date = e.start;
    item.due_date = e.end;
    return item;
  }

  Op fault(const Step& s, TimeMs invoke, TimeMs complete, std::string note) {
    Op op = base_op(OpKind::fault, s, invoke, complete);
    op.note = std::move(note);
    return op;
  }

  Op write_result(Op op, const Response& r) {
    op.status = r.status;
    auto body = json::parse(r.body, nullptr, false);
    if (r.status / 100 != 2) {
      op.note = "the server answers " + std::to_string(r.status) +
                (body.is_object() && body.contains("error") ? ": " + body["error"].get<std::string>() : "");
      return op;
    }
    if (op.kind == OpKind::remove) {
      if (body.is_object() && body.contains("deleted"))
        for (auto& id : body["deleted"]) op.deleted.push_back(id.get<std::string>());
      op.note = "the store deletes " + std::to_string(op.deleted.size()) + " item(s)";
    } else {
      std::string error;
      auto item = calendar::item_from_json(body, true, error);
      if (!item) throw TargetError("the server answered a malformed item: " + error);
      op.written = *item;
      op.item_id = item->id;
      op.note = "the store has it";
    }
    return op;
  }

  Op perform(const Step& s, TimeMs invoke, TimeMs complete) {
    switch (s.action) {
      case Action::open: {
        auto t = std::make_unique<Tab>();
        t->name = s.tab;
        t->user = s.user;
        t->setup = s.setup;
        t->focus = s.setup.focus;
        t->type = s.type;
        t->status = s.status;
        Tab* raw = t.get();
        {
          std::lock_guard lock(mutex_);
          tabs_[s.tab] = std::move(t);
        }
        return view(*raw, s, invoke, complete, BrowserHttpCache::Mode::normal);
      }
      case Action::refresh:
      case Action::hard_refresh: {
        Tab& t = tab(s.tab);
        t.events.clear();
        t.fetched.reset();
        return view(t, s, invoke, complete,
                    s.action == Action::refresh ? BrowserHttpCache::Mode::normal : BrowserHttpCache::Mode::hard_reload);
      }
      case Action::navigate: {
        Tab& t = tab(s.tab);
        t.focus = navigate(t.setup.model, t.focus, s.delta);
        if (t.covers_current_view()) return view(t, s, invoke, complete, std::nullopt);
        return view(t, s, invoke, complete, BrowserHttpCache::Mode::normal);
      }
      case Action::filter: {
        Tab& t = tab(s.tab);
        t.type = s.type;
        t.status = s.status;
        return view(t, s, invoke, complete, BrowserHttpCache::Mode::normal);
      }
      case Action::look:
        return view(tab(s.tab), s, invoke, complete, std::nullopt);
      case Action::click: {
        Op op = base_op(OpKind::click, s, invoke, complete);
        op.item_id = resolve(s.item);
        Response r = target_.modal(s.user, op.item_id);
        op.status = r.status;
        op.note = r.status == 200 ? "the modal opens" : "the modal answers " + std::to_string(r.status);
        return op;
      }
      case Action::create: {
        Op op = base_op(OpKind::create, s, invoke, complete);
        op = write_result(std::move(op), target_.create(s.user, s.fields));
        if (op.written) {
          std::lock_guard lock(mutex_);
          created_.push_back(op.written->id);
        }
        return op;
      }
      case Action::edit: {
        Op op = base_op(OpKind::edit, s, invoke, complete);
        op.item_id = resolve(s.item);
        std::string id = op.item_id;
        op = write_result(std::move(op), target_.patch(s.user, id, s.fields));
        op.item_id = id;
        return op;
      }
      case Action::remove: {
        Op op = base_op(OpKind::remove, s, invoke, complete);
        op.item_id = resolve(s.item);
        std::string id = op.item_id;
        op = write_result(std::move(op), target_.remove(s.user, id));
        op.item_id = id;
        if (op.status == 200 && !s.tab.empty()) {
          Tab& t = tab(s.tab);
          std::erase_if(t.events, [&](const ShownEvent& e) { return e.item_id == id; });
        }
        return op;
      }
      case Action::advance: {
        now_ = invoke + static_cast<TimeMs>(s.seconds * 1000);
        target_.set_now(now_);
        return fault(s, invoke, now_, "the clock reads " + calendar::format_instant(now_));
      }
      case Action::evict: {
        auto n = target_.evict(s.keys);
        return fault(s, invoke, complete, std::to_string(n) + " of them present");
      }
      case Action::evict_random: {
        auto n = target_.evict_random(s.count, seed_ ^ static_cast<std::uint64_t>(invoke));
        return fault(s, invoke, complete, std::to_string(n) + " evicted");
      }
      case Action::flush:
        target_.flush();
        return fault(s, invoke, complete, "every entry is gone, version keys too");
      case Action::route:
        target_.route(s.worker);
        return fault(s, invoke, complete, "routing changed");
      case Action::concurrent:
        break;
    }
    throw TargetError("a concurrent step cannot nest");
  }

  Target& target_;
  const Script& script_;
  std::uint64_t seed_;
  TimeMs now_;
  RunOutput out_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Tab>> tabs_;
  std::map<UserId, BrowserHttpCache> browsers_;
  std::vector<std::string> created_;
};

}  // namespace

RunOutput run_script(Target& target, const Script& script, std::uint64_t seed, std::optional<double> bound_s) {
  return Player(target, script, seed).play(bound_s);
}

}  // namespace cachecheck
