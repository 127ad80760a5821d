// Where a cell's counterexample, replay command and curl script live, spelled
// under the results file's directory (results.json holds them relative to it).
#include "cachecheck_reports/render.h"

#include <filesystem>

namespace cachecheck::reports::detail {

std::string counterexample_path(const Cell& c, const std::string& results_dir) {
  if (!c.counterexample || c.counterexample->empty()) return "";
  std::filesystem::path p(*c.counterexample);
  if (p.is_absolute() || results_dir.empty()) return p.generic_string();
  return (std::filesystem::path(results_dir) / p).lexically_normal().generic_string();
}

std::string replay_command(const Cell& c, const std::string& results_dir) {
  auto path = counterexample_path(c, results_dir);
  return path.empty() ? "" : "cachecheck replay " + path;
}

std::string curl_script_path(const Cell& c, const std::string& results_dir) {
  auto path = counterexample_path(c, results_dir);
  if (path.empty()) return "";
  return std::filesystem::path(path).replace_extension(".sh").generic_string();
}

}  // namespace cachecheck::reports::detail
