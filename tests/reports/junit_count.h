// junit.xml as a real JUnit consumer reads it: junitparser (Debian
// python3-junitparser) through junit_count.py beside this file.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>

namespace cachecheck::testing {

// "cases failures declared_tests declared_failures", or junitparser's error.
inline std::string junit_counts(const std::filesystem::path& file) {
  const std::string cmd = "/usr/bin/python3 " +
                          (std::filesystem::path(CACHECHECK_SOURCE_DIR) / "tests/reports/junit_count.py").string() +
                          " " + file.string() + " 2>&1";
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace cachecheck::testing
