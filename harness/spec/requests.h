// The requests a target spec describes, rendered from its templates: one place
// for what the spec target (targets/spec_target.h) sends and what the curl
// script of its counterexamples (reproduce/spec_curl_script.h) writes.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "spec/target_spec.h"
#include "targets/http_pool.h"
#include "targets/target.h"

namespace cachecheck::spec {

// One request from `rs` with `vars` (path segments percent-encoded, the body as
// JSON, a form or text); `query` is appended to the path.
HttpRequest build_request(const RequestSpec& rs, const Vars& vars, const std::string& query = "");

// The feed's query string for `request`, in the spec's parameter names and date
// formats (FullCalendar's own bounds when the spec says `dates: fullcalendar`).
// nullopt, with `error`, when the spec gives no parameter for a filter it needs.
std::optional<std::string> feed_query(const TargetSpec& s, const FeedRequest& request, std::string& error);

// A domain value (a kind, a status) in the application's words, and back.
std::string theirs(const std::map<std::string, std::string>& values, const std::string& ours);
std::string ours(const std::map<std::string, std::string>& values, const std::string& theirs);

// How harness ids and users become the application's in a write's variables.
struct WriteMapping {
  std::string title_tag;                                      // prefixes every title ("" : none)
  std::function<nlohmann::json(const std::string& id)> item;  // a harness item id → the application's
  std::function<nlohmann::json(UserId user)> user;            // a harness user → the application's id
};
// The variables of a create or edit from the contract's `fields`.
Vars write_vars(const TargetSpec& s, const nlohmann::json& fields, const WriteMapping& map);

}  // namespace cachecheck::spec
