// `cachecheck replay FILE`: re-runs a saved counterexample and narrates it.
// With --browser (issue 13) the same steps then run in headless Chromium with real FullCalendar
// (tests/browser/replay.js) against a calendar-server, a screenshot per step.
#include <unistd.h>

#include <iostream>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "browser/fullcalendar.h"
#include "commands.h"
#include "reproduce/counterexample.h"

namespace cachecheck::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// The IANA zone of a tab's browser: its own, or the Etc/GMT zone of its fixed offset.
std::string browser_zone(const TabSetup& t, const std::string& tab) {
  if (!t.time_zone.empty()) return t.time_zone;
  if (t.utc_offset_min == 0) return "UTC";
  int h = t.utc_offset_min / 60;
  if (t.utc_offset_min % 60 != 0 || h < -12 || h > 14)
    throw std::runtime_error("tab " + tab + ": a fixed offset of " + format_utc_offset(t.utc_offset_min) +
                             " has no Etc/GMT zone for the browser; give the tab a \"time_zone\"");
  return "Etc/GMT" + std::string(h > 0 ? "-" : "+") + std::to_string(std::abs(h));  // POSIX signs are inverted
}

void collect_tabs(const std::vector<Step>& steps, json& tabs) {
  for (const Step& step : steps) {
    if (const auto* open = std::get_if<Open>(&step)) {
      auto view = fc_view_of(open->setup.model);
      tabs[open->tab] = {{"view", view ? std::string(to_string(*view)) : std::string("dayGridMonth")},
                         {"model", std::string(to_string(open->setup.model))},
                         {"browser_time_zone", browser_zone(open->setup, open->tab)}};
    } else if (const auto* group = std::get_if<Concurrent>(&step)) {
      collect_tabs(group->group, tabs);
    }
  }
}

// The calendar-server the browser talks to: the --target's, or one started like the in-process
// target the counterexample names (replay.js starts it on a free port and stops it).
json server_of(const ReplayArgs& a, const Counterexample& c) {
  if (a.target.rfind("http://", 0) == 0) return {{"url", a.target}};
  fs::path bin = fs::read_symlink("/proc/self/exe").parent_path() / "calendar-server";
  if (!fs::exists(bin)) throw std::runtime_error(bin.string() + " not found (build the calendar-server target)");
  std::vector<std::string> args{"--port", "0", "--admin", "--clock", "manual",
                                "--now", format_instant(c.script.setup.start_time),
                                "--strategy", c.config.strategy, "--cache", c.config.backend,
                                "--workers", std::to_string(c.config.workers),
                                "--cache-capacity", std::to_string(c.config.cache_capacity),
                                "--ttl", std::to_string(c.config.ttl_s), "--http-cache", c.config.http_cache,
                                "--visibility", std::string(to_string(c.script.setup.visibility))};
  return {{"binary", bin.string()}, {"args", args}};
}

int replay_in_browser(const ReplayArgs& a, const Counterexample& c, const ReplayResult& r, int code) {
  const char* env = std::getenv("CACHECHECK_BROWSER_DIR");
  fs::path dir = env ? fs::path(env) : fs::path(CACHECHECK_SOURCE_DIR) / "tests/browser";
  if (!fs::exists(dir / "replay.js")) throw std::runtime_error((dir / "replay.js").string() + " not found");
  fs::path out = fs::absolute(a.out);
  fs::create_directories(out);
  json tabs = json::object();
  collect_tabs(c.script.steps, tabs);
  json plan{{"file", a.file},
            {"counterexample", to_json(c)},
            {"tabs", tabs},
            {"timeline", r.timeline},
            {"exit_code", code},
            {"violation", r.shown ? json{{"kind", to_string(r.shown->kind)}, {"item", r.shown->item_id},
                                         {"tab", r.shown->tab}, {"layer", to_string(r.shown->layer)}}
                                  : json(nullptr)},
            {"server", server_of(a, c)},
            {"out", out.string()}};
  fs::path plan_file = out / "plan.json";
  write_atomically(plan_file, plan.dump(1));
  std::cout << std::flush;
  std::string cmd = "timeout 900 node " + shell_quote((dir / "replay.js").string()) + " " + shell_quote(plan_file.string());
  int status = std::system(cmd.c_str());
  int node_code = status == -1 ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (node_code != 0)
    throw std::runtime_error("the browser replay failed (tests/browser/replay.js exit " + std::to_string(node_code) +
                             "; node, Chromium and its npm packages come from scripts/install-deps.sh)");
  std::cout << "browser replay: " << (out / "index.html").string() << "\n";
  return code;
}

// `seen` (when given) receives the counterexample and the replay's result.
int replay_file(const ReplayArgs& a,
                const std::function<void(const Counterexample&, const ReplayResult&)>& seen) {
  Counterexample c = load_counterexample(a.file);
  const TargetKind* kind = find_target_kind(a.target);
  if (!kind) throw std::runtime_error("unknown target '" + a.target + "' (in-process, http://HOST:PORT or a spec FILE.yaml)");
  if (!a.strategy.empty()) {
    auto known = kind->strategies ? kind->strategies() : std::vector<std::string>{};
    if (std::find(known.begin(), known.end(), a.strategy) == known.end())
      throw std::runtime_error("unknown strategy '" + a.strategy + "' for target " + a.target);
    c.strategy = c.config.strategy = a.strategy;
  }
  if (kind->check) kind->check(c.config);  // a Redis backend that is not there: exit 2, not a verdict
  auto target = make_target(a.target, c.config);
  std::cout << "Replaying " << c.strategy << " × " << c.scenario << " (seed " << c.seed << ") on " << target->describe()
            << ": " << c.script.steps.size() << " step(s), strategy " << c.config.strategy << ", backend "
            << c.config.backend << ", " << c.config.workers << " worker(s)\n";
  if (!target->capabilities().deterministic)
    std::cout << "(concurrent steps run on real threads here: their interleaving may differ from the saved one)\n";
  // A race may not show every time on real threads: --tries N replays it N times and says how often.
  int shown = 0;
  ReplayResult r, first_shown;
  for (int t = 0; t < a.tries; ++t) {
    r = replay(c, *target);
    if (r.shown && !shown++) first_shown = r;
  }
  if (shown) r = first_shown;
  for (auto& line : r.timeline) std::cout << "  " << line << "\n";
  if (seen) seen(c, r);
  if (a.tries > 1)
    std::cout << "reproduced in " << shown << " of " << a.tries << " tries\n";
  if (r.shown) {
    std::cout << "VIOLATION " << to_string(r.shown->kind) << ": item " << r.shown->item_id << ", user " << r.shown->user
              << (r.shown->tab.empty() ? "" : ", tab " + r.shown->tab) << ", layer " << to_string(r.shown->layer)
              << ", " << r.shown->staleness_s << " s stale\n";
    return 1;
  }
  std::cout << "no violation\n";
  return 0;
}

int replay_command(const ReplayArgs& a) {
  if (!a.browser) return replay_file(a, nullptr);
  if (a.target != "in-process" && a.target.rfind("http://", 0) != 0)
    throw std::runtime_error("--browser needs the in-process or an http:// target, not '" + a.target + "'");
  Counterexample c;
  ReplayResult r;
  int code = replay_file(a, [&](const Counterexample& cx, const ReplayResult& rx) { c = cx; r = rx; });
  return replay_in_browser(a, c, r, code);
}

}  // namespace

void add_replay_command(CLI::App& app, ReplayArgs& a) {
  auto* cmd = app.add_subcommand("replay", "Re-run a saved counterexample and narrate it step by step (exit 1 when "
                                           "the violation shows, 0 when not, 2 for a bad file or target)");
  cmd->add_option("FILE", a.file, "A counterexamples/<strategy>--<scenario>.json file")->required();
  cmd->add_option("--strategy", a.strategy, "Replay the same steps against another strategy (in-process target)");
  cmd->add_option("--target", a.target,
                  "in-process (default), http://HOST:PORT of a calendar-server --admin --clock manual, or a target "
                  "spec FILE.yaml");
  cmd->add_option("--tries", a.tries, "Replay N times and say in how many the violation showed (a race on real "
                                      "threads may not show every time; default 1)")
      ->check(CLI::Range(1, 10000));
  cmd->add_flag("--browser", a.browser,
               "Then replay the steps in headless Chromium with real FullCalendar 6 (tests/browser/replay.js) "
               "against a calendar-server (the http:// --target, or one started like the in-process target): a "
               "browser context per user, a page per tab, a screenshot per step and an HTML timeline of them in "
               "--out. The exit code stays the model's replay's");
  cmd->add_option("--out", a.out, "Where --browser writes its screenshots and index.html (default reports/out/browser)");
  cmd->callback([&a] { run_verb("replay", [&a] { return replay_command(a); }); });
}

}  // namespace cachecheck::cli
