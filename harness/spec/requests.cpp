// Requests rendered from a target spec (see requests.h).
#include "spec/requests.h"

#include <algorithm>
#include <cctype>
#include <tuple>
#include <vector>

#include "browser/fullcalendar.h"
#include "browser/query_string.h"

namespace cachecheck::spec {
namespace {

using nlohmann::json;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

HttpRequest build_request(const RequestSpec& rs, const Vars& vars, const std::string& query) {
  HttpRequest h;
  h.method = rs.method;
  h.target = render_text(rs.path.value.get<std::string>(), vars,
                         [](const std::string& s) { return percent_encode_segment(s); });
  if (!query.empty()) h.target += (h.target.find('?') == std::string::npos ? "?" : "&") + query;
  switch (rs.body_kind) {
    case BodyKind::none: break;
    case BodyKind::json:
      h.body = render(rs.body.value, vars).dump();
      h.content_type = "application/json";
      break;
    case BodyKind::form: {
      json fields = render(rs.body.value, vars);
      for (auto& [k, v] : fields.items())
        for (const json& one : v.is_array() ? v : json::array({v})) {
          if (!h.body.empty()) h.body += '&';
          h.body += form_urlencode(k) + "=" + form_urlencode(text_of(one));
        }
      h.content_type = "application/x-www-form-urlencoded";
      break;
    }
    case BodyKind::text:
      h.body = render_text(rs.body.value.get<std::string>(), vars);
      h.content_type = "text/plain";
      break;
  }
  for (auto& [name, tmpl] : rs.headers) {
    if (lower(name) == "content-type") h.content_type.clear();
    h.headers.emplace_back(name, render_text(tmpl.value.get<std::string>(), vars));
  }
  return h;
}

std::string theirs(const std::map<std::string, std::string>& values, const std::string& ours_name) {
  auto it = values.find(ours_name);
  return it == values.end() ? ours_name : it->second;
}

std::string ours(const std::map<std::string, std::string>& values, const std::string& theirs_name) {
  for (auto& [o, t] : values)
    if (t == theirs_name) return o;
  return theirs_name;
}

std::optional<std::string> feed_query(const TargetSpec& s, const FeedRequest& request, std::string& error) {
  const Feed& f = s.feed;
  const auto wire = parse_query_string(request.query_string);
  std::vector<std::pair<std::string, std::string>> params;
  auto bound = [&](const DateFormat& fmt, const std::optional<Date>& d, const char* wire_name, const std::string& name) {
    std::optional<std::string> value;
    if (fmt.fullcalendar) value = param(wire, wire_name);
    else if (d) value = render_text(fmt.pattern, {{"date", d->iso()}});
    if (value) params.emplace_back(name, *value);
  };
  bound(f.start_format, request.query.start, "start", f.start_param);
  bound(f.end_format, request.query.end, "end", f.end_param);
  for (auto [value, name, values, what] :
       {std::tuple{&request.query.type, &f.type_param, &s.work_type_values, "type"},
        {&request.query.status, &f.status_param, &s.status_values, "status"}}) {
    if (!*value) continue;
    if (!*name) {
      error = std::string("the spec gives no feed.params.") + what + ": cannot ask for " + what + "=" + **value;
      return std::nullopt;
    }
    params.emplace_back(**name, theirs(*values, **value));
  }
  if (f.time_zone) params.push_back(*f.time_zone);
  for (auto& p : f.extra) params.push_back(p);
  std::string query;
  for (auto& [k, v] : params) {
    if (!query.empty()) query += '&';
    query += form_urlencode(k) + "=" + form_urlencode(v);
  }
  return query;
}

Vars write_vars(const TargetSpec& s, const json& fields, const WriteMapping& map) {
  Vars v;
  for (auto& [k, val] : fields.items()) {
    if (k == "title" && val.is_string()) v[k] = map.title_tag + val.get<std::string>();
    else if (k == "work_type" && val.is_string()) v[k] = theirs(s.work_type_values, val.get<std::string>());
    else if (k == "status" && val.is_string()) v[k] = theirs(s.status_values, val.get<std::string>());
    else if (k == "parent_id") v[k] = val.is_string() ? map.item(val.get<std::string>()) : json(nullptr);
    else if (k == "owner_id" && val.is_number_integer()) v[k] = map.user(val.get<UserId>());
    else if (k == "assignee_ids" && val.is_array()) {
      json ids = json::array();
      for (auto& a : val)
        if (a.is_number_integer()) ids.push_back(map.user(a.get<UserId>()));
      v[k] = ids;
    } else {
      v[k] = val;
    }
  }
  return v;
}

}  // namespace cachecheck::spec
