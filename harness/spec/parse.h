// Reading a target spec file (YAML via yaml-cpp; JSON is YAML too) into a
// TargetSpec. Every problem is reported, each as one line naming the file, the
// line and the key ("targets/app.yaml:12: feed.params.strat: unknown key (known:
// start, end, type, status)"): unknown keys, missing or mistyped fields, templates
// naming unknown variables, unset environment variables, contradictions between
// sections. Never throws for a bad spec; a spec with a problem is not returned.
//
// Scalars may use the environment: "${NAME}" or "${NAME:-default}" anywhere in a
// string (a port chosen at run time: base_url: http://127.0.0.1:${APP_PORT}).
// The keys are documented in targets/README.md.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "spec/target_spec.h"

namespace cachecheck::spec {

struct Problem {
  Where where;
  std::string message;  // "<key path>: <reason>"
  std::string text() const { return where.text() + ": " + message; }
};

struct ParseResult {
  std::optional<TargetSpec> spec;  // set only when there is no problem
  std::vector<Problem> problems;
};

using Environment = std::function<std::optional<std::string>(const std::string& name)>;
// The process environment.
std::optional<std::string> process_env(const std::string& name);

ParseResult parse_spec_text(const std::string& text, const std::string& file, const Environment& env = process_env);
ParseResult parse_spec_file(const std::string& path, const Environment& env = process_env);

// Does `target` name a spec file (ends .yaml, .yml or .json)?
bool looks_like_spec_file(const std::string& target);

// The variables each template may use, by its place (for the README and errors).
const std::vector<std::string>& item_write_variables();

}  // namespace cachecheck::spec
