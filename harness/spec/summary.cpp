#include "spec/summary.h"

#include <sstream>

namespace cachecheck::spec {
namespace {

std::string request_text(const RequestSpec& r) {
  std::string out = r.method + " " + r.path.value.get<std::string>();
  switch (r.body_kind) {
    case BodyKind::json: out += " (JSON body)"; break;
    case BodyKind::form: out += " (form body)"; break;
    case BodyKind::text: out += " (text body)"; break;
    case BodyKind::none: break;
  }
  if (!r.success.empty()) {
    out += " → ";
    for (std::size_t i = 0; i < r.success.size(); ++i) {
      if (i) out += '/';
      out += std::to_string(r.success[i]);
    }
  }
  return out;
}

std::string field_text(const Field& f) {
  if (!f.given) return "(not read)";
  std::string out = f.pointer.empty() ? std::string("the answer") : f.pointer;
  if (!f.strip_prefix.empty()) out += " without '" + f.strip_prefix + "'";
  return out;
}

std::string token_text(const TokenRead& t) {
  switch (t.from) {
    case TokenSource::body: return "the body's " + field_text(t.at);
    case TokenSource::header: return "header " + t.name;
    case TokenSource::cookie: return "cookie " + t.name;
  }
  return "?";
}

std::string format_text(const DateFormat& f) { return f.fullcalendar ? "as FullCalendar sends them" : f.pattern; }

}  // namespace

std::vector<std::string> summary(const TargetSpec& s) {
  std::vector<std::string> out;
  auto line = [&](const std::string& key, const std::string& text) {
    std::string k = key;
    k.resize(11, ' ');
    out.push_back("  " + k + text);
  };
  std::string where;
  for (auto& u : s.base_urls) where += (where.empty() ? "" : ", ") + u;
  where += s.separate_processes ? " (one URL per process)"
                                : " (" + (s.processes ? std::to_string(s.processes) : std::string("an unknown number of")) +
                                      " process(es))";
  line("where", where);
  std::string users;
  for (auto& u : s.users) users += (users.empty() ? "" : ", ") + u.username + " (id " + u.app_id.dump() + ")";
  line("users", users);
  std::string login = request_text(s.login.request) + "; ";
  if (s.login.session == SessionKind::token)
    login += "token from " + token_text(s.login.token) + ", sent as " + s.login.send_header + ": " +
             s.login.send_value.value.get<std::string>();
  else
    login += "cookie session";
  if (s.login.csrf) login += "; CSRF from " + token_text(*s.login.csrf) + ", sent as " + s.login.csrf_header;
  line("login", login);
  const Feed& f = s.feed;
  std::string params = f.start_param + "=, " + f.end_param + "=";
  if (f.type_param) params += ", " + *f.type_param + "= (type)";
  if (f.status_param) params += ", " + *f.status_param + "= (status)";
  if (f.time_zone) params += ", " + f.time_zone->first + "=" + f.time_zone->second;
  line("feed", request_text(f.request) + " ?" + params);
  line("", "dates: start " + format_text(f.start_format) + ", end " + format_text(f.end_format));
  line("", "events at " + field_text(f.events) + "; id " + field_text(f.event.id) + ", title " +
               field_text(f.event.title) + ", start " + field_text(f.event.start) + ", end " + field_text(f.event.end) +
               (f.event.end_exclusive ? " (the day after the due date)" : "") + ", type " + field_text(f.event.type) +
               ", status " + field_text(f.event.status) + ", parent " + field_text(f.event.parent));
  line("writes", "create " + request_text(s.writes.create.request));
  line("", "edit   " + request_text(s.writes.edit.request) +
               (s.writes.edit.answer == WriteAnswer::none ? " (answers no item)" : ""));
  line("", "delete " + request_text(s.writes.remove) + "; " +
               (s.writes.deleted.given ? "answers the ids deleted at " + field_text(s.writes.deleted)
                                       : std::string("answers no id list")) +
               (s.writes.cascade ? "; cascades to the subtree" : "; does not cascade"));
  line("detail", request_text(s.detail.request) + " (gone: " + [&] {
         std::string g;
         for (int st : s.detail.gone) {
           if (!g.empty()) g += '/';
           g += std::to_string(st);
         }
         return g;
       }() + ")");
  std::string filters;
  for (auto& [value, kinds] : s.semantics.type_filter) {
    std::string ks;
    for (auto& k : kinds) ks += (ks.empty() ? "" : "+") + k;
    filters += (filters.empty() ? "" : ", ") + value + "→" + ks;
  }
  line("semantics", "range " + std::string(to_string(s.semantics.range)) + "; visibility " +
                        (s.visibility ? (*s.visibility == Visibility::global ? "everybody" : "owner-and-assignees")
                                      : "from each reset"));
  line("", "type filter " + filters);
  if (s.freshness_bound_s) {
    std::ostringstream b;
    b << *s.freshness_bound_s << " s";
    line("freshness", b.str());
  }
  return out;
}

}  // namespace cachecheck::spec
