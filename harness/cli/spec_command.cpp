// `cachecheck spec check FILE` and `cachecheck spec probe FILE`: a target spec,
// validated and summarised, then tried against the application step by step.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <random>
#include <sstream>

#include "browser/fullcalendar.h"
#include "commands.h"
#include "generate/scenario.h"
#include "spec/parse.h"
#include "spec/summary.h"
#include "targets/spec_target.h"

namespace cachecheck::cli {
namespace {

using nlohmann::json;

std::string number(double d) {
  std::ostringstream os;
  os << d;
  return os.str();
}

void print_capabilities(const Capabilities& c, std::ostream& out) {
  std::string faults;
  for (Fault f : c.faults) faults += (faults.empty() ? "" : ", ") + std::string(to_string(f));
  out << "capabilities:\n"
      << "  reset      " << (c.reset ? "yes (the reset hook)" : "no: the harness works in its own namespace (creates, maps and deletes its items)") << "\n"
      << "  clock      " << (c.manual_clock ? std::string("manual (the clock hook)")
                                            : "real: operations get real times; an advance waits at most " +
                                                  number(c.max_think_s) + " s")
      << "\n"
      << "  faults     " << (faults.empty() ? std::string("none") : faults) << "\n"
      << "  processes  " << (c.workers ? std::to_string(c.workers) : std::string("unknown")) << "\n"
      << "  probe      " << (c.probe ? "yes (the stats hook's counters)" : "no") << "\n"
      << "  strategy   " << (c.strategy.empty() ? std::string("(not declared)") : c.strategy) << "\n"
      << "  freshness  " << (c.staleness_bound_s ? number(*c.staleness_bound_s) + " s" : std::string("no bound declared"))
      << "\n";
  out << "scenarios:\n";
  for (const auto& name : scenario_names()) {
    std::string why = find_scenario(name)->unsupported_reason(c, false);
    out << "  " << (why.empty() ? "runs         " : "unsupported  ") << name << (why.empty() ? "" : ": " + why) << "\n";
  }
}

std::optional<spec::TargetSpec> load_or_report(const std::string& file) {
  auto parsed = spec::parse_spec_file(file);
  for (const auto& p : parsed.problems) std::cerr << p.text() << "\n";
  if (!parsed.spec)
    std::cerr << "cachecheck spec: " << parsed.problems.size() << " problem(s) in " << file << "\n";
  return std::move(parsed.spec);
}

int check(const std::string& file) {
  auto s = load_or_report(file);
  if (!s) return kUsageError;
  std::cout << file << ": a valid target spec for " << s->name << "\n";
  for (auto& line : spec::summary(*s)) std::cout << line << "\n";
  print_capabilities(SpecTarget::capabilities_of(*s, TargetConfig{}), std::cout);
  return 0;
}

// ---- probe --------------------------------------------------------------------

class Prober {
 public:
  explicit Prober(SpecTarget& t) : t_(t) {}

  // One step: ✓ with what it found, or ✗ with why.
  bool step(const std::string& what, bool ok, const std::string& detail) {
    std::cout << (ok ? "✓ " : "✗ ") << what << (detail.empty() ? "" : ": " + detail) << "\n";
    failures_ += ok ? 0 : 1;
    return ok;
  }
  int failures() const { return failures_; }

  std::string event_text(const ShownEvent& e) {
    return e.item_id + " '" + e.title + "' " + e.start.iso() + ".." + e.end.iso() +
           (e.work_type.empty() ? "" : " " + e.work_type) + (e.status.empty() ? "" : " " + e.status);
  }

  std::optional<std::vector<ShownEvent>> read_feed(const std::string& what, Date today, bool only_ours) {
    ViewRange r = view_range(ClientModel::fullcalendar_month, today, 1);
    FeedRequest req{feed_query_string(r, ClientModel::fullcalendar_month, 0), Query{r.start, r.end, {}, {}}};
    Response resp = t_.feed(1, req);
    std::string where = "(" + r.start.iso() + " to " + r.end.iso() + ", as " + t_.spec().users[0].username + ")";
    if (resp.status != 200) return step(what + " " + where, false, response_error(resp)), std::nullopt;
    try {
      auto events = t_.decode_events(resp.body, only_ours);
      std::string detail = std::to_string(events.size()) + " event(s)";
      for (std::size_t i = 0; i < events.size() && i < 3; ++i) detail += (i ? "; " : ": ") + event_text(events[i]);
      if (events.size() > 3) detail += "; …";
      step(what + " " + where, true, detail);
      return events;
    } catch (const DecodeError& e) {
      step(what + " " + where, false, e.what());
      return std::nullopt;
    }
  }

  void writes(Date today) {
    std::random_device rd;
    std::string title = "cachecheck probe " + std::to_string(rd() % 1000000);
    json fields{{"title", title},          {"work_type", "task"},        {"status", "not_started"},
                {"start_date", today.iso()}, {"due_date", today.plus_days(1).iso()}, {"assignee_ids", json::array()}};
    Response c = t_.create(1, fields);
    Item item;
    try {
      if (!is_ok(c)) return (void)step("create a probe item '" + title + "'", false, response_error(c));
      item = t_.decode_item(c);
      step("create a probe item '" + title + "'", item.title == title,
           "id " + item.id + (item.title == title ? "" : ", but its title reads back as '" + item.title + "'"));
    } catch (const DecodeError& e) {
      return (void)step("create a probe item '" + title + "'", false, e.what());
    }
    Response d = t_.detail(1, item.id);
    step("its detail answers " + std::to_string(d.status), d.status >= 200 && d.status < 300,
         d.status >= 200 && d.status < 300 ? "" : "expected a 2xx: " + response_error(d));
    if (auto events = read_feed("read the feed again", today, false)) {
      bool shown = false;
      for (auto& e : *events) shown = shown || e.item_id == item.id;
      std::cout << "  (the feed " << (shown ? "shows" : "does not show") << " the probe item"
                << (shown ? "" : ": a cache may still hold the earlier answer") << ")\n";
    }
    std::string renamed = title + " (edited)";
    Response e = t_.edit(1, item.id, json{{"title", renamed}});
    try {
      if (!is_ok(e)) step("edit its title", false, response_error(e));
      else {
        Item edited = t_.decode_item(e);
        step("edit its title", edited.title == renamed, "reads back '" + edited.title + "'");
      }
    } catch (const DecodeError& x) {
      step("edit its title", false, x.what());
    }
    Response r = t_.remove(1, item.id);
    try {
      if (!is_ok(r)) step("delete it", false, response_error(r));
      else {
        auto ids = t_.decode_deleted(r);
        bool listed = std::find(ids.begin(), ids.end(), item.id) != ids.end();
        step("delete it", listed, listed ? "" : "the delete did not report the item among " + json(ids).dump());
      }
    } catch (const DecodeError& x) {
      step("delete it", false, x.what());
    }
    Response g = t_.detail(1, item.id);
    step("its detail answers 404 (the ground truth: gone)", g.status == 404,
         g.status == 404 ? "" : "it answered " + (g.status ? std::to_string(g.status) : response_error(g)));
  }

 private:
  static bool is_ok(const Response& r) { return r.status >= 200 && r.status < 300; }
  SpecTarget& t_;
  int failures_ = 0;
};

int probe(const std::string& file) {
  auto s = load_or_report(file);
  if (!s) return kUsageError;
  std::cout << "probing " << s->name << " (" << file << ")\n";
  SpecTarget target(std::move(*s), TargetConfig{});
  Prober p(target);
  const TimeMs now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  if (target.capabilities().reset) {  // its users may exist only after a reset: to the spec's users, no items
    Fixture empty;
    for (std::size_t i = 0; i < target.spec().users.size(); ++i)
      empty.users.push_back({static_cast<UserId>(i + 1), target.spec().users[i].username, target.spec().users[i].password});
    empty.start_time = now_ms;
    try {
      target.reset(empty);
      p.step("reset to the spec's users and no items (the reset hook)", true, "");
    } catch (const TargetError& e) {
      p.step("reset to the spec's users and no items (the reset hook)", false, e.what());
      if (std::string(e.what()).rfind("cannot reach", 0) == 0) {
        std::cerr << "cachecheck spec probe: " << target.spec().name << " cannot be reached\n";
        return kUsageError;
      }
      return 1;
    }
  }
  auto errors = target.log_in_users();
  bool reached = false;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    p.step("log in as " + target.spec().users[i].username, errors[i].empty(), errors[i]);
    reached = reached || errors[i].empty() || errors[i].rfind("cannot reach", 0) != 0;
  }
  if (!reached) {
    std::cerr << "cachecheck spec probe: " << target.spec().name << " cannot be reached\n";
    return kUsageError;
  }
  if (!errors[0].empty()) return 1;
  Date today = date_of(target.capabilities().manual_clock ? target.now() : now_ms);
  p.read_feed("read the feed", today, false);
  p.writes(today);
  std::size_t left = target.clean_up();
  if (left) p.step("clean up", false, std::to_string(left) + " item(s) could not be deleted");
  print_capabilities(target.capabilities(), std::cout);
  std::cout << (p.failures() ? std::to_string(p.failures()) + " step(s) failed" : std::string("every step worked")) << "\n";
  return p.failures() ? 1 : 0;
}

}  // namespace

void add_spec_command(CLI::App& app, SpecArgs& a) {
  auto* cmd = app.add_subcommand("spec", "Target specs: check one, or probe the application it describes");
  cmd->require_subcommand(1);
  auto* chk = cmd->add_subcommand("check", "Validate a target spec and say what it gives (exit 0 valid, 2 not)");
  chk->add_option("FILE", a.file, "A target spec (YAML or JSON)")->required();
  chk->callback([&a] { run_verb("spec check", [&a] { return check(a.file); }); });
  auto* prb = cmd->add_subcommand("probe", "Log in, read the feed, write and delete one probe item, check the ground "
                                           "truth (exit 0 all worked, 1 a step failed, 2 bad spec or unreachable)");
  prb->add_option("FILE", a.file, "A target spec (YAML or JSON)")->required();
  prb->callback([&a] { run_verb("spec probe", [&a] { return probe(a.file); }); });
}

}  // namespace cachecheck::cli
