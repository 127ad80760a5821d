#include "targets/target.h"

#include <algorithm>
#include <charconv>

#include "model/item_json.h"

namespace cachecheck {
namespace {

using nlohmann::json;

std::vector<TargetKind>& kinds() {
  static std::vector<TargetKind> k;
  return k;
}

bool indeterminate_status(int status) { return status == 0 || status == 408 || status >= 500; }

}  // namespace

std::string Response::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

Outcome read_outcome(const Response& r) { return indeterminate_status(r.status) ? Outcome::indeterminate : Outcome::ok; }

Outcome write_outcome(const Response& r) {
  if (indeterminate_status(r.status)) return Outcome::indeterminate;
  return r.status >= 200 && r.status < 300 ? Outcome::ok : Outcome::failed;
}

std::string response_error(const Response& r) {
  if (r.status == 0) return r.transport_error.empty() ? "no answer" : r.transport_error;
  if (r.status >= 200 && r.status < 300) return "";
  std::string out = "HTTP " + std::to_string(r.status);
  auto j = json::parse(r.body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_string()) return out + ": " + j["error"].get<std::string>();
  std::string text = r.body.substr(0, 160);
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return text.empty() ? out : out + ": " + text;
}

// ---- the contract's formats (../shared/spec/reference-server.md) -------------

std::vector<ShownEvent> Client::decode_feed(const std::string& body) const {
  auto j = json::parse(body, nullptr, false);
  if (!j.is_array()) throw DecodeError("the feed did not answer a JSON array: " + body.substr(0, 80));
  std::vector<ShownEvent> out;
  out.reserve(j.size());
  try {
    for (auto& e : j) out.push_back(shown_from_event_json(e));
  } catch (const std::runtime_error& e) {
    throw DecodeError(std::string("the feed answered a malformed event: ") + e.what());
  }
  return out;
}

Item Client::decode_item(const Response& r) const {
  std::string error;
  auto item = item_from_json(json::parse(r.body, nullptr, false), error);
  if (!item) throw DecodeError("the server answered a malformed item: " + error);
  return *item;
}

std::vector<std::string> Client::decode_deleted(const Response& r) const {
  auto j = json::parse(r.body, nullptr, false);
  std::vector<std::string> ids;
  if (!j.is_object() || !j.contains("deleted") || !j["deleted"].is_array())
    throw DecodeError("a delete did not answer {\"deleted\": [...]}: " + r.body.substr(0, 80));
  for (auto& id : j["deleted"]) {
    if (!id.is_string()) throw DecodeError("a delete answered a non-string id: " + id.dump());
    ids.push_back(id.get<std::string>());
  }
  return ids;
}

// calendar-server's extra headers (not in the contract): X-Cache: HIT|MISS, X-Worker: N.
Layer Client::served_by(const Response& r) const {
  std::string x = r.header("x-cache");
  if (x == "HIT") return Layer::server_cache;
  if (x == "MISS") return Layer::store;
  return Layer::server;
}

std::optional<int> Client::worker_of(const Response& r) const {
  std::string w = r.header("x-worker");
  int n = 0;
  auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), n);
  if (w.empty() || ec != std::errc() || p != w.data() + w.size()) return std::nullopt;
  return n;
}

std::string_view to_string(Fault f) {
  switch (f) {
    case Fault::evict: return "evict";
    case Fault::evict_version: return "evict-version";
    case Fault::evict_random: return "evict-random";
    case Fault::flush: return "flush";
    case Fault::route: return "route";
  }
  return "?";
}

// ---- kinds of target -----------------------------------------------------------

bool register_target_kind(TargetKind kind) {
  kinds().push_back(std::move(kind));
  return true;
}

const TargetKind* find_target_kind(const std::string& spec) {
  for (auto& k : kinds())
    if (k.matches(spec)) return &k;
  return nullptr;
}

std::unique_ptr<Target> make_target(const std::string& spec, const TargetConfig& config) {
  if (const TargetKind* k = find_target_kind(spec)) return k->make(spec, config);
  std::string names;
  for (auto& k : kinds()) names += (names.empty() ? "" : ", ") + k.name;
  throw TargetError("unknown target '" + spec + "': use " + (names.empty() ? "a known target" : names));
}

}  // namespace cachecheck
