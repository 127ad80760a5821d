// The feed's query and the date parsers. The input is up to four lines:
// start, end, type, status (a line "-" means the parameter is absent).
// Finds: crashes and sanitizer reports; and round trips that break:
// what format_instant / format_http_date / Date::iso print must parse back to
// the same value (the manual clock once printed years it could not read).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "calendar/date.h"
#include "calendar/domain.h"

namespace {

using namespace calendar;

void check_date_round_trips(std::string_view text) {
  if (auto d = Date::parse(text))
    if (Date::parse(d->iso()) != d) __builtin_trap();
  if (auto d = parse_feed_bound(text))
    if (Date::parse(d->iso()) != d) __builtin_trap();
  if (auto t = parse_instant(text)) {
    if (!is_representable(*t)) __builtin_trap();
    if (parse_instant(format_instant(*t)) != t) __builtin_trap();
    auto http = parse_http_date(format_http_date(*t));
    if (!http || *http != *t - ((*t % 1000) + 1000) % 1000) __builtin_trap();
  }
  parse_http_date(text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::optional<std::string> parts[4];
  for (auto& part : parts) {
    if (input.empty()) break;
    auto nl = input.find('\n');
    std::string_view line = input.substr(0, nl);
    input = nl == std::string_view::npos ? std::string_view{} : input.substr(nl + 1);
    if (line != "-") part = std::string(line);
    check_date_round_trips(line);
  }
  auto parsed = parse_feed_query(FeedParams{parts[0], parts[1], parts[2], parts[3]});
  if (parsed.query.has_value() == !parsed.error.empty()) __builtin_trap();  // exactly one of them
  return 0;
}
