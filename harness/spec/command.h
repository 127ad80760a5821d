// Running a spec's command hook: `/bin/sh -c COMMAND` in its own process group,
// with extra environment variables, its output captured, and a timeout after
// which the whole group is killed.
#pragma once

#include <map>
#include <string>

namespace cachecheck::spec {

struct CommandResult {
  int exit_code = -1;   // the command's exit status (-1: it did not exit by itself)
  bool timed_out = false;
  std::string output;   // stdout and stderr, the last 2000 bytes
  std::string error;    // why it could not run at all ("" when it ran)
  bool ok() const { return error.empty() && !timed_out && exit_code == 0; }
  std::string describe() const;  // one line: "exit 3: <output's last line>", "timed out after 5 s", …
};

CommandResult run_command(const std::string& command, const std::map<std::string, std::string>& env,
                          double timeout_s);

}  // namespace cachecheck::spec
