// bench.md: the comparison tables of a Google Benchmark run of cachecheck-bench
// (bench.json): each strategy's cost per write and per read beside the physical
// floor, the seed's claims beside the measurements, the mixed workload, HTTP,
// and the goals. Pure: no I/O. Missing benchmarks show "—".
#include "cachecheck_reports/render.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace cachecheck::reports {

namespace {

// The strategies in the contract's order (the rest follow, alphabetically).
const std::vector<std::string> kStrategyOrder = {"none",      "ttl-only", "sweep",  "sweep-pipelined",
                                                 "versioned", "audience", "robust", "precise", "precise-leases"};

using nlohmann::json;
using detail::duration_ns;

// ---- formatting ----

std::string printf_string(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string fmt_time(std::optional<double> ns) { return duration_ns(ns); }

std::string fmt_ratio(std::optional<double> r) {
  if (!r || !std::isfinite(*r)) return "—";
  if (*r < 10) return printf_string("%.2f×", *r);
  if (*r < 100) return printf_string("%.1f×", *r);
  return printf_string("%.0f×", *r);
}

std::string fmt_count(std::optional<double> v) {
  if (!v) return "—";
  if (std::fabs(*v - std::round(*v)) < 1e-9) return printf_string("%.0f", *v);
  return printf_string("%.2f", *v);
}

std::string fmt_rate(std::optional<double> per_s) {
  if (!per_s) return "—";
  if (*per_s >= 1e6) return printf_string("%.2f M/s", *per_s / 1e6);
  if (*per_s >= 1e3) return printf_string("%.1f k/s", *per_s / 1e3);
  return printf_string("%.0f /s", *per_s);
}

std::string fmt_percent(std::optional<double> fraction) {
  if (!fraction) return "—";
  double p = *fraction * 100;
  if (p == 0) return "0 %";
  if (p < 0.1) return printf_string("%.3f %%", p);
  return printf_string("%.1f %%", p);
}

std::optional<double> ratio(std::optional<double> a, std::optional<double> b) {
  if (!a || !b || *b <= 0) return std::nullopt;
  return *a / *b;
}

// ---- the table ----

class Table {
 public:
  explicit Table(const Bench& bench)
      : runs_(bench.benchmarks), context_(bench.context), repetitions_(std::max(1, bench.repetitions)) {}

  std::string render() {
    header();
    floors();
    writes();
    seed_claims();
    reads();
    mixed();
    herd();
    http();
    goals();
    return os_.str();
  }

 private:
  const Benchmark* get(const std::string& name) const {
    auto it = runs_.find(name);
    return it == runs_.end() ? nullptr : &it->second;
  }
  std::optional<double> time(const std::string& name) const {
    const Benchmark* f = get(name);
    if (!f || !f->error.empty()) return std::nullopt;
    return f->real_ns;
  }
  std::optional<double> counter(const std::string& name, const std::string& c) const {
    const Benchmark* f = get(name);
    if (!f || !f->error.empty()) return std::nullopt;
    auto it = f->counters.find(c);
    if (it == f->counters.end()) return std::nullopt;
    return it->second;
  }
  // "—", or "skipped: <why>" when the benchmark reported an error.
  std::string missing(const std::string& name) const {
    const Benchmark* f = get(name);
    return f && !f->error.empty() ? "skipped: " + f->error : "—";
  }
  bool has_prefix(const std::string& prefix) const {
    auto it = runs_.lower_bound(prefix);
    return it != runs_.end() && it->first.rfind(prefix, 0) == 0;
  }
  std::optional<double> floor(const std::string& backend) const {
    return time(backend == "redis" ? "floor/ping/redis" : "floor/map-lookup/memory");
  }
  static std::string floor_name(const std::string& backend) {
    return backend == "redis" ? "PING" : "map lookup";
  }
  // Strategies present in a family, in the order of calendar::strategy_names()
  // for the known ones, then the rest alphabetically.
  std::vector<std::string> strategies(const std::string& family, const std::string& backend) const {
    std::vector<std::string> found;
    for (auto& [name, _] : runs_) {
      auto parts = split(name);
      if (parts.size() >= 3 && parts[0] == family && parts[2] == backend &&
          std::find(found.begin(), found.end(), parts[1]) == found.end())
        found.push_back(parts[1]);
    }
    std::stable_sort(found.begin(), found.end(), [&](const std::string& a, const std::string& b) {
      auto ia = std::find(kStrategyOrder.begin(), kStrategyOrder.end(), a) - kStrategyOrder.begin();
      auto ib = std::find(kStrategyOrder.begin(), kStrategyOrder.end(), b) - kStrategyOrder.begin();
      return ia != ib ? ia < ib : a < b;
    });
    return found;
  }
  std::vector<std::string> backends() const {
    std::vector<std::string> out;
    for (const char* b : {"memory", "redis"})
      for (auto& [name, _] : runs_) {
        auto parts = split(name);
        if (parts.size() >= 3 && parts[2] == b) {
          out.emplace_back(b);
          break;
        }
      }
    return out;
  }
  static std::vector<std::string> split(const std::string& name) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
      auto slash = name.find('/', start);
      parts.push_back(name.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    return parts;
  }

  void header() {
    os_ << "# cachecheck bench: what each strategy costs, beside the physical floor\n\n";
    os_ << "Medians";
    if (repetitions_ > 1) os_ << " of " << repetitions_ << " repetitions";
    os_ << " of wall-clock time (Google Benchmark `real_time`), from `bench.json`.";
    if (context_.is_object()) {
      os_ << " Run " << context_.value("date", std::string("?")) << " on " << context_.value("host_name", std::string("?"))
          << " (" << context_.value("num_cpus", 0) << " CPUs";
      if (context_.contains("mhz_per_cpu")) os_ << " × " << context_.value("mhz_per_cpu", 0) << " MHz";
      if (context_.contains("load_avg") && context_["load_avg"].is_array() && !context_["load_avg"].empty() &&
          context_["load_avg"][0].is_number())
        os_ << ", load " << printf_string("%.2f", context_["load_avg"][0].get<double>());
      os_ << ").";
      if (context_.contains("cachecheck_pin") && context_["cachecheck_pin"].is_string())
        os_ << " CPU placement: " << context_["cachecheck_pin"].get<std::string>() << ".";
      if (context_.value("library_build_type", std::string()) == "debug")
        os_ << " (The Debian libbenchmark reports itself as a debug build: that concerns only its own timing loop.)";
    }
    os_ << " Ratios to the floor use the same backend's floor: one Redis `PING` round trip for `redis`, one "
           "in-memory map lookup for `memory`.\n\n";
  }

  void floors() {
    if (!has_prefix("floor/")) return;
    os_ << "## The floor\n\n| benchmark | what | median | CPU (this process) | bytes |\n|---|---|---:|---:|---:|\n";
    const std::pair<const char*, const char*> rows[] = {
        {"floor/map-lookup/memory", "one MemoryCache::get of a present key"},
        {"floor/raw-get/memory", "MemoryCache::get of a cached feed's bytes"},
        {"floor/ping/redis", "one Redis round trip (PING)"},
        {"floor/raw-get/redis", "RedisCache::get of a cached feed's bytes"},
        {"floor/hiredis-get/redis", "bare hiredis GET of the same bytes"}};
    for (auto& [name, what] : rows) {
      if (!get(name)) continue;
      auto t = time(name);
      const Benchmark* f = get(name);
      os_ << "| `" << name << "` | " << what << " | " << (t ? fmt_time(t) : missing(name)) << " | "
          << (t ? fmt_time(f->cpu_ns) : "—") << " | " << fmt_count(counter(name, "bytes")) << " |\n";
    }
    os_ << "\n";
  }

  static std::string seed_claim(const std::string& strategy, const std::string& backend) {
    if (strategy == "sweep")
      return std::string("\"100 cache.delete() calls\", \"") + (backend == "redis" ? "~1 ms Redis" : "~0.1 ms local") +
             "\" each, \"~10-100 ms per deletion\"";
    if (strategy == "versioned") return "Option 2: \"only one cache update per deletion\" (O(1))";
    if (strategy == "ttl-only") return "the \"before\" and Option 3: no invalidation";
    if (strategy == "none") return "Option 1 (rejected): no cache";
    return "—";
  }

  void writes() {
    if (!has_prefix("invalidate/")) return;
    os_ << "## Cost per write (one DELETE through the application)\n\n"
           "`over none`: the write minus `none`'s (the same DELETE without any cache work), i.e. what the "
           "invalidation itself costs.\n\n";
    for (const auto& backend : backends()) {
      auto names = strategies("invalidate", backend);
      if (names.empty()) continue;
      os_ << "### " << backend << " (floor: " << floor_name(backend) << " " << fmt_time(floor(backend)) << ")\n\n"
          << "| strategy | per write | × floor | × versioned | over `none` | cache ops / write | round trips / write "
             "| the seed's claim |\n|---|---:|---:|---:|---:|---:|---:|---|\n";
      const auto versioned = time("invalidate/versioned/" + backend);
      const auto none = time("invalidate/none/" + backend);
      for (const auto& s : names) {
        const std::string n = "invalidate/" + s + "/" + backend;
        auto t = time(n);
        if (!t) {
          os_ << "| " << s << " | " << missing(n) << " | | | | | | " << seed_claim(s, backend) << " |\n";
          continue;
        }
        std::optional<double> over;
        if (none) over = *t - *none;
        os_ << "| " << s << " | " << fmt_time(t) << " | " << fmt_ratio(ratio(t, floor(backend))) << " | "
            << fmt_ratio(ratio(t, versioned)) << " | " << (over ? (*over < 0 ? "≈ 0" : fmt_time(over)) : "—") << " | "
            << fmt_count(counter(n, "cache_ops")) << " | " << fmt_count(counter(n, "round_trips")) << " | "
            << seed_claim(s, backend) << " |\n";
      }
      os_ << "\n";
    }
  }

  void seed_claims() {
    const bool any = has_prefix("invalidate/sweep/") || has_prefix("invalidate/versioned/");
    if (!any) return;
    os_ << "## The seed's claims beside the measurements\n\n| the seed says | measured |\n|---|---|\n";
    // "100 cache.delete() calls"
    std::string deletes;
    for (const auto& b : backends()) {
      const std::string n = "invalidate/sweep/" + b, p = "invalidate/sweep-pipelined/" + b;
      if (!counter(n, "deletes")) continue;
      if (!deletes.empty()) deletes += "; ";
      deletes += b + ": " + fmt_count(counter(n, "deletes")) + " deletes in " + fmt_count(counter(n, "round_trips")) +
                 " round trips";
      if (counter(p, "round_trips"))
        deletes += " (pipelined: " + fmt_count(counter(p, "deletes")) + " in " + fmt_count(counter(p, "round_trips")) +
                   ")";
    }
    if (!deletes.empty()) os_ << "| \"100 cache.delete() calls\" per deletion | " << deletes << " |\n";
    // per-call cost
    for (const auto& b : backends()) {
      auto sweep = time("invalidate/sweep/" + b), none = time("invalidate/none/" + b);
      auto n = counter("invalidate/sweep/" + b, "deletes");
      if (!sweep || !none || !n || *n <= 0) continue;
      const double each = (*sweep - *none) / *n;
      const double claimed = b == "redis" ? 1e6 : 1e5;
      os_ << "| \"" << (b == "redis" ? "~1 ms (Redis)" : "~0.1 ms (local cache)") << "\" per cache.delete() | "
          << fmt_time(each) << " per delete on " << b << " (" << fmt_ratio(ratio(each, floor(b))) << " "
          << floor_name(b) << "); the claim is " << fmt_ratio(claimed / std::max(each, 1e-9)) << " the measurement |\n";
    }
    // total
    std::string totals;
    for (const auto& b : backends()) {
      auto sweep = time("invalidate/sweep/" + b), piped = time("invalidate/sweep-pipelined/" + b);
      if (!sweep) continue;
      if (!totals.empty()) totals += "; ";
      totals += b + " " + fmt_time(sweep) + " per DELETE";
      if (piped) totals += " (pipelined " + fmt_time(piped) + ")";
    }
    if (!totals.empty()) os_ << "| \"Total overhead: ~10-100 ms per deletion\" | " << totals << " |\n";
    // versioning
    std::string versioning;
    for (const auto& b : backends()) {
      const std::string n = "invalidate/versioned/" + b;
      if (!time(n)) continue;
      if (!versioning.empty()) versioning += "; ";
      versioning += b + ": " + fmt_count(counter(n, "incrs")) + " INCR, " + fmt_count(counter(n, "cache_ops")) +
                    " cache op, " + fmt_count(counter(n, "round_trips")) + " round trip, " + fmt_time(time(n)) + " (" +
                    fmt_ratio(ratio(time(n), floor(b))) + " " + floor_name(b) + ")";
    }
    if (!versioning.empty())
      os_ << "| Option 2, versioning: \"only one cache update per deletion\" (O(1)) | " << versioning << " |\n";
    os_ << "\n";
  }

  void reads() {
    if (!has_prefix("read-hit/") && !has_prefix("read-miss/")) return;
    os_ << "## Cost per feed read (FullCalendar's October 2025 month view)\n\n"
           "A hit is read from a warm cache; a miss after the entry expired. `none` has no cache: both columns are a "
           "store read. `× raw GET`: the hit over the same backend's GET of the same bytes "
           "(`floor/raw-get/<backend>`).\n\n";
    for (const auto& backend : backends()) {
      auto names = strategies("read-hit", backend);
      for (auto& s : strategies("read-miss", backend))
        if (std::find(names.begin(), names.end(), s) == names.end()) names.push_back(s);
      if (names.empty()) continue;
      const auto fl = floor(backend);
      const auto raw = time("floor/raw-get/" + backend);
      const auto vh = time("read-hit/versioned/" + backend), vm = time("read-miss/versioned/" + backend);
      os_ << "### " << backend << " (floor: " << floor_name(backend) << " " << fmt_time(fl) << "; raw GET "
          << fmt_time(raw) << ")\n\n"
          << "| strategy | hit | × floor | × raw GET | × versioned | round trips / hit | miss | × floor | × versioned "
             "| round trips / miss | store queries / miss |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
      for (const auto& s : names) {
        const std::string h = "read-hit/" + s + "/" + backend, m = "read-miss/" + s + "/" + backend;
        auto th = time(h), tm = time(m);
        os_ << "| " << s << (s == "none" ? " (store read)" : "") << " | " << (th ? fmt_time(th) : missing(h)) << " | "
            << fmt_ratio(ratio(th, fl)) << " | " << fmt_ratio(ratio(th, raw)) << " | " << fmt_ratio(ratio(th, vh))
            << " | " << fmt_count(counter(h, "round_trips")) << " | " << (tm ? fmt_time(tm) : missing(m)) << " | "
            << fmt_ratio(ratio(tm, fl)) << " | " << fmt_ratio(ratio(tm, vm)) << " | "
            << fmt_count(counter(m, "round_trips")) << " | " << fmt_count(counter(m, "store_queries")) << " |\n";
      }
      os_ << "\n";
    }
  }

  void mixed() {
    if (!has_prefix("mixed/")) return;
    os_ << "## Mixed workload (Zipf users browsing FullCalendar's month view, judged by the oracle)\n\n"
           "Stale reads: fetched views (server or browser HTTP cache) showing a deleted or outdated item, or "
           "missing a current one, on the server-cache or http-cache layer. Nines = −log10(stale-read rate); "
           "\"≥\" when no stale read was seen (the bound is log10(reads)). Ideal: the hit rate of a perfect "
           "invalidator on the same history (same keys and TTL, each entry valid until its content would change); "
           "× ideal = hit rate / ideal.\n\n"
           "| strategy | backend | writes | steps / s | hit rate | ideal | × ideal | store queries / read | "
           "round trips / read | stale reads | stale-read rate | nines |\n"
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    struct Key {
      std::string backend, strategy;
      int pct;
      std::string name;
    };
    std::vector<Key> keys;
    for (auto& [name, _] : runs_) {
      auto parts = split(name);
      if (parts.size() < 4 || parts[0] != "mixed") continue;
      keys.push_back({parts[2], parts[1], std::atoi(parts[3].c_str()), name});
    }
    auto rank = [&](const std::string& s) { return std::find(kStrategyOrder.begin(), kStrategyOrder.end(), s) - kStrategyOrder.begin(); };
    std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
      if (a.backend != b.backend) return a.backend < b.backend;
      if (rank(a.strategy) != rank(b.strategy)) return rank(a.strategy) < rank(b.strategy);
      if (a.strategy != b.strategy) return a.strategy < b.strategy;
      return a.pct < b.pct;
    });
    for (const auto& k : keys) {
      const std::string& n = k.name;
      os_ << "| " << k.strategy << " | " << k.backend << " | " << k.pct << " % | ";
      if (!time(n)) {
        os_ << missing(n) << " | | | | | | | | |\n";
        continue;
      }
      auto stale = counter(n, "stale_reads"), reads = counter(n, "reads");
      auto nines = counter(n, "nines");
      const bool bound = counter(n, "nines_lower_bound").value_or(0) > 0.5;
      const auto vs_ideal = counter(n, "hit_rate_vs_ideal");
      os_ << fmt_rate(counter(n, "items_per_second")) << " | " << fmt_percent(counter(n, "hit_rate")) << " | "
          << fmt_percent(counter(n, "ideal_hit_rate")) << " | "
          << (vs_ideal ? printf_string("%.2f", *vs_ideal) : "—") << " | " << fmt_count(counter(n, "store_queries_per_read")) << " | " << fmt_count(counter(n, "round_trips_per_read"))
          << " | " << fmt_count(stale) << " / " << fmt_count(reads) << " | " << fmt_percent(counter(n, "stale_read_rate"))
          << " | " << (nines ? (bound ? "≥ " : "") + printf_string("%.1f", *nines) : "—") << " |\n";
    }
    os_ << "\n";
  }

  void herd() {
    if (!has_prefix("herd/")) return;
    os_ << "## The thundering herd (concurrent readers of one key after an invalidation)\n\n"
           "Store feed queries per invalidation, N readers interleaved by the deterministic scheduler; "
           "`precise-leases` is `precise` with leases (one request per key fills it).\n\n";
    for (const auto& backend : backends()) {
      auto names = strategies("herd", backend);
      if (names.empty()) continue;
      os_ << "### " << backend << "\n\n| strategy | 1 reader | 8 readers | 64 readers |\n|---|---:|---:|---:|\n";
      for (const auto& s : names) {
        os_ << "| " << s << " |";
        for (const char* n : {"1readers", "8readers", "64readers"}) {
          const std::string name = "herd/" + s + "/" + backend + "/" + n;
          os_ << " " << (time(name) ? fmt_count(counter(name, "store_queries_per_invalidation")) : missing(name)) << " |";
        }
        os_ << "\n";
      }
      os_ << "\n";
    }
  }

  std::optional<double> http_rate(const std::string& name) const {
    if (auto r = counter(name, "items_per_second")) return r;
    if (auto t = time(name); t && *t > 0) return 1e9 / *t;
    return std::nullopt;
  }

  void http() {
    if (!has_prefix("http/")) return;
    os_ << "## HTTP over loopback (one keep-alive connection)\n\n"
           "`trivial`: a bare cpp-httplib handler returning the same body; `trivial-same-headers`: the same, also "
           "sending calendar-server's response headers and receiving its cookie (the same bytes both ways).\n\n"
           "| server | feed hits / s | per request | × trivial | × trivial-same-headers |\n|---|---:|---:|---:|---:|\n";
    const auto trivial = http_rate("http/trivial/memory");
    const auto same = http_rate("http/trivial-same-headers/memory");
    for (const char* n : {"http/calendar-server/memory", "http/trivial-same-headers/memory", "http/trivial/memory"}) {
      if (!get(n)) continue;
      os_ << "| `" << n << "` | " << (time(n) ? fmt_rate(http_rate(n)) : missing(n)) << " | " << fmt_time(time(n))
          << " | " << fmt_ratio(ratio(http_rate(n), trivial)) << " | " << fmt_ratio(ratio(http_rate(n), same))
          << " |\n";
    }
    os_ << "\n";
  }

  static const char* verdict(bool met) { return met ? "**met**" : "**missed**"; }
  // Ratios are judged as displayed (two decimals), so that "1.50×" is within 1.5×.
  static double shown(double r) { return std::round(r * 100) / 100; }

  void goals() {
    std::ostringstream g;
    // 1. versioned / audience per write within 1.5× of one Redis round trip.
    for (const char* s : {"versioned", "audience"}) {
      const std::string n = std::string("invalidate/") + s + "/redis";
      if (auto r = ratio(time(n), floor("redis"))) {
        g << "- `" << s << "` per write within 1.5× of one Redis round trip: " << fmt_time(time(n)) << " = "
          << fmt_ratio(r) << " PING — " << verdict(shown(*r) <= 1.5);
        if (auto none = time("invalidate/none/redis")) {
          const double over = *time(n) - *none;
          g << " (the invalidation alone, over `none`: " << fmt_time(over) << " = "
            << fmt_ratio(ratio(over, floor("redis"))) << " PING)";
        }
        g << "\n";
      }
    }
    // 2. The unpipelined sweep near 100 round trips; the seed's 10-100 ms.
    if (auto t = time("invalidate/sweep/redis"); t && floor("redis")) {
      g << "- Unpipelined sweep ≈ 100 round trips: " << fmt_time(t) << " = " << fmt_ratio(ratio(t, floor("redis")))
        << " PING (" << fmt_count(counter("invalidate/sweep/redis", "round_trips"))
        << " round trips); the seed's \"10-100 ms\" is " << fmt_ratio(1e7 / *t) << "–" << fmt_ratio(1e8 / *t)
        << " the measurement on loopback";
      if (auto p = time("invalidate/sweep-pipelined/redis")) g << "; pipelined " << fmt_time(p);
      g << "\n";
    }
    // 3. A cached feed read within 2× of a raw backend GET.
    for (const auto& b : backends()) {
      auto raw = time("floor/raw-get/" + b);
      if (!raw) continue;
      std::string line;
      bool all = true, any = false;
      for (const auto& s : strategies("read-hit", b)) {
        if (s == "none") continue;
        auto r = ratio(time("read-hit/" + s + "/" + b), raw);
        if (!r) continue;
        any = true;
        all = all && shown(*r) <= 2.0;
        line += (line.empty() ? "" : ", ") + s + " " + fmt_ratio(r);
      }
      if (any)
        g << "- Cached feed read within 2× of a raw GET (" << b << ", raw GET " << fmt_time(raw) << "): " << line
          << " — " << (all ? verdict(true) : "**missed** where > 2×") << "\n";
    }
    // 4. HTTP ≥ 0.8× the trivial handler.
    if (auto r = ratio(http_rate("http/calendar-server/memory"), http_rate("http/trivial/memory")))
      g << "- calendar-server feed hits over HTTP ≥ 0.8× the trivial handler: " << fmt_ratio(r) << " — "
        << verdict(shown(*r) >= 0.8) << "\n";
    if (g.str().empty()) return;
    os_ << "## Goals\n\n" << g.str() << "\n";
  }

  const std::map<std::string, Benchmark>& runs_;
  const json& context_;
  int repetitions_ = 1;
  std::ostringstream os_;
};

}  // namespace

std::string bench_markdown(const Bench& b) { return Table(b).render(); }

}  // namespace cachecheck::reports
