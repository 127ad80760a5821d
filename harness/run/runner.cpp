#include "run/runner.h"

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>
#include <map>
#include <memory>
#include <mutex>

#include "browser/http_cache_model.h"
#include "browser/tab.h"
#include "generate/stage.h"

namespace cachecheck {
namespace {

thread_local std::uint64_t t_call_tag = 0;

// An operation being built, with the tag its client calls carry.
struct Pending {
  Op op;
  std::uint64_t tag = 0;
};

// The operations of the concurrent task running on this thread (null: sequential play).
thread_local std::vector<Pending>* t_task_ops = nullptr;

// Sets the call tag for the duration of one operation's client calls.
class TagScope {
 public:
  explicit TagScope(std::uint64_t tag) : saved_(t_call_tag) { t_call_tag = tag; }
  ~TagScope() { t_call_tag = saved_; }
  TagScope(const TagScope&) = delete;
  TagScope& operator=(const TagScope&) = delete;

 private:
  std::uint64_t saved_;
};

class Player final : public Stage {
 public:
  Player(Target& target, const Script& script, const RunOptions& options)
      : target_(target),
        caps_(target.capabilities()),
        client_(options.wrap_client ? options.wrap_client(target.client()) : target.client()),
        script_(script),
        seed_(options.seed),
        now_(script.setup.start_time) {}

  RunOutput play() {
    auto& h = out_.history;
    h.users = script_.setup.users;
    h.initial_items = script_.setup.items;
    h.visibility = caps_.visibility.value_or(script_.setup.visibility);  // an application's fixed one wins
    h.semantics = caps_.semantics;
    h.bound_s = caps_.staleness_bound_s;
    target_.reset(script_.setup);
    if (!caps_.manual_clock) now_ = target_.clock().now();
    for (const auto& step : script_.steps) {
      out_.steps.emplace_back();
      record_ = &out_.steps.back();
      step_invoke_ = tick();
      cachecheck::play(step, *this);
      // The step ends 1 ms after its invocation (an advance may have moved it further).
      if (caps_.manual_clock) now_ = std::max(now_, step_invoke_ + 1);
    }
    if (caps_.manual_clock && !script_.steps.empty()) target_.clock().set_now(now_);
    return std::move(out_);
  }

  // ---- Stage ------------------------------------------------------------------

  Tab& open_tab(const std::string& name, UserId user, const TabSetup& setup, const std::optional<std::string>& type,
                const std::optional<std::string>& status) override {
    auto t = std::make_unique<Tab>();
    t->name = name;
    t->user = user;
    t->setup = setup;
    t->focus = setup.focus;
    t->type = type;
    t->status = status;
    std::lock_guard lock(mutex_);
    auto& slot = tabs_[name];
    slot = std::move(t);
    return *slot;
  }

  Tab& tab(const std::string& name) override {
    std::lock_guard lock(mutex_);
    auto it = tabs_.find(name);
    if (it == tabs_.end()) throw TargetError("the script uses tab '" + name + "' before opening it");
    return *it->second;
  }

  void view(Tab& t, std::optional<BrowserHttpCache::Mode> mode) override {
    Pending p = begin(OpKind::view, t.user, t.name);
    Op& op = p.op;
    op.query = t.query();
    if (!mode) {
      op.layer = Layer::client_store;
      op.shown = t.displayed();
      finish(std::move(p));
      return;
    }
    const std::string key = t.query_string();
    op.request = {{"query_string", key}};  // what the page asked for, whoever answered
    std::optional<std::string> body;
    {
      std::lock_guard lock(mutex_);
      body = browsers_[t.user].lookup(key, op.invoke, *mode);
    }
    if (body) {
      op.layer = Layer::http_cache;
    } else {
      auto before = probe_before();
      Response r = call(p, [&] { return client_.feed(t.user, FeedRequest{key, op.query}); });
      op.status = r.status;
      op.outcome = read_outcome(r);
      op.error = response_error(r);
      op.worker = client_.worker_of(r);
      probe_after(op, before);
      if (op.outcome != Outcome::ok || r.status != 200) {
        op.layer = Layer::server;
        finish(std::move(p));
        return;
      }
      op.layer = client_.served_by(r);
      op.complete = completion(op.invoke);
      std::lock_guard lock(mutex_);
      browsers_[t.user].store(key, StoredResponse{r.body, r.status, r.headers, op.invoke, op.complete});
      body = r.body;
    }
    try {
      op.shown = client_.decode_feed(*body);
      t.remember(op.shown);
    } catch (const DecodeError& e) {
      op.outcome = Outcome::indeterminate;
      op.error = std::string("undecodable feed: ") + e.what();
      op.shown.clear();
    }
    finish(std::move(p));
  }

  void click(UserId user, const std::string& tab_name, const std::string& item_ref) override {
    std::string id = resolve(item_ref);
    if (!tab_name.empty() && !tab(tab_name).displays(id)) {
      skip("(" + tab_name + " does not show it: nothing to click)");
      return;
    }
    Pending p = begin(OpKind::click, user, tab_name);
    Op& op = p.op;
    op.item_id = id;
    auto before = probe_before();
    Response r = call(p, [&] { return client_.detail(user, id); });
    op.status = r.status;
    op.outcome = read_outcome(r);
    op.error = r.status == 404 ? "" : response_error(r);
    op.worker = client_.worker_of(r);
    probe_after(op, before);
    finish(std::move(p));
  }

  void create(UserId user, const nlohmann::json& fields) override {
    Pending p = begin(OpKind::create, user, "");
    Op& op = p.op;
    op.request = fields;
    auto before = probe_before();
    Response r = call(p, [&] { return client_.create(user, fields); });
    write_answer(op, r, before);
    {
      std::lock_guard lock(mutex_);
      created_.push_back(op.written ? op.written->id : std::string());
    }
    finish(std::move(p));
  }

  void edit(UserId user, const std::string& item_ref, const nlohmann::json& fields) override {
    Pending p = begin(OpKind::edit, user, "");
    Op& op = p.op;
    op.item_id = resolve(item_ref);
    op.request = fields;
    auto before = probe_before();
    Response r = call(p, [&] { return client_.edit(user, op.item_id, fields); });
    write_answer(op, r, before);
    finish(std::move(p));
  }

  void remove(UserId user, const std::string& tab_name, const std::string& item_ref) override {
    Pending p = begin(OpKind::remove, user, tab_name);
    Op& op = p.op;
    op.item_id = resolve(item_ref);
    auto before = probe_before();
    Response r = call(p, [&] { return client_.remove(user, op.item_id); });
    write_answer(op, r, before);
    if (op.outcome == Outcome::ok && !tab_name.empty()) {
      // The page removes the clicked event (the root only) from its in-memory store.
      Tab& t = tab(tab_name);
      std::erase_if(t.events, [&](const ShownEvent& e) { return e.item_id == op.item_id; });
    }
    finish(std::move(p));
  }

  void advance(double seconds) override {
    if (!caps_.manual_clock && caps_.max_think_s > 0) {  // issue 10: a real clock; time passes by waiting, capped
      Pending p = begin(OpKind::fault, 0, "");
      double wait = std::min(seconds, caps_.max_think_s);
      p.op.fault = "advance";
      p.op.request = {{"advance_s", seconds}, {"waited_s", wait}};
      std::this_thread::sleep_for(std::chrono::duration<double>(wait));
      p.op.complete = target_.clock().now();
      finish(std::move(p));
      return;
    }
    if (!caps_.manual_clock) throw TargetError("the script advances the clock, and " + target_.describe() +
                                               " has no manual clock");
    Pending p = begin(OpKind::fault, 0, "");
    Op& op = p.op;
    op.fault = "advance";
    op.request = {{"advance_s", seconds}};
    now_ = op.invoke + static_cast<TimeMs>(seconds * 1000);
    op.complete = now_;  // the target is told before its next request (sync_clock)
    finish(std::move(p));
  }

  void fault(Fault kind, const nlohmann::json& params,
             const std::function<std::optional<std::size_t>(Nemesis&, std::uint64_t)>& act) override {
    Nemesis* nemesis = target_.nemesis();
    if (!nemesis || !caps_.faults.count(kind))
      throw TargetError(target_.describe() + " offers no '" + std::string(to_string(kind)) + "' fault");
    Pending p = begin(OpKind::fault, 0, "");
    Op& op = p.op;
    op.fault = to_string(kind);
    op.request = params;
    auto before = probe_before();
    sync_clock();
    auto affected = act(*nemesis, seed_ ^ static_cast<std::uint64_t>(op.invoke));
    if (affected) op.affected = *affected;
    probe_after(op, before);
    op.complete = completion(op.invoke);
    finish(std::move(p));
  }

  void concurrently(const std::vector<Step>& group, std::uint64_t schedule_seed) override {
    std::vector<std::vector<Pending>> ops(group.size());
    std::vector<std::function<void()>> tasks;
    for (std::size_t i = 0; i < group.size(); ++i)
      tasks.push_back([this, &group, &ops, i] {
        t_task_ops = &ops[i];
        try {
          cachecheck::play(group[i], *this);
        } catch (...) {
          t_task_ops = nullptr;
          throw;
        }
        t_task_ops = nullptr;
      });
    std::uint64_t schedule = schedule_seed ? schedule_seed : seed_ ^ (0x9e3779b97f4a7c15ULL * ++groups_);
    last_probe_.reset();  // the concurrent step moves the counters
    sync_clock();         // the tasks' requests all happen at the step's instant
    record_->interleaving = target_.run_concurrently(std::move(tasks), schedule);
    for (auto& task_ops : ops)
      for (auto& pending : task_ops) append(std::move(pending));
  }

 private:
  // Starts the next step: moves a manual clock on by 1 ms; returns the invoke time.
  TimeMs tick() {
    if (!caps_.manual_clock) return target_.clock().now();
    now_ += 1;
    return now_;
  }

  // A manual clock is told the runner's time just before a request reaches the target
  // (an operation, a fault) and once after the last step, not at every step: the
  // target sees the same instant at every request, and a step that reaches it not at
  // all (a view from the browser's cache, a skipped click, an advance) costs no clock
  // call, which over a network is a request (bench: blackbox/ops-per-second). The
  // tasks of a concurrent step are synced once, before they start.
  void sync_clock() {
    if (caps_.manual_clock && !t_task_ops) target_.clock().set_now(now_);
  }

  // An operation's completion: 1 ms after its invocation on a manual clock (the
  // operations of a concurrent step share that interval), else the clock's reading.
  TimeMs completion(TimeMs invoke) {
    if (caps_.manual_clock) return invoke + 1;
    return std::max(invoke, target_.clock().now());
  }

  Pending begin(OpKind kind, UserId user, const std::string& tab_name) {
    Pending p;
    Op& op = p.op;
    op.kind = kind;
    op.user = user;
    op.tab = tab_name;
    op.invoke = caps_.manual_clock ? step_invoke_ : target_.clock().now();
    op.complete = op.invoke + (caps_.manual_clock ? 1 : 0);
    std::lock_guard lock(mutex_);
    p.tag = ++next_tag_;
    return p;
  }

  // One client call for `p`, under its tag. An exception other than TargetError
  // (a client that failed) is an answer-less response: indeterminate, not lost.
  template <typename F>
  Response call(Pending& p, F&& f) {
    TagScope scope(p.tag);
    sync_clock();
    Response r;
    try {
      r = f();
    } catch (const TargetError&) {
      throw;
    } catch (const std::exception& e) {
      r = Response{};
      r.transport_error = std::string("the client failed: ") + e.what();
    }
    p.op.complete = completion(p.op.invoke);
    return r;
  }

  void write_answer(Op& op, const Response& r, const std::optional<ProbeCounters>& before) {
    op.status = r.status;
    op.outcome = write_outcome(r);
    op.error = response_error(r);
    op.worker = client_.worker_of(r);
    probe_after(op, before);
    if (op.outcome != Outcome::ok) return;
    try {
      if (op.kind == OpKind::remove) {
        op.deleted = client_.decode_deleted(r);
      } else {
        op.written = client_.decode_item(r);
        op.item_id = op.written->id;
      }
    } catch (const DecodeError& e) {
      // It succeeded, but its effect is unknown: judged as possibly done.
      op.outcome = Outcome::indeterminate;
      op.error = std::string("undecodable answer: ") + e.what();
      op.written.reset();
    }
  }

  // Probe counters are read around sequential operations only (a concurrent step's
  // operations share the counters, so none of them carries any). The counters read
  // after one sequential operation are those before the next when nothing but the
  // clock reached the target in between (a clock call moves no counter): one probe
  // read per operation instead of two, each a request over a network.
  std::optional<ProbeCounters> probe_before() {
    if (t_task_ops || !target_.probe()) return std::nullopt;
    if (last_probe_) return std::exchange(last_probe_, std::nullopt);
    return target_.probe()->counters();
  }
  void probe_after(Op& op, const std::optional<ProbeCounters>& before) {
    if (!before) return;
    ProbeCounters after = target_.probe()->counters();
    op.probe = after - *before;
    last_probe_ = after;
  }

  void finish(Pending p) {
    if (t_task_ops) {
      t_task_ops->push_back(std::move(p));
      return;
    }
    append(std::move(p));
  }

  void append(Pending p) {
    p.op.index = out_.history.ops.size();
    std::size_t index = p.op.index;
    out_.history.ops.push_back(std::move(p.op));
    record_->ops.push_back(index);
    out_.call_ops[p.tag] = index;
  }

  void skip(std::string why) {
    if (record_->skipped.empty()) record_->skipped = std::move(why);
  }

  // "$created:N" → the id the Nth create got ("" while unknown: the ref itself is used).
  std::string resolve(const std::string& ref) {
    if (ref.rfind("$created:", 0) != 0) return ref;
    std::size_t n = 0;
    try {
      n = static_cast<std::size_t>(std::stoul(ref.substr(9)));
    } catch (const std::exception&) {
      return ref;
    }
    std::lock_guard lock(mutex_);
    return n >= 1 && n <= created_.size() && !created_[n - 1].empty() ? created_[n - 1] : ref;
  }

  Target& target_;
  const Capabilities& caps_;
  Client& client_;
  const Script& script_;
  std::uint64_t seed_;
  TimeMs now_;
  std::optional<ProbeCounters> last_probe_;  // the counters after the last sequential operation (see probe_before)
  TimeMs step_invoke_ = 0;
  RunOutput out_;
  RunOutput::StepRecord* record_ = nullptr;
  std::uint64_t groups_ = 0;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Tab>> tabs_;
  std::map<UserId, BrowserHttpCache> browsers_;
  std::vector<std::string> created_;
  std::uint64_t next_tag_ = 0;
};

}  // namespace

RunOutput run_script(Target& target, const Script& script, const RunOptions& options) {
  return Player(target, script, options).play();
}

std::uint64_t current_call_tag() { return t_call_tag; }

}  // namespace cachecheck
