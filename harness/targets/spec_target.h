// A target built from a target spec (spec/target_spec.h): any web application,
// driven black-box as its spec describes it. The spec's file path is the target's
// name (`--target app.yaml`; a path ending .yaml, .yml or .json).
//
// Requests. Every request is built from the spec: the login (form or JSON body;
// a cookie session or a token sent as a header; a CSRF token read from a cookie, a
// header or the body and sent back as a header on unsafe methods), the feed (the
// spec's parameter names and date format, from the harness's query), the writes
// and the detail (path and body templates). Each user has its own keep-alive
// connections (targets/http_pool.h); every wait has the spec's timeout.
//
// Answers are decoded by the spec: the feed's event array and each event's fields
// (ids without their prefix, the application's names for kinds and statuses
// mapped back), the written item, the ids a delete removed (the answer's list, or
// the item and — when the spec says deletes cascade — the subtree the harness
// knows). A write's answer is rewritten into the contract's form (item JSON,
// {"deleted": [...]}) so that the runner reads it as any other; an answer that
// does not decode is marked (header x-cachecheck-undecodable) and the write is
// then indeterminate, with the reason. A detail status the spec lists as "gone"
// reads as 404. A field the feed does not carry (type, status or parent not in
// the spec) is taken from the last state the harness saw: it is not checked.
//
// Namespace (no reset hook). The harness cannot replace the application's data,
// so it works among them: reset() deletes what the previous case created, logs
// every user in, and creates the fixture's items through the create endpoint (as
// their owners, titles prefixed with a per-target tag "[cc-1a2b3c4d] "), mapping
// the fixture's ids to the application's. Feed answers are read through that map:
// an event the harness did not create is not evidence and is dropped. Everything
// it created is deleted again at the next reset and when the target is destroyed
// (the end of a cell, also after a failure or an interrupted run). With a flush
// hook, each reset flushes the application's cache before building the fixture,
// so that no case reads what an earlier one left cached (without one, it may:
// targets/README.md). A fixture item the application cannot hold (hidden, when the
// create body cannot say so) is not created, and writes to it answer 404; a
// fixture that depends on one (a child of
// such a hidden item) cannot be built (TargetError: the case is aborted).
//
// Hooks add capabilities: reset (a URL taking the reset JSON, or a command),
// clock (a manual clock: set or advance), flush, evict, evict_random,
// evict_version, route (or base_urls: one URL per process, routed by the
// harness), stats (a probe: counters, and the strategy, process count and
// freshness bound the application reports). Without a clock hook time is the real
// clock: operations get real invoke and complete times, and an `advance` waits
// (capped: Capabilities::max_think_s).
//
// The reference server's own spec is built in: `--target http://HOST:PORT` is a
// SpecTarget of it (targets/calendar_server.h).
//
// Thread safety: reset() must not run concurrently with anything else; every other
// call may run from several threads (run_concurrently does that).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "spec/target_spec.h"
#include "targets/cookies.h"
#include "targets/http_pool.h"
#include "targets/target.h"

namespace cachecheck {

class SpecTarget final : public Target, Client, Nemesis, Clock, Probe {
 public:
  // Does not contact the application; see connect(). Throws TargetError for a base URL it cannot use.
  explicit SpecTarget(spec::TargetSpec spec, TargetConfig config = {});
  ~SpecTarget() override;  // deletes what it created (namespace mode)
  SpecTarget(const SpecTarget&) = delete;
  SpecTarget& operator=(const SpecTarget&) = delete;

  // Reads the stats hook when there is one (strategy, processes, freshness bound)
  // and, without a reset hook, logs every user in (with one, the users may exist
  // only after a reset, which logs them in). Throws TargetError (unreachable, a
  // login refused).
  void connect();
  // What connect() found that differs from the TargetConfig (the stats hook reports
  // another number of processes than the configuration's workers): notes, not errors.
  const std::vector<std::string>& config_notes() const { return notes_; }
  // A manual clock known to read `t` (read by whoever checked the application):
  // now() answers it until the first set_now(), which then sends only a later instant.
  void assume_now(TimeMs t);

  // What a spec gives before connecting (the stats hook may refine it).
  static Capabilities capabilities_of(const spec::TargetSpec& spec, const TargetConfig& config);

  std::string describe() const override { return spec_.name; }
  const Capabilities& capabilities() const override { return caps_; }
  void reset(const Fixture& fixture) override;
  Client& client() override { return *this; }
  Clock& clock() override { return *this; }
  Nemesis* nemesis() override { return caps_.faults.empty() ? nullptr : this; }
  Probe* probe() override { return caps_.probe ? this : nullptr; }
  std::vector<std::string> run_concurrently(std::vector<std::function<void()>> tasks, std::uint64_t seed) override;

  // Client.
  Response feed(UserId user, const FeedRequest& request) override;
  Response detail(UserId user, const std::string& item_id) override;
  Response create(UserId user, const nlohmann::json& fields) override;
  Response edit(UserId user, const std::string& item_id, const nlohmann::json& fields) override;
  Response remove(UserId user, const std::string& item_id) override;
  std::vector<ShownEvent> decode_feed(const std::string& body) const override;
  Item decode_item(const Response& r) const override;
  std::vector<std::string> decode_deleted(const Response& r) const override;
  Layer served_by(const Response& r) const override;  // feed.cache_header, else calendar-server's X-Cache

  // Nemesis, through the hooks.
  std::optional<std::size_t> evict(const std::vector<std::string>& keys) override;
  std::optional<std::size_t> evict_version(std::optional<UserId> user) override;
  std::optional<std::size_t> evict_random(std::size_t n, std::uint64_t seed) override;
  void flush() override;
  void route(std::optional<std::size_t> worker) override;

  // Clock: the application's manual clock through the clock hook, else the real clock
  // in ms, strictly increasing from one call to the next.
  TimeMs now() override;
  void set_now(TimeMs t) override;

  // Probe: the stats hook's counters.
  ProbeCounters counters() override;

  // The feed's events as decoded; `only_ours`: only items this target created (the
  // namespace's evidence; decode_feed uses it without a reset hook).
  std::vector<ShownEvent> decode_events(const std::string& body, bool only_ours) const;
  // Logs the spec's users in as harness users 1..N without touching any data (what
  // `spec probe` does first): per user, "" or why the login failed.
  std::vector<std::string> log_in_users();
  // Deletes every item this target created that may still exist; returns how many
  // deletes were refused or unanswered.
  std::size_t clean_up();
  // The tag that prefixes the titles of the items it creates ("" with a reset hook).
  const std::string& title_tag() const { return tag_; }
  const spec::TargetSpec& spec() const { return spec_; }

  // The header that carries why a write's answer could not be decoded.
  static constexpr const char* kUndecodable = "x-cachecheck-undecodable";

 private:
  struct Session;
  struct Created {
    std::string real_id;
    UserId owner = 0;
  };

  Session& session(UserId user) const;
  bool namespaced() const { return !spec_.hooks.reset; }
  std::size_t pool_for_user_request();
  // One request as `user`, built from `rs` with `vars`; `query` is appended to the path.
  Response as_user(UserId user, const spec::RequestSpec& rs, spec::Vars vars, const std::string& query = "");
  // A hook; throws TargetError when it fails. Returns the JSON answer of a request hook (null otherwise).
  nlohmann::json run_hook(const spec::Hook& hook, const char* name, const spec::Vars& vars);
  void login(Session& s);
  void map_users(const std::vector<User>& users);

  // Ids between the harness and the application (namespace mode maps; else identity).
  std::string to_real(const std::string& id) const;
  std::string to_harness(const std::string& real) const;
  nlohmann::json app_user_id(UserId user) const;
  std::optional<UserId> harness_user(const nlohmann::json& app_id) const;

  spec::Vars write_vars(UserId user, const nlohmann::json& fields) const;
  // The item a write's answer describes, over `base` (what was sent, or known before).
  Item decode_written(const Response& r, Item base) const;
  // `base` with the fields the write's body really sent (its template names them).
  static Item with_sent(Item base, const spec::Write& w, const nlohmann::json& fields);
  // A 2xx answer of a create or edit rewritten into the contract's item JSON (or marked undecodable).
  void settle_write(Response& r, const spec::Write& w, const Item& base, bool complete_base, UserId actor);
  Response not_created(const std::string& id) const;
  std::vector<std::string> subtree(const std::string& id) const;
  void build_fixture(const Fixture& fixture);
  static void undecodable(Response& r, const std::string& why);

  spec::TargetSpec spec_;
  TargetConfig config_;
  Capabilities caps_;
  std::vector<std::string> notes_;
  std::vector<std::unique_ptr<HttpPool>> pools_;  // one per base URL
  std::unique_ptr<HttpPool> admin_pool_;          // hooks: the first base URL, the hooks' longest timeout
  std::atomic<std::size_t> round_robin_{0};
  std::atomic<long long> pinned_{-1};             // base_urls: the process requests are pinned to (-1: none)

  std::map<UserId, std::unique_ptr<Session>> sessions_;  // rebuilt by map_users() only
  std::map<UserId, std::size_t> spec_user_;             // harness user → index in spec_.users

  std::mutex clock_mutex_;
  std::optional<TimeMs> now_;         // manual clock: the last instant set
  std::atomic<TimeMs> last_now_{0};   // real clock: the last instant given (now() is strictly increasing)

  // Namespace: what it created and how ids map; the state it last saw of each item.
  std::string tag_;
  mutable std::mutex ids_mutex_;
  std::map<std::string, std::string> to_real_, to_harness_;
  std::vector<Created> created_;
  std::set<std::string> ours_;       // real ids it created (feed evidence)
  std::set<std::string> not_built_;  // fixture ids it could not create
  std::map<std::string, Item> known_;  // by harness id
};

}  // namespace cachecheck
