// JSON responses of the HTTP layer: every error is {"error": "<message>"}.
#pragma once

#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace calendar::http {

inline constexpr const char* kJsonType = "application/json";

// JSON text; invalid UTF-8 from bad input is replaced, never thrown on.
std::string dump(const nlohmann::json& j);
// {"error": message} as JSON text.
std::string error_body(const std::string& message);
void send_json(httplib::Response& res, int status, const nlohmann::json& body);
void send_error(httplib::Response& res, int status, const std::string& message);
// The message of an error httplib answers by itself (bad request line, 414, …).
std::string default_error_message(int status);

}  // namespace calendar::http
