// `cachecheck replay FILE`: re-runs a saved counterexample and narrates it.
#include <iostream>

#include <algorithm>

#include "commands.h"
#include "reproduce/counterexample.h"

namespace cachecheck::cli {
namespace {

int replay_file(const ReplayArgs& a) {
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
  cmd->callback([&a] { run_verb("replay", [&a] { return replay_file(a); }); });
}

}  // namespace cachecheck::cli
