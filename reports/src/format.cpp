// Numbers as the reports print them: fixed decimals in the C locale, never "-0".
#include "cachecheck_reports/render.h"

#include <cmath>
#include <cstdio>

namespace cachecheck::reports::detail {

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "n/a";
  decimals = decimals < 0 ? 0 : (decimals > 9 ? 9 : decimals);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s(buf);
  if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);  // "-0.0" → "0.0"
  return s;
}

std::string trimmed(double v, int decimals) {
  auto s = fixed(v, decimals);
  if (s.find('.') == std::string::npos || s == "n/a") return s;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string percent(double fraction) { return fixed(fraction * 100.0, 1) + " %"; }

double ops_per_second(const Results& r) {
  return r.elapsed_s > 0 && std::isfinite(r.elapsed_s) ? static_cast<double>(r.ops_checked) / r.elapsed_s : 0.0;
}

namespace {
std::string printf_string(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}
}  // namespace

std::string duration_ns(std::optional<double> ns) {
  if (!ns || !std::isfinite(*ns)) return "—";
  const double t = *ns;
  if (t < 1e3) return printf_string("%.0f ns", t);
  if (t < 1e4) return printf_string("%.2f µs", t / 1e3);
  if (t < 1e6) return printf_string("%.1f µs", t / 1e3);
  if (t < 1e9) return printf_string("%.2f ms", t / 1e6);
  return printf_string("%.2f s", t / 1e9);
}

}  // namespace cachecheck::reports::detail
