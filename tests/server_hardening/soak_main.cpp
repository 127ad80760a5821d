// calendar-soak: a long mixed load against a running calendar-server (not a
// CI test; scripts/soak.sh starts the server and Redis and runs it).
//
// C client threads, each logged in as alice, bob or carol on its own
// keep-alive connection, send N requests in all: 70 % feed reads over a few
// FullCalendar month views and filters, 10 % modals, 10 % creates, 10 %
// deletes of items the thread created. It prints the 5xx and transport errors,
// the stale reads, the server's RSS after the warm-up and at the end, and the
// p50/p99/max latency.
//
// A stale read is a feed that shows an item whose delete had already been
// answered when the feed request was sent (every user sees every item under
// the default global visibility); each one is confirmed by the item's modal
// answering 404.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "calendar/cookie_jar.h"

namespace {

using SteadyClock = std::chrono::steady_clock;

struct Options {
  int port = 0;
  long requests = 1'000'000;
  int clients = 8;
  int pid = 0;
  long warm_up = 20'000;
};

long rss_kib(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

const std::vector<std::string> kFeedQueries = [] {
  std::vector<std::string> q;
  for (const char* range : {"start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-11-10T00%3A00%3A00%2B08%3A00",
                            "start=2025-10-27T00%3A00%3A00%2B08%3A00&end=2025-12-08T00%3A00%3A00%2B08%3A00",
                            "start=2025-10-01&end=2025-10-31"})
    for (const char* filter : {"", "&type=task", "&status=in_progress", "&type=project"}) q.push_back(std::string(range) + filter);
  return q;
}();

// What every client shares: when each delete was answered.
struct Shared {
  std::mutex mutex;
  std::map<std::string, SteadyClock::time_point> deleted_at;
  std::atomic<long> sent{0}, server_errors{0}, transport_errors{0}, stale{0}, stale_confirmed{0};
};

class Client {
 public:
  Client(int port, const std::string& user, Shared& shared, unsigned seed)
      : http_("127.0.0.1", port), shared_(shared), rng_(seed) {
    http_.set_keep_alive(true);
    http_.set_tcp_nodelay(true);  // else Nagle and delayed ACKs add 40 ms to POSTs
    http_.set_read_timeout(10, 0);
    http_.set_write_timeout(10, 0);
    auto r = send("POST", "/accounts/login/", "username=" + user + "&password=" + user,
                  "application/x-www-form-urlencoded");
    logged_in_ = r && r->status == 200;
  }
  bool logged_in() const { return logged_in_; }

  // One request of the mix; its latency in ms, or a negative value on a transport error.
  void step(std::vector<float>& latencies) {
    const int pick = std::uniform_int_distribution<int>(0, 99)(rng_);
    const auto t0 = SteadyClock::now();
    if (pick < 70 || (pick >= 80 && pick < 90 && created_.size() > 5)) {
      read_feed(t0);
    } else if (pick < 80) {
      if (!created_.empty()) send("GET", "/oobc-management/work-items/" + created_.back() + "/modal/");
      else read_feed(t0);
    } else if (pick < 90) {
      create();
    } else {
      remove();
    }
    latencies.push_back(std::chrono::duration<float, std::milli>(SteadyClock::now() - t0).count());
  }

 private:
  httplib::Result send(const std::string& method, const std::string& path, const std::string& body = "",
                       const std::string& type = "") {
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.body = body;
    if (!type.empty()) req.set_header("Content-Type", type);
    std::string cookie;
    for (auto& [k, v] : jar_) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
    if (!cookie.empty()) req.set_header("Cookie", cookie);
    if (method != "GET" && jar_.count("csrftoken")) req.set_header("X-CSRFToken", jar_["csrftoken"]);
    ++shared_.sent;
    auto r = http_.send(req);
    if (!r) {
      ++shared_.transport_errors;
      return r;
    }
    if (r->status >= 500) ++shared_.server_errors;
    auto [b, e] = r->headers.equal_range("Set-Cookie");
    for (auto it = b; it != e; ++it) calendar::apply_set_cookie(jar_, it->second);
    return r;
  }

  void read_feed(SteadyClock::time_point sent_at) {
    auto r = send("GET", "/oobc-management/calendar/feed/?" +
                             kFeedQueries[std::uniform_int_distribution<std::size_t>(0, kFeedQueries.size() - 1)(rng_)]);
    if (!r || r->status != 200) return;
    auto events = nlohmann::json::parse(r->body, nullptr, false);
    if (!events.is_array()) return;
    for (const auto& e : events) {
      const std::string id = e.value("id", "").substr(10);  // without "work-item-"
      bool stale = false;
      {
        std::lock_guard lock(shared_.mutex);
        auto it = shared_.deleted_at.find(id);
        stale = it != shared_.deleted_at.end() && it->second < sent_at;
      }
      if (!stale) continue;
      ++shared_.stale;
      auto modal = send("GET", "/oobc-management/work-items/" + id + "/modal/");
      if (modal && modal->status == 404) ++shared_.stale_confirmed;
    }
  }

  void create() {
    const int day = std::uniform_int_distribution<int>(1, 28)(rng_);
    char date[16];
    std::snprintf(date, sizeof date, "2025-10-%02d", day);
    nlohmann::json item{{"title", "soak"}, {"work_type", day % 2 ? "task" : "project"},
                        {"status", day % 3 ? "in_progress" : "not_started"}, {"start_date", date}, {"due_date", date}};
    auto r = send("POST", "/oobc-management/work-items/", item.dump(), "application/json");
    if (r && r->status == 201) created_.push_back(nlohmann::json::parse(r->body)["id"]);
  }

  void remove() {
    if (created_.empty()) return create();
    const std::string id = created_.front();
    created_.erase(created_.begin());
    auto r = send("DELETE", "/oobc-management/work-items/" + id + "/delete/");
    if (r && r->status == 200) {
      std::lock_guard lock(shared_.mutex);
      shared_.deleted_at[id] = SteadyClock::now();
    }
  }

  httplib::Client http_;
  Shared& shared_;
  std::mt19937 rng_;
  calendar::CookieJar jar_;
  std::vector<std::string> created_;
  bool logged_in_ = false;
};

float percentile(std::vector<float>& v, double p) {
  if (v.empty()) return 0;
  std::size_t i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App cli{"calendar-soak: a long mixed load against a running calendar-server"};
  cli.add_option("--port", o.port, "calendar-server's port on 127.0.0.1")->required();
  cli.add_option("--requests", o.requests, "requests in all")->capture_default_str();
  cli.add_option("--clients", o.clients, "client threads (keep-alive connections)")->capture_default_str();
  cli.add_option("--pid", o.pid, "the server's process id, for its RSS");
  cli.add_option("--warm-up", o.warm_up, "requests before the first RSS reading")->capture_default_str();
  CLI11_PARSE(cli, argc, argv);

  Shared shared;
  std::vector<std::vector<float>> latencies(static_cast<std::size_t>(o.clients));
  std::atomic<long> next{0};
  std::atomic<long> rss_start{-1};
  const auto t0 = SteadyClock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < o.clients; ++c) {
    threads.emplace_back([&, c] {
      const char* users[] = {"alice", "bob", "carol"};
      Client client(o.port, users[c % 3], shared, 1000u + static_cast<unsigned>(c));
      if (!client.logged_in()) {
        std::fprintf(stderr, "calendar-soak: client %d could not log in\n", c);
        return;
      }
      auto& mine = latencies[static_cast<std::size_t>(c)];
      mine.reserve(static_cast<std::size_t>(o.requests / o.clients + 16));
      for (long i = next++; i < o.requests; i = next++) {
        if (i == o.warm_up && o.pid) rss_start = rss_kib(o.pid);
        client.step(mine);
      }
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  std::vector<float> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  const long rss_end = o.pid ? rss_kib(o.pid) : -1;
  const float p50 = percentile(all, 0.50), p99 = percentile(all, 0.99);
  const float max = all.empty() ? 0 : *std::max_element(all.begin(), all.end());
  std::printf("requests %zu (HTTP requests sent %ld) in %.0f s (%.0f req/s)\n", all.size(), shared.sent.load(), elapsed,
              static_cast<double>(all.size()) / elapsed);
  std::printf("5xx %ld, transport errors %ld, stale reads %ld (confirmed by a 404 modal: %ld)\n",
              shared.server_errors.load(), shared.transport_errors.load(), shared.stale.load(),
              shared.stale_confirmed.load());
  std::printf("server RSS after %ld requests %ld KiB, at the end %ld KiB\n", o.warm_up, rss_start.load(), rss_end);
  std::printf("latency p50 %.2f ms, p99 %.2f ms, max %.1f ms\n", p50, p99, max);
  return shared.server_errors == 0 && shared.transport_errors == 0 && shared.stale == 0 ? 0 : 1;
}
