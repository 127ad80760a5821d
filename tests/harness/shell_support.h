// Running the project's programs from a test as a user would from a shell: the
// command's exit code and its output (stdout and stderr together).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace harnesstest {

struct ShellResult {
  int code;
  std::string out;
};

inline ShellResult sh(const std::string& cmd) {
  std::array<char, 4096> buf{};
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  while (p && fgets(buf.data(), buf.size(), p)) out += buf.data();
  int status = p ? pclose(p) : -1;
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// A program built beside the test binary (build/bin/NAME).
inline std::string bin(const std::string& name) {
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path() / name).string();
}

// "…/cachecheck " (with the trailing space, for building command lines).
inline std::string cachecheck() { return bin("cachecheck") + " "; }

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace harnesstest
