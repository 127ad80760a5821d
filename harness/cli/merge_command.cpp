// `cachecheck merge DIR… [--out DIR]`: the outputs of `run --shard K/N` (one folder
// per shard, e.g. one per CI machine) back together as one run: the same
// results.json an unsharded run writes (timings aside), its counterexamples and
// reports. Every shard of the same N must be there once, made with the same settings.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "commands.h"
#include "run/results.h"

namespace cachecheck::cli {
namespace {

namespace fs = std::filesystem;

struct Part {
  fs::path dir;
  RunResults results;
};

Part load_part(const std::string& given) {
  fs::path dir = given;
  fs::path file = dir / "results.json";
  if (fs::is_regular_file(dir)) {  // a results.json named directly
    file = dir;
    dir = dir.parent_path();
  }
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string() + " (a folder written by `cachecheck run --shard K/N`)");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) throw std::runtime_error(file.string() + " is not valid JSON");
  Part p{dir, results_from_json(j)};
  if (!p.results.shard) throw std::runtime_error(file.string() + " is not a shard's results (made without --shard K/N)");
  if (p.results.interrupted)
    throw std::runtime_error(file.string() + ": shard " + to_string(*p.results.shard) + " was interrupted; run it again");
  return p;
}

// What must agree between shards for their cells to form one matrix ("" when all do).
std::string settings_difference(const RunResults& a, const RunResults& b) {
  std::ostringstream why;
  if (a.version != b.version) why << "version " << a.version << " vs " << b.version;
  else if (a.seed != b.seed) why << "seed " << a.seed << " vs " << b.seed;
  else if (a.target != b.target) why << "target " << a.target << " vs " << b.target;
  else if (a.backend != b.backend) why << "backend " << a.backend << " vs " << b.backend;
  else if (a.cases != b.cases) why << "cases " << a.cases << " vs " << b.cases;
  else if (a.workers != b.workers) why << "workers " << a.workers << " vs " << b.workers;
  else if (a.http_cache != b.http_cache) why << "http-cache " << a.http_cache << " vs " << b.http_cache;
  else if (a.layers != b.layers) why << "layers " << a.layers << " vs " << b.layers;
  else if (a.shard->count != b.shard->count) why << "shard counts " << a.shard->count << " vs " << b.shard->count;
  return why.str();
}

int merge(const MergeArgs& a) {
  if (a.dirs.empty()) throw std::runtime_error("give the shards' folders: cachecheck merge DIR… [--out DIR]");
  std::vector<Part> parts;
  for (auto& d : a.dirs) parts.push_back(load_part(d));
  const int n = parts.front().results.shard->count;
  std::map<int, const Part*> by_index;
  for (auto& p : parts) {
    if (auto why = settings_difference(parts.front().results, p.results); !why.empty())
      throw std::runtime_error(p.dir.string() + " was made with other settings than " + parts.front().dir.string() +
                               " (" + why + ")");
    if (!by_index.emplace(p.results.shard->index, &p).second)
      throw std::runtime_error("shard " + to_string(*p.results.shard) + " is given twice (" +
                               by_index[p.results.shard->index]->dir.string() + ", " + p.dir.string() + ")");
  }
  std::string missing;
  for (int k = 1; k <= n; ++k)
    if (!by_index.count(k)) missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(n);
  if (!missing.empty()) throw std::runtime_error("missing shard(s) " + missing + ": every shard of " + std::to_string(n) + " is needed");

  // Cell position p was dealt to shard p % N + 1, as its (p / N)-th cell.
  RunResults merged = parts.front().results;
  merged.shard.reset();
  merged.runs.clear();
  merged.elapsed_s = 0;
  merged.ops_checked = 0;
  std::size_t total = 0;
  for (auto& [k, p] : by_index) {
    total += p->results.runs.size();
    merged.elapsed_s += p->results.elapsed_s;
    merged.ops_checked += p->results.ops_checked;
  }
  for (std::size_t pos = 0; pos < total; ++pos) {
    const Part* p = by_index.at(static_cast<int>(pos % static_cast<std::size_t>(n)) + 1);
    const std::size_t row = pos / static_cast<std::size_t>(n);
    if (row >= p->results.runs.size())
      throw std::runtime_error(p->dir.string() + ": shard " + to_string(*p->results.shard) + " has " +
                               std::to_string(p->results.runs.size()) + " cell(s), fewer than its slice of " +
                               std::to_string(total) + " (were the shards run with the same --strategies/--scenarios?)");
    merged.runs.push_back(p->results.runs[row]);
  }

  // The counterexamples, then results.json and the reports (results.json last names them).
  fs::create_directories(a.out);
  const fs::path examples = fs::path(a.out) / "counterexamples";
  for (auto& p : parts)
    if (fs::weakly_canonical(p.dir) == fs::weakly_canonical(a.out))
      throw std::runtime_error("--out " + a.out + " is one of the shards' folders: merge into another one");
  fs::remove_all(examples);
  for (auto& cell : merged.runs) {
    if (!cell.counterexample) continue;
    const Part* p = nullptr;
    for (auto& part : parts)
      if (fs::exists(part.dir / *cell.counterexample)) p = &part;
    if (!p) throw std::runtime_error("the counterexample " + *cell.counterexample + " named by a shard is not in its folder");
    const fs::path from = p->dir / *cell.counterexample;
    fs::create_directories(examples);
    fs::copy_file(from, fs::path(a.out) / *cell.counterexample, fs::copy_options::overwrite_existing);
    fs::path script = from;
    script.replace_extension(".sh");
    if (fs::exists(script))
      fs::copy_file(script, examples / script.filename(), fs::copy_options::overwrite_existing);
  }
  std::cerr << "cachecheck merge: " << n << " shard(s), " << merged.runs.size() << " cell(s)\n";
  return publish_results(merged, a.out) ? 1 : 0;
}

}  // namespace

void add_merge_command(CLI::App& app, MergeArgs& a) {
  auto* cmd = app.add_subcommand(
      "merge",
      "Put the folders of `cachecheck run --shard K/N` (K = 1…N) back together as one run: results.json, "
      "counterexamples and reports as an unsharded run writes them (timings aside). Exit 0 when every verdict "
      "equals its expectation, 1 when one differs, 2 when the shards do not fit together");
  cmd->add_option("dirs", a.dirs, "The shards' output folders (or their results.json)")->required();
  cmd->add_option("--out", a.out, "Output directory (default reports/out)");
  cmd->callback([&a] { run_verb("merge", [&a] { return merge(a); }); });
}

}  // namespace cachecheck::cli
