#include "fake_app.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>

#include "model/item_json.h"

namespace fakeapp {
namespace {

using namespace cachecheck;
using nlohmann::json;

Response json_response(int status, const json& body) {
  Response r;
  r.status = status;
  r.body = body.dump();
  r.headers["content-type"] = "application/json";
  return r;
}

class FakeApp final : public Target, Client, cachecheck::Clock, Nemesis {
 public:
  explicit FakeApp(const Bugs& bugs) : bugs_(bugs) {
    caps_.reset = true;
    caps_.manual_clock = true;
    caps_.deterministic = true;
    caps_.workers = bugs.workers;
    caps_.staleness_bound_s = 0;
    caps_.strategy = "";
    if (bugs.nemesis) caps_.faults = {Fault::flush};
  }

  std::string describe() const override { return "fake application"; }
  const Capabilities& capabilities() const override { return caps_; }
  void reset(const Fixture& f) override {
    items_.clear();
    for (const auto& i : f.items) items_[i.id] = i;
    visibility_ = f.visibility;
    now_ = f.start_time;
  }
  Client& client() override { return *this; }
  cachecheck::Clock& clock() override { return *this; }
  Nemesis* nemesis() override { return bugs_.nemesis ? this : nullptr; }
  std::vector<std::string> run_concurrently(std::vector<std::function<void()>> tasks, std::uint64_t) override {
    for (auto& t : tasks) t();  // one after the other: a correct app is fresh either way
    return {};
  }

  // ---- Client ------------------------------------------------------------------
  Response feed(UserId user, const FeedRequest& request) override {
    if (unanswered()) return {};
    const Query& q = request.query;
    std::vector<const Item*> out;
    for (const auto& [id, i] : items_) {
      if (!i.is_calendar_visible && !bugs_.shows_invisible) continue;
      if (visibility_ == Visibility::assigned && !i.involves(user)) continue;
      if (q.end && !(i.start_date < *q.end)) continue;
      if (q.start && i.due_date < *q.start) continue;
      if (q.type && !type_matches(*q.type, i.work_type)) continue;
      if (q.status && i.status != *q.status) continue;
      out.push_back(&i);
    }
    std::sort(out.begin(), out.end(), [](const Item* a, const Item* b) {
      return std::tie(a->start_date, a->id) < std::tie(b->start_date, b->id);
    });
    json events = json::array();
    for (const Item* i : out)
      events.push_back({{"id", "work-item-" + i->id},
                        {"title", i->title},
                        {"workType", i->work_type},
                        {"status", i->status},
                        {"start", i->start_date.iso()},
                        {"end", i->due_date.iso()},
                        {"parentId", i->parent_id ? json("work-item-" + *i->parent_id) : json(nullptr)},
                        {"level", 0},
                        {"url", "/oobc-management/work-items/" + i->id + "/modal/"}});
    return json_response(200, events);
  }
  Response detail(UserId, const std::string& id) override {
    if (unanswered()) return {};
    auto it = items_.find(id);
    if (it == items_.end()) return json_response(404, {{"error", "not found"}});
    return json_response(200, to_json(it->second));
  }
  Response create(UserId user, const json& fields) override {
    if (unanswered()) return {};
    json j = {{"title", ""}, {"work_type", "task"}, {"status", "not_started"}, {"parent_id", nullptr},
              {"owner_id", user}, {"assignee_ids", json::array()}, {"is_calendar_visible", true}};
    j.update(fields);
    j["id"] = "00000000-0000-4000-8000-9" + std::to_string(100000000000 + ++created_).substr(1);
    return store(j, 201);
  }
  Response edit(UserId, const std::string& id, const json& fields) override {
    if (unanswered()) return {};
    auto it = items_.find(id);
    if (it == items_.end()) return json_response(404, {{"error", "not found"}});
    json j = to_json(it->second);
    j.update(fields);
    j["id"] = id;
    return store(j, 200);
  }
  Response remove(UserId, const std::string& id) override {
    if (unanswered()) return {};
    if (!items_.count(id)) return json_response(404, {{"error", "not found"}});
    std::vector<std::string> gone{id};
    for (std::size_t k = 0; k < gone.size(); ++k)
      for (const auto& [other, i] : items_)
        if (i.parent_id == gone[k]) gone.push_back(other);
    for (const auto& g : gone) items_.erase(g);
    return json_response(200, {{"deleted", gone}});
  }

  // ---- Clock and Nemesis ------------------------------------------------------------
  TimeMs now() override { return now_; }
  void set_now(TimeMs t) override { now_ = std::max(now_, t); }
  std::optional<std::size_t> evict(const std::vector<std::string>&) override { return 0; }
  std::optional<std::size_t> evict_version(std::optional<UserId>) override { return 0; }
  std::optional<std::size_t> evict_random(std::size_t, std::uint64_t) override { return 0; }
  void flush() override {}
  void route(std::optional<std::size_t>) override {}

 private:
  bool type_matches(const std::string& filter, const std::string& kind) const {
    if (kind == filter) return true;
    if (filter == "project") return kind == "sub_project";
    if (filter == "activity") return kind == "sub_activity";
    if (filter == "task") return kind == "subtask" && !bugs_.drops_subtask_under_task;
    return false;
  }
  // Counted over every fake built (one per case): short cases still see failures.
  bool unanswered() {
    static std::atomic<long long> requests{0};
    return bugs_.fail_every > 0 && ++requests % bugs_.fail_every == 0;
  }
  Response store(const json& j, int status) {
    std::string error;
    auto item = item_from_json(j, error);
    if (!item) return json_response(400, {{"error", error}});
    items_[item->id] = *item;
    return json_response(status, to_json(*item));
  }

  Bugs bugs_;
  Capabilities caps_;
  std::map<std::string, Item> items_;
  Visibility visibility_ = Visibility::global;
  TimeMs now_ = 0;
  long long created_ = 0;
};

}  // namespace

std::unique_ptr<Target> make_fake(const Bugs& bugs) { return std::make_unique<FakeApp>(bugs); }

void register_fake_targets() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto add = [](const std::string& name, Bugs bugs, bool builds) {
      TargetKind k;
      k.name = name;
      k.matches = [name](const std::string& spec) { return spec == name; };
      k.make = [bugs](const std::string&, const TargetConfig&) { return make_fake(bugs); };
      k.strategies = [] { return std::vector<std::string>{"fake"}; };
      k.builds_server = builds;
      register_target_kind(std::move(k));
    };
    add("fake:correct", Bugs{}, true);
    add("fake:drops-subtask", Bugs{.drops_subtask_under_task = true}, true);
    add("fake:shows-invisible", Bugs{.shows_invisible = true}, true);
    add("fake:flaky", Bugs{.fail_every = 10}, true);
    add("fake:one-worker", Bugs{.nemesis = true}, false);
  });
}

}  // namespace fakeapp
