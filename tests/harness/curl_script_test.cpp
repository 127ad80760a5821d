// The curl replay script: the requests the run made, CSRF on writes, created ids
// captured from answers, concurrency with & and wait, the oracle's checks after
// each feed answer; the text passes `bash -n`; and, end to end against a real
// calendar-server, the seed's bug (sweep + FullCalendar's range) shows as a
// violation (exit 1), a fresh strategy as "no violation" (exit 0).
#include "reproduce/curl_script.h"

#include "model/oracle.h"
#include "run/runner.h"
#include "targets/in_process/in_process_target.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "harness_fixtures.h"
#include "server_fixture.h"

namespace {

using namespace cachecheck;
using nlohmann::json;
using harnesstest::item_uuid;
using harnesstest::kOctober;
using harnesstest::make_item;

const std::string kNovember = "start=2025-10-27T00%3A00%3A00%2B08%3A00&end=2025-12-08T00%3A00%3A00%2B08%3A00";

Open open(UserId user, std::string tab, const char* focus = "2025-10-15") {
  return Open{user, std::move(tab), {ClientModel::fullcalendar_month, 1, 480, *Date::parse(focus)}, std::nullopt,
              std::nullopt};
}

Fixture setup() {
  Fixture s;
  s.users = {{1, "alice", "alice"}, {2, "bob", "it's bob"}};  // a quote to escape
  s.items = {make_item(1, "2025-10-06", "2025-10-08", "task", "in_progress", 1),
             make_item(2, "2025-10-13", "2025-10-15", "project", "not_started", 2),
             make_item(3, "2025-11-03", "2025-11-04", "activity", "in_progress", 1)};
  s.start_time = *parse_instant("2025-10-05T09:00:00Z");
  return s;
}

const json kNewItem{{"title", "Bob's review; $(rm -rf /) `x`"},  // quotes and shell syntax stay data
                    {"work_type", "task"},
                    {"status", "not_started"},
                    {"start_date", "2025-10-09"},
                    {"due_date", "2025-10-10"}};

// Every kind of step.
Script full_script() {
  Script s;
  s.setup = setup();
  s.steps.push_back(open(1, "alice-1"));
  s.steps.push_back(Delete{1, "alice-1", item_uuid(1)});
  s.steps.push_back(HardRefresh{1, "alice-1"});
  s.steps.push_back(Navigate{1, "alice-1", 1});
  s.steps.push_back(Create{1, kNewItem});
  s.steps.push_back(Edit{1, "$created:1", json{{"title", "Renamed"}}});
  s.steps.push_back(Advance{300});
  s.steps.push_back(Concurrent{{open(2, "bob-1"), Delete{1, "", "$created:1"}}, 7});
  s.steps.push_back(Look{1, "alice-1"});
  s.steps.push_back(Click{2, "bob-1", item_uuid(2)});
  s.steps.push_back(Filter{2, "bob-1", "task", "in_progress"});
  s.steps.push_back(Navigate{1, "alice-1", -1});
  s.steps.push_back(Evict{{"calendar_feed:1:None:None:2025-09-29:2025-11-10"}});
  s.steps.push_back(EvictRandom{3});
  s.steps.push_back(Flush{});
  s.steps.push_back(Route{0});
  s.steps.push_back(Route{std::nullopt});
  return s;
}

// The script played in-process with `strategy`, judged, and written as curl.
std::string script_text(const Script& script, const std::string& strategy, const std::string& title) {
  TargetConfig config;
  config.strategy = strategy;
  config.start_time = script.setup.start_time;
  InProcessTarget target(config);
  RunOutput run = run_script(target, script, RunOptions{1, {}});
  Verdict verdict = judge(run.history);
  auto counted = [](const Violation& v) { return v.layer != Layer::client_store; };
  return curl_script(script, run, verdict, counted, title);
}

bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

std::string write_temp(const std::string& text) {
  char path[] = "/tmp/cachecheck-curl-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  close(fd);
  std::ofstream(path) << text;
  return path;
}

struct Shell {
  int status = -1;
  std::string output;
};

Shell run(const std::string& command) {
  Shell r;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.output.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

TEST(CurlScript, TheScriptUnderTestIsValid) { EXPECT_EQ(validate(full_script()), ""); }


TEST(CurlScript, WritesTheRequestsTheRunMade) {
  std::string text = script_text(full_script(), "none", "none--multi-tab\nseed 42");
  EXPECT_EQ(text.rfind("#!/usr/bin/env bash\n# none--multi-tab\n# seed 42\n", 0), 0u) << text.substr(0, 200);
  EXPECT_TRUE(contains(text, "\nset -uo pipefail\n"));
  EXPECT_TRUE(contains(text, "\nBASE=${BASE:-http://127.0.0.1:8080}\n"));
  EXPECT_TRUE(contains(text, "JAR=$(mktemp -d)"));

  // Setup: reset with the contract's JSON, the clock, a cookie jar per user.
  EXPECT_TRUE(contains(text, "must -X POST \"$BASE/__admin/reset\""));
  EXPECT_TRUE(contains(text, "\"id\":\"" + item_uuid(1) + "\""));
  EXPECT_TRUE(contains(text, "-d '{\"now\":\"2025-10-05T09:00:00Z\"}'"));
  EXPECT_TRUE(contains(text, "must -c \"$JAR/u1\" -X POST \"$BASE/accounts/login/\""));
  EXPECT_TRUE(contains(text, "must -c \"$JAR/u2\" -X POST \"$BASE/accounts/login/\""));
  EXPECT_TRUE(contains(text, "'{\"password\":\"it'\\''s bob\",\"username\":\"bob\"}'"));  // quote escaped
  EXPECT_TRUE(contains(text, "CSRF_1=$(awk '$6 == \"csrftoken\" { print $7 }' \"$JAR/u1\")"));

  // The feed requests are the run's own: the month view's whole weeks with the browser's offset.
  EXPECT_TRUE(contains(text, "req -b \"$JAR/u1\" \"$BASE\"'/oobc-management/calendar/feed/?" + kOctober + "'"));
  EXPECT_TRUE(contains(text, kNovember));
  // alice: open, hard refresh; the way back to October lies inside no fetched range... it refetches.
  EXPECT_EQ(count(text, "/oobc-management/calendar/feed/?" + kOctober + "'"), 4u) << text;
  EXPECT_TRUE(contains(text, kOctober + "&type=task&status=in_progress'"));

  // Writes carry the CSRF header; the delete hits the contract's path.
  EXPECT_TRUE(contains(text, "req -b \"$JAR/u1\" -H \"X-CSRFToken: ${CSRF_1:-}\" -X DELETE \"$BASE\"'/oobc-management/"
                             "work-items/" + item_uuid(1) + "/delete/'"));
  EXPECT_TRUE(contains(text, "-H \"X-CSRFToken: ${CSRF_1:-}\" -H 'Content-Type: application/json' -X POST "
                             "--data-binary '{"));
  EXPECT_TRUE(contains(text, "Bob'\\''s review; $(rm -rf /) `x`"));  // single-quoted: inert
  // The create's id is captured and used for the later requests on it.
  EXPECT_TRUE(contains(text, "C1=$(created_id \"$BODY\")"));
  EXPECT_TRUE(contains(text, "-X PATCH --data-binary '{\"title\":\"Renamed\"}' \"$BASE\"'/oobc-management/"
                             "work-items/'\"${C1:-unknown}\"'/'"));
  EXPECT_TRUE(contains(text, "-X DELETE \"$BASE\"'/oobc-management/work-items/'\"${C1:-unknown}\"'/delete/'"));
  // A look sends nothing; a click GETs the modal.
  EXPECT_TRUE(contains(text, "FullCalendar shows its in-memory events; no request"));
  EXPECT_TRUE(contains(text, "-b \"$JAR/u2\" \"$BASE\"'/oobc-management/work-items/" + item_uuid(2) + "/modal/'"));

  // Time and faults through the admin API, with the parameters the run used.
  EXPECT_TRUE(contains(text, "\"$BASE/__admin/clock\" -H 'Content-Type: application/json' -d "
                             "'{\"advance_s\":300.0}'"));
  EXPECT_TRUE(contains(text, "\"$BASE/__admin/cache/evict\" -H 'Content-Type: application/json' -d "
                             "'{\"keys\":[\"calendar_feed:1:None:None:2025-09-29:2025-11-10\"]}'"));
  EXPECT_TRUE(contains(text, "-d '{\"random\":3}'"));
  EXPECT_TRUE(contains(text, "\"$BASE/__admin/cache/flush\""));
  EXPECT_TRUE(contains(text, "\"$BASE/__admin/route\" -H 'Content-Type: application/json' -d '{\"worker\":0}'"));
  EXPECT_TRUE(contains(text, "-d '{\"worker\":null}'"));

  // The concurrent step: background curls, then wait for each.
  EXPECT_TRUE(contains(text, "> \"$JAR/s8_1\" &\nP8_1=$!\n")) << text;
  EXPECT_TRUE(contains(text, "> \"$JAR/s8_2\" &\nP8_2=$!\n"));
  EXPECT_TRUE(contains(text, "wait \"$P8_1\" || exit 2\nwait \"$P8_2\" || exit 2\n"));

  // The oracle's checks: after the delete of item 1, every feed answer must lack it.
  EXPECT_TRUE(contains(text, "then found stale-visible '" + item_uuid(1) + "' 1; fi"));
  EXPECT_TRUE(contains(text, "echo \"no violation\"; exit 0"));
  EXPECT_FALSE(contains(text, "jq"));

  // Every request goes through req/must, whose curl calls are bounded in time.
  std::istringstream lines(text);
  int curls = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("#", 0) == 0) continue;
    for (auto pos = line.find("curl "); pos != std::string::npos; pos = line.find("curl ", pos + 1)) {
      ++curls;
      EXPECT_NE(line.find("--max-time ", pos), std::string::npos) << line;
    }
  }
  EXPECT_EQ(curls, 2) << "only the two helpers call curl";
  EXPECT_GE(count(text, "\nOUT=$(req "), 15u);
}

// Reads answered from memory in the run send nothing.
TEST(CurlScript, SendsNothingWhereTheRunSentNothing) {
  Script s;
  s.setup = setup();
  Open week = open(1, "w");
  week.setup.model = ClientModel::fullcalendar_week;
  s.steps.push_back(week);
  s.steps.push_back(Navigate{1, "w", 0});
  s.steps.push_back(Look{1, "w"});
  std::string text = script_text(s, "none", "lazy");
  EXPECT_EQ(count(text, "/oobc-management/calendar/feed/?"), 1u) << text;
  EXPECT_EQ(count(text, "in-memory events; no request"), 2u) << text;
  // Week view, Monday first, +08:00: Mon 13 Oct .. Mon 20 Oct.
  EXPECT_TRUE(contains(text, "start=2025-10-13T00%3A00%3A00%2B08%3A00&end=2025-10-20T00%3A00%3A00%2B08%3A00"))
      << text;
}

TEST(CurlScript, PassesBashSyntaxCheck) {
  for (const Script& script : {full_script(), Script{setup(), {}}}) {
    std::string path = write_temp(script_text(script, "sweep", "title with 'quotes' and $(command)\nline two"));
    Shell r = run("bash -n '" + path + "' 2>&1");
    EXPECT_EQ(r.status, 0) << r.output;
    std::remove(path.c_str());
  }
}

Shell run_against(const testsupport::ServerFixture& fx, const Script& script, const std::string& strategy) {
  std::string path = write_temp(script_text(script, strategy, "end to end"));
  Shell r = run("BASE=http://127.0.0.1:" + std::to_string(fx.port()) + " timeout 60 bash '" + path + "' 2>&1");
  std::remove(path.c_str());
  return r;
}

// The seed's bug over real HTTP: the sweep deletes month-aligned keys, FullCalendar
// caches under its padded range, so the hard refresh after the delete still shows it.
TEST(CurlScript, EndToEndSweepShowsTheDeletedItem) {
  testsupport::ServerFixture fx({.strategy = "sweep"});
  Script s;
  s.setup = setup();
  s.steps = {open(1, "alice-1"), Delete{1, "alice-1", item_uuid(1)}, HardRefresh{1, "alice-1"}};
  Shell r = run_against(fx, s, "sweep");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "violation: stale-visible of " + item_uuid(1) + " for user 1")) << r.output;
  EXPECT_TRUE(contains(r.output, "summary: 1 violation(s)")) << r.output;
  // The server saw the script's data and clock.
  EXPECT_EQ(fx.clock().now(), *parse_instant("2025-10-05T09:00:00Z"));
}

// Every kind of step against a strategy that never serves stale data.
TEST(CurlScript, EndToEndFullScriptAgainstNone) {
  testsupport::ServerFixture fx({.strategy = "none"});
  Shell r = run_against(fx, full_script(), "none");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_FALSE(contains(r.output, "violation:")) << r.output;
  EXPECT_TRUE(contains(r.output, "no violation")) << r.output;
  EXPECT_TRUE(contains(r.output, "[alice-1] delete: HTTP 200")) << r.output;
  EXPECT_TRUE(contains(r.output, "[user 1] create: HTTP 201")) << r.output;
  EXPECT_TRUE(contains(r.output, "[user 1] edit: HTTP 200")) << r.output;
  EXPECT_TRUE(contains(r.output, "[user 1] delete: HTTP 200")) << r.output;  // the concurrent one
  EXPECT_TRUE(contains(r.output, "[bob-1] modal: HTTP 200")) << r.output;
  EXPECT_TRUE(contains(r.output, "[admin] route: HTTP 200")) << r.output;
  EXPECT_FALSE(contains(r.output, "HTTP 403")) << r.output;
  EXPECT_FALSE(contains(r.output, "HTTP 401")) << r.output;
  // 5 minutes passed on the server's manual clock.
  EXPECT_EQ(fx.clock().now(), *parse_instant("2025-10-05T09:05:00Z"));
  // The store reflects the script's writes.
  EXPECT_FALSE(fx.cluster().store().get(item_uuid(1)));
  EXPECT_TRUE(fx.cluster().store().get(item_uuid(2)));
}

// The oracle's other findings show again over curl: versioned bumps only the writer's
// version, so bob's cached feed keeps alice's old title (stale-content) and lacks her
// new item (missing), whose id the script captured from the create's answer.
TEST(CurlScript, EndToEndStaleContentAndMissingShowAgain) {
  Script s;
  s.setup = setup();
  s.steps = {open(2, "bob-1"), Edit{1, item_uuid(1), json{{"title", "Renamed by alice"}}},
             Create{1, kNewItem}, HardRefresh{2, "bob-1"}};
  ASSERT_EQ(validate(s), "");
  // In-process first: what the oracle found.
  {
    TargetConfig config;
    config.strategy = "versioned";
    InProcessTarget target(config);
    Verdict v = judge(run_script(target, s, RunOptions{1, {}}).history);
    EXPECT_EQ(v.count(kStaleContent), 1u);
    EXPECT_EQ(v.count(kMissing), 1u);
    EXPECT_EQ(v.violations.size(), 2u);
  }
  std::string text = script_text(s, "versioned", "versioned across users");
  EXPECT_TRUE(contains(text, "then found stale-content '" + item_uuid(1) + "' 2; fi")) << text;
  EXPECT_TRUE(contains(text, "'\"title\":\"Item 1\"'")) << "the superseded title is what must show: " << text;
  EXPECT_TRUE(contains(text, "then found missing \"${C1:-unknown}\" 2; fi")) << text;

  testsupport::ServerFixture fx({.strategy = "versioned"});
  Shell r = run_against(fx, s, "versioned");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "violation: stale-content of " + item_uuid(1) + " for user 2")) << r.output;
  EXPECT_TRUE(contains(r.output, "violation: missing of ")) << r.output;
  EXPECT_FALSE(contains(r.output, "missing of unknown")) << "the created id was captured: " << r.output;
  EXPECT_TRUE(contains(r.output, "summary: 2 violation(s)")) << r.output;

  // The same requests against a strategy that invalidates across users: nothing shows.
  testsupport::ServerFixture fresh({.strategy = "audience"});
  Shell clean = run_against(fresh, s, "versioned");
  EXPECT_EQ(clean.status, 0) << clean.output;
  EXPECT_TRUE(contains(clean.output, "no violation")) << clean.output;
}

TEST(CurlScript, ExitsTwoWhenTheServerIsUnreachable) {
  std::string path = write_temp(script_text(full_script(), "none", "unreachable"));
  Shell r = run("BASE=http://127.0.0.1:1 timeout 60 bash '" + path + "' 2>&1");
  std::remove(path.c_str());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "setup refused") || contains(r.output, "cannot reach")) << r.output;
}

}  // namespace
