// mixed/<strategy>/<backend>/<N>pct: a browsing workload through the harness.
//
// Twelve users with Zipf-distributed activity (rank r acts with weight r^-1.1:
// user 1 about 15× as often as user 12, a third of all steps) each keep one FullCalendar month-view tab
// (firstDay 1, their own UTC offset) open and browse between September 2025
// and January 2026: next/prev, F5, a filter change now and then, a hard
// refresh, a click on an event. N % of the steps are writes by the acting user
// on items they own or are assigned to (40 % edits of title/status/dates, 30 %
// deletes from the tab, 30 % creates). Time moves on the target's manual clock
// (on average ~3 s per step, so the 300 s TTL expires during the run).
// Visibility is global (as in the original application): everyone sees
// every calendar-visible item, so one user's write concerns everyone's feed.
//
// One script per (N, steps), generated once with a fixed seed; each iteration
// plays it with cachecheck::run_script on a fresh InProcessTarget reset (one
// worker, HTTP caching "never"). The last iteration's history is judged by
// cachecheck::judge. Counters (per run, not per iteration):
//   items_per_second        script steps per wall-clock second (incl. the run's reset)
//   hit_rate                server feed reads answered from the cache / server feed reads
//   store_queries_per_read  store queries made while serving feed reads / server feed reads
//                           (robust's generation lookup counts: it is a store query)
//   round_trips_per_read    cache round trips while serving feed reads / server feed reads
//   reads                   judged fetches: views answered by the server or the browser's HTTP cache
//   stale_reads             such views with a stale-visible / stale-content / missing /
//                           filter- or range-violation finding on the server-cache or
//                           http-cache layer
//   stale_read_rate         stale_reads / reads
//   nines                   −log10(stale_read_rate); with no stale read, log10(reads), a lower
//                           bound (nines_lower_bound = 1): R clean reads only show rate < ~1/R
//   ideal_hit_rate          the hit rate of a perfect invalidator on the same history (same
//                           keys and TTL, unbounded, each entry valid until its content would
//                           change): the harness's own model, model/ideal.h
//   hit_rate_vs_ideal       hit_rate / ideal_hit_rate ("× ideal")
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>

#include "bench_env.h"
#include "targets/in_process/in_process_target.h"
#include "generate/step.h"
#include "model/ideal.h"
#include "model/oracle.h"
#include "run/runner.h"
#include "generate/script.h"

namespace bench {
namespace {

namespace cc = cachecheck;
using cc::Date;
using cc::Script;
using cc::Step;
using cc::UserId;

constexpr int kUsers = 12;
constexpr int kItems = 150;
constexpr double kZipfS = 1.1;
constexpr int kWritePcts[] = {1, 5, 20};

struct LiveItem {
  std::string ref;  // UUID or "$created:N"
  UserId owner = 0;
  std::vector<UserId> assignees;
  Date start, due;
  bool involves(UserId u) const {
    return owner == u || std::find(assignees.begin(), assignees.end(), u) != assignees.end();
  }
};

class Generator {
 public:
  Generator(int write_pct, int steps, std::uint64_t seed)
      : write_pct_(write_pct), steps_(steps), rng_(seed) {
    auto w = zipf_weights();
    zipf_ = std::discrete_distribution<int>(w.begin(), w.end());
  }

  Script make() {
    Script s;
    for (const auto& u : bench_users(kUsers)) s.setup.users.push_back({u.id, u.username, u.password});
    s.setup.visibility = cc::Visibility::global;
    s.setup.start_time = bench_now();
    const Date first = Date::from_ymd(2025, 8, 15), last = Date::from_ymd(2026, 2, 10);
    for (int n = 1; n <= kItems; ++n) {
      cc::Item item;
      item.id = bench_uuid(0x3a1e0000u, static_cast<std::uint64_t>(n));
      item.title = "Item " + std::to_string(n);
      item.work_type = std::string(pick(cc::kWorkTypes));
      item.status = std::string(pick(cc::kStatuses));
      item.start_date = first.plus_days(uniform(0, last.days() - first.days()));
      item.due_date = item.start_date.plus_days(uniform(0, 9));
      item.owner_id = user();
      for (int a = uniform(0, 2); a > 0; --a) {
        UserId u = uniform(1, kUsers);
        if (u != item.owner_id && !item.involves(u)) item.assignee_ids.push_back(u);
      }
      item.is_calendar_visible = uniform(0, 19) != 0;
      live_.push_back({item.id, item.owner_id, item.assignee_ids, item.start_date, item.due_date});
      s.setup.items.push_back(std::move(item));
    }
    static const int kOffsets[] = {0, 480, -300, 330, 60, -420};
    for (UserId u = 1; u <= kUsers; ++u) {
      cc::TabSetup setup{cc::ClientModel::fullcalendar_month, 1,
                         kOffsets[static_cast<std::size_t>(u) % std::size(kOffsets)], today()};
      s.steps.push_back(cc::Open{u, tab(u), setup, std::nullopt, std::nullopt});
      month_[u] = 0;
    }
    for (int i = 0; i < steps_; ++i) {
      if (i % 10 == 9) {
        s.steps.push_back(cc::Advance{static_cast<double>(uniform(10, 50))});
      }
      UserId u = user();
      s.steps.push_back(uniform(0, 99) < write_pct_ ? write(u) : read(u));
    }
    return s;
  }

 private:
  static std::vector<double> zipf_weights() {
    std::vector<double> w;
    for (int r = 1; r <= kUsers; ++r) w.push_back(1.0 / std::pow(r, kZipfS));
    return w;
  }
  int uniform(std::int64_t lo, std::int64_t hi) {
    return static_cast<int>(lo + static_cast<std::int64_t>(rng_() % static_cast<std::uint64_t>(hi - lo + 1)));
  }
  template <class T, std::size_t N>
  const T& pick(const T (&a)[N]) {
    return a[rng_() % N];
  }
  UserId user() { return 1 + static_cast<UserId>(zipf_(rng_)); }
  static std::string tab(UserId u) { return "user" + std::to_string(u) + "-1"; }
  static Date today() { return cc::date_of(bench_now()); }

  Step read(UserId u) {
    int r = uniform(0, 99);
    if (r < 45) {  // prev / next, within September 2025 … January 2026
      int delta = uniform(0, 1) ? 1 : -1;
      if (month_[u] + delta < -1 || month_[u] + delta > 3) delta = -delta;
      month_[u] += delta;
      return cc::Navigate{u, tab(u), delta};
    }
    if (r < 80) return cc::Refresh{u, tab(u)};
    if (r < 90) {
      static const char* kTypes[] = {nullptr, nullptr, "task", "project", "activity"};
      cc::Filter f{u, tab(u), std::nullopt, std::nullopt};
      if (const char* t = pick(kTypes)) f.type = t;
      return f;
    }
    if (r < 95 || live_.empty()) return cc::HardRefresh{u, tab(u)};
    return cc::Click{u, tab(u), live_[rng_() % live_.size()].ref};
  }

  Step write(UserId u) {
    std::vector<std::size_t> mine;
    for (std::size_t i = 0; i < live_.size(); ++i)
      if (live_[i].involves(u)) mine.push_back(i);
    int kind = uniform(0, 99);
    if (mine.empty() || kind >= 70) return create(u);
    LiveItem& item = live_[mine[rng_() % mine.size()]];
    if (kind < 40) {
      cc::Edit s{u, item.ref, {}};
      switch (uniform(0, 2)) {
        case 0: s.fields = {{"title", "Edited " + std::to_string(++edits_)}}; break;
        case 1: s.fields = {{"status", std::string(pick(cc::kStatuses))}}; break;
        default: {
          int shift = uniform(-10, 10);
          item.start = item.start.plus_days(shift);
          item.due = item.due.plus_days(shift);
          s.fields = {{"start_date", item.start.iso()}, {"due_date", item.due.iso()}};
        }
      }
      return s;
    }
    cc::Delete s{u, tab(u), item.ref};
    live_.erase(live_.begin() + static_cast<std::ptrdiff_t>(&item - live_.data()));
    return s;
  }

  Step create(UserId u) {
    Date start = today().plus_days(uniform(-40, 100));
    Date due = start.plus_days(uniform(0, 7));
    cc::Create s{u, {}};
    s.fields = {{"title", "New " + std::to_string(created_ + 1)},
                {"work_type", std::string(pick(cc::kWorkTypes))},
                {"status", "not_started"},
                {"start_date", start.iso()},
                {"due_date", due.iso()},
                {"owner_id", u},
                {"assignee_ids", nlohmann::json::array()},
                {"is_calendar_visible", true}};
    live_.push_back({"$created:" + std::to_string(++created_), u, {}, start, due});
    return s;
  }

  int write_pct_, steps_;
  std::mt19937_64 rng_;
  std::discrete_distribution<int> zipf_;
  std::vector<LiveItem> live_;
  std::map<UserId, int> month_;
  int created_ = 0, edits_ = 0;
};

const Script& script_for(int write_pct, int steps) {
  static std::mutex mutex;
  static std::map<std::pair<int, int>, std::unique_ptr<Script>> scripts;
  std::lock_guard lock(mutex);
  auto& slot = scripts[{write_pct, steps}];
  if (!slot) {
    slot = std::make_unique<Script>(Generator(write_pct, steps, 0xbe7c4 + static_cast<unsigned>(write_pct)).make());
    if (auto problem = cc::validate(*slot); !problem.empty())
      throw std::logic_error("mixed workload script: " + problem);
  }
  return *slot;
}

void mixed(benchmark::State& state, const std::string& strategy, const std::string& backend, int write_pct,
           int steps) {
  auto spec = backend_spec(state, backend);
  if (!spec) return;
  const Script& script = script_for(write_pct, steps);
  cc::TargetConfig config;
  config.strategy = strategy;
  config.backend = *spec;
  config.start_time = script.setup.start_time;
  std::unique_ptr<cc::InProcessTarget> target;
  try {
    target = std::make_unique<cc::InProcessTarget>(config);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }

  cc::RunOutput last;
  std::uint64_t played = 0;
  const auto t0 = WallClock::now();
  for (auto _ : state) {
    try {
      last = cc::run_script(*target, script, cc::RunOptions{1, {}});
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      break;
    }
    played += script.steps.size();
  }
  const double wall = seconds_since(t0);
  if (state.error_occurred()) return;

  // Judge the last run (outside the timed loop).
  const cc::Verdict verdict = cc::judge(last.history);
  std::set<std::size_t> stale_views;
  for (const auto& v : verdict.violations) {
    if (v.kind == cc::kDangling || v.kind == cc::kBoundExceeded) continue;
    if (v.layer != cc::Layer::server_cache && v.layer != cc::Layer::http_cache) continue;
    stale_views.insert(v.op_index);
  }
  // What serving the feed cost, from the probe counters each read carries.
  std::uint64_t reads = 0, server_reads = 0, hits = 0, store_queries = 0, round_trips = 0;
  for (const auto& op : last.history.ops) {
    if (op.kind != cc::OpKind::view || !op.layer || *op.layer == cc::Layer::client_store) continue;
    if (op.status == 200 || *op.layer == cc::Layer::http_cache) ++reads;
    if (!op.probe) continue;
    ++server_reads;
    hits += *op.layer == cc::Layer::server_cache;
    store_queries += op.probe->store_queries;
    round_trips += op.probe->round_trips;
  }
  const double stale_rate = reads == 0 ? 0.0 : static_cast<double>(stale_views.size()) / static_cast<double>(reads);
  const bool bound = stale_views.empty();
  const double nines = bound ? (reads > 0 ? std::log10(static_cast<double>(reads)) : 0.0) : -std::log10(stale_rate);
  const double per_read = static_cast<double>(std::max<std::uint64_t>(server_reads, 1));
  const double hit_rate = static_cast<double>(hits) / per_read;
  const double ideal = cc::ideal_hits(last.history, config.ttl_s).rate();

  state.counters["items_per_second"] = wall > 0 ? static_cast<double>(played) / wall : 0.0;
  state.counters["hit_rate"] = hit_rate;
  state.counters["ideal_hit_rate"] = ideal;
  state.counters["hit_rate_vs_ideal"] = ideal > 0 ? hit_rate / ideal : 0.0;
  state.counters["store_queries_per_read"] = static_cast<double>(store_queries) / per_read;
  state.counters["round_trips_per_read"] = static_cast<double>(round_trips) / per_read;
  state.counters["reads"] = static_cast<double>(reads);
  state.counters["stale_reads"] = static_cast<double>(stale_views.size());
  state.counters["stale_read_rate"] = stale_rate;
  state.counters["nines"] = nines;
  state.counters["nines_lower_bound"] = bound ? 1.0 : 0.0;
  state.counters["steps"] = static_cast<double>(script.steps.size());
  state.SetLabel(std::to_string(kUsers) + " Zipf users, FullCalendar month view, " + std::to_string(write_pct) +
                 "% writes, " + std::to_string(script.steps.size()) + " steps");
}

}  // namespace

void register_mixed_benchmarks(const Selection& sel) {
  for (const auto& backend : sel.backends())
    for (const auto& s : cc::reference_strategies())
      for (int pct : kWritePcts) {
        const int steps = sel.mixed_steps;
        benchmark::RegisterBenchmark(("mixed/" + s + "/" + backend + "/" + std::to_string(pct) + "pct").c_str(),
                                     [s, backend, pct, steps](benchmark::State& st) { mixed(st, s, backend, pct, steps); })
            ->Unit(benchmark::kMillisecond);
      }
}

}  // namespace bench
