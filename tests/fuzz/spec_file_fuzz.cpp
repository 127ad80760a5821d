// The target-spec parser (harness/spec/parse.h): any text, YAML or JSON. Finds
// crashes, sanitizer reports, exceptions (a bad spec is reported, never thrown),
// and a result that is neither a spec nor at least one one-line problem naming the file.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "spec/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // A fixed environment: ${APP_PORT} is set, every other variable is not.
  auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "APP_PORT") return "8080";
    return std::nullopt;
  };
  cachecheck::spec::ParseResult r;
  try {
    r = cachecheck::spec::parse_spec_text(text, "fuzz.yaml", env);
  } catch (...) {
    __builtin_trap();  // a bad spec is a list of problems, never an exception
  }
  if (r.spec.has_value() == !r.problems.empty()) __builtin_trap();
  for (const auto& p : r.problems)
    if (p.text().rfind("fuzz.yaml", 0) != 0 || p.message.empty() || p.text().find('\n') != std::string::npos)
      __builtin_trap();  // each problem is one line that names the file
  return 0;
}
