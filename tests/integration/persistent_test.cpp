// The exec plugin's persistent mode through the real binary (README "The
// exec plugin"): one long-lived plugin answers a newline on its stdin at
// every tick, like a Telegraf execd plugin with signal = "STDIN"; answers
// end at a terminator or a quiet period; a hung answer, an exit or a bad
// answer restarts it with the backoff; stop and reload end it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <map>
#include <optional>
#include <regex>
#include <string>

#include "tests/support/daemon_fixture.h"
#include "tests/support/daemon_process.h"
#include "tests/support/io_wait.h"
#include "tests/support/process_census.h"
#include "tests/support/promtool.h"

#ifndef GLEANER_SOURCE_DIR
#error "needs GLEANER_SOURCE_DIR"
#endif

namespace gleaner::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// As Telegraf's execd shim examples are written: read a line, print line
// protocol, flush. It counts its ticks and names its pid, so that twenty
// ticks from one process show as ticks=20 under one pid. With HANG_AT, the
// first process to reach that tick (a marker file says which) stops
// answering, once.
constexpr const char* kExecdPlugin = R"(#!/usr/bin/python3
import os, sys, time
ticks = 0
hang_at = int(os.environ.get("HANG_AT", "0"))
marker = os.environ.get("MARKER", "")
while True:
    line = sys.stdin.readline()
    if not line:
        break
    ticks += 1
    if ticks == hang_at and not os.path.exists(marker):
        open(marker, "w").close()
        time.sleep(1000)
    print(f"plugin,pid={os.getpid()} ticks={ticks}i,other=1.5")
    sys.stdout.flush()
)";

// pid label -> ticks, from every plugin_ticks series of one collector.
std::map<std::string, double> ticks_by_pid(const std::string& body, const std::string& collector) {
  std::map<std::string, double> ticks;
  const std::regex series("plugin_ticks\\{collector=\"" + collector + "\",pid=\"([0-9]+)\"\\} ([0-9.e+]+)");
  for (std::sregex_iterator it(body.begin(), body.end(), series), end; it != end; ++it) {
    ticks[(*it)[1].str()] = std::stod((*it)[2].str());
  }
  return ticks;
}

double metric(const std::string& body, const std::string& series) { return value_of(body, series).value_or(-1); }

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0; }

using PersistentTest = DaemonFixture;

TEST_F(PersistentTest, ATelegrafExecdStylePluginAnswersTwentyTicksFromOneProcess) {
  const auto plugin = write("execd.py", kExecdPlugin, true);
  start("collectors:\n  - {name: execd, plugin: exec, mode: persistent, interval: 200ms, command: [" + plugin +
        "], parser: {type: influx}}\n");
  std::map<std::string, double> ticks;
  const auto body = scrape_until([&](const std::string& b) {
    ticks = ticks_by_pid(b, "execd");
    return !ticks.empty() && ticks.begin()->second >= 20;
  });
  ASSERT_EQ(ticks.size(), 1u) << body;
  const pid_t pid = std::stoi(ticks.begin()->first);
  EXPECT_TRUE(process_exists(pid));
  EXPECT_THAT(body, HasSubstr("plugin_other{collector=\"execd\",pid=\"" + ticks.begin()->first + "\"} 1.5\n"));
  EXPECT_GE(metric(body, "gleaner_collector_runs_total{collector=\"execd\"}"), 20);
  EXPECT_EQ(metric(body, "gleaner_collector_restarts_total{collector=\"execd\"}"), 0);
  for (const char* reason : {"spawn", "timeout", "exit_code", "output_limit", "parse"}) {
    EXPECT_EQ(metric(body, std::string("gleaner_collector_failures_total{collector=\"execd\",reason=\"") + reason + "\"}"), 0)
        << reason;
  }
  EXPECT_TRUE(promtool_check_metrics(body).valid);
  // The daemon's stop ends it.
  daemon_.reset();
  EXPECT_TRUE(eventually([&] { return !process_exists(pid); }));
}

TEST_F(PersistentTest, APrometheusPluginEndsItsAnswersWithEof) {
  // The quiet period is longer than the whole test could wait for ten
  // answers: only the terminator can end them in time.
  const auto plugin = write("prom.py", R"(#!/usr/bin/python3
import sys
n = 0
for line in iter(sys.stdin.readline, ""):
    n += 1
    print("# TYPE answers_total counter")
    print(f"answers_total {n}")
    print("# EOF", flush=True)
)", true);
  start("collectors:\n  - {name: prom, plugin: exec, mode: persistent, interval: 200ms, timeout: 5s,"
        " quiet_period: 4s, command: [" + plugin + "]}\n");
  const auto body = scrape_until([](const std::string& b) {
    return metric(b, "answers_total{collector=\"prom\"}") >= 10;
  });
  EXPECT_THAT(body, HasSubstr("# TYPE answers_total counter\n"));
  EXPECT_EQ(metric(body, "gleaner_collector_up{collector=\"prom\"}"), 1);
  EXPECT_EQ(metric(body, "gleaner_collector_failures_total{collector=\"prom\",reason=\"timeout\"}"), 0);
  EXPECT_LT(metric(body, "gleaner_collector_duration_seconds{collector=\"prom\"}"), 2);
}

TEST_F(PersistentTest, AHungAnswerTimesOutAndTheRestartedPluginAnswersAgain) {
  const auto plugin = write("execd.py", kExecdPlugin, true);
  start("collectors:\n  - name: hang\n    plugin: exec\n    mode: persistent\n    interval: 300ms\n"
        "    timeout: 4s\n    command: [" + plugin + "]\n    parser: {type: influx}\n"
        "    env: {HANG_AT: '3', MARKER: '" + dir_ + "/hung'}\n");
  std::string first_pid;
  scrape_until([&](const std::string& b) {
    const auto ticks = ticks_by_pid(b, "hang");
    if (!ticks.empty()) first_pid = ticks.begin()->first;
    return !first_pid.empty();
  });
  const auto body = scrape_until([&](const std::string& b) {
    const auto ticks = ticks_by_pid(b, "hang");
    // The timeout is generous: a loaded machine may be slow to start Python.
    return metric(b, "gleaner_collector_failures_total{collector=\"hang\",reason=\"timeout\"}") >= 1 &&
           metric(b, "gleaner_collector_restarts_total{collector=\"hang\"}") >= 1 && ticks.size() == 1 &&
           ticks.begin()->first != first_pid && ticks.begin()->second >= 2;
  });
  EXPECT_EQ(metric(body, "gleaner_collector_up{collector=\"hang\"}"), 1);
  // The hung one went with its process group.
  EXPECT_TRUE(eventually([&] { return !process_exists(std::stoi(first_pid)); }));
  EXPECT_THAT(daemon_->log(), HasSubstr("collector hang failed (timeout)"));
}

TEST_F(PersistentTest, APluginThatExitsIsRestartedWithBackoff) {
  start(R"(collectors:
  - name: brief
    plugin: exec
    mode: persistent
    interval: 200ms
    shell: "read x; echo brief_value 1; echo; read x; exit 3"
)");
  // Each process answers once, then exits at the next tick: restarts come
  // 1 s, then 2 s, after each exit, and the ticks between are skipped.
  const auto first_failure = [&] {
    scrape_until([](const std::string& b) {
      return metric(b, "gleaner_collector_failures_total{collector=\"brief\",reason=\"exit_code\"}") >= 1;
    });
    return std::chrono::steady_clock::now();
  }();
  const auto body = scrape_until([](const std::string& b) {
    return metric(b, "gleaner_collector_restarts_total{collector=\"brief\"}") >= 2;
  });
  EXPECT_GE(std::chrono::steady_clock::now() - first_failure, 2500ms);
  EXPECT_GE(metric(body, "gleaner_collector_skipped_total{collector=\"brief\"}"), 5);
  EXPECT_THAT(daemon_->log(), HasSubstr("exited (exit code 3)"));
}

TEST_F(PersistentTest, LinesAfterAnAnswerAreDroppedAndCounted) {
  start(R"(collectors:
  - name: chatty
    plugin: exec
    mode: persistent
    interval: 200ms
    shell: "while read x; do echo chatty_value 1; echo; echo late 2; done"
)");
  const auto body = scrape_until([](const std::string& b) {
    return metric(b, "gleaner_collector_dropped_series_total{collector=\"chatty\",reason=\"malformed\"}") >= 3;
  });
  EXPECT_THAT(body, HasSubstr("chatty_value{collector=\"chatty\"} 1\n"));
  EXPECT_THAT(body, ::testing::Not(HasSubstr("late{")));
  EXPECT_EQ(metric(body, "gleaner_collector_restarts_total{collector=\"chatty\"}"), 0);
  EXPECT_THAT(daemon_->log(), HasSubstr("printed between answers: late 2"));
}

TEST_F(PersistentTest, AReloadThatRemovesTheCollectorEndsItsPlugin) {
  const auto plugin = write("execd.py", kExecdPlugin, true);
  start("collectors:\n  - {name: gone, plugin: exec, mode: persistent, interval: 200ms, command: [" + plugin +
        "], parser: {type: influx}}\n");
  std::string pid;
  scrape_until([&](const std::string& b) {
    const auto ticks = ticks_by_pid(b, "gone");
    if (!ticks.empty()) pid = ticks.begin()->first;
    return !pid.empty();
  });
  write_config("collectors:\n  - {name: other, plugin: exec, command: [echo, other_value 1]}\n");
  daemon_->signal(SIGHUP);
  scrape_until([](const std::string& b) { return has(b, "other_value{"); });
  EXPECT_TRUE(eventually([&] { return !process_exists(std::stoi(pid)); }));
}

TEST_F(PersistentTest, WhatAPluginStartedOutsideItsGroupEndsWithIt) {
  start(R"(collectors:
  - name: leaver
    plugin: exec
    mode: persistent
    interval: 200ms
    shell: "setsid sleep 98.4321 & while read x; do echo leaver_value 1; echo; done"
)");
  scrape_until([](const std::string& b) { return has(b, "leaver_value{"); });
  // Its own child, in a session of its own, is left alone while it runs.
  ASSERT_TRUE(eventually([] { return live_processes_running({"sleep", "98.4321"}).size() == 1; }))
      << live_processes_running({"sleep", "98.4321"}).size() << " running\nlog:\n" << daemon_->log();
  write_config("collectors:\n  - {name: other, plugin: exec, command: [echo, other_value 1]}\n");
  daemon_->signal(SIGHUP);
  EXPECT_TRUE(eventually([] { return live_processes_running({"sleep", "98.4321"}).empty(); }))
      << live_processes_running({"sleep", "98.4321"}).size() << " running\nlog:\n" << daemon_->log();
  // The new collector runs on: its first run publishes (it may finish
  // after the orphan is ended, so both are waited for).
  scrape_until([](const std::string& b) {
    return metric(b, "gleaner_orphans_killed_total") >= 1 && has(b, "other_value{");
  });
}

TEST_F(PersistentTest, TheConfigurationRefusesKeysThatDoNotFit) {
  const auto check = [&](const std::string& collector) {
    const auto config = write("check.yaml", "collectors:\n  - " + collector + "\n");
    return run_gleaner({"--config", config, "--check-config"});
  };
  const auto periodic = check("{name: a, plugin: exec, command: [cat], quiet_period: 1s}");
  EXPECT_NE(periodic.exit_code, 0);
  EXPECT_THAT(periodic.err, HasSubstr("quiet_period applies to mode: persistent only"));
  const auto too_long = check("{name: a, plugin: exec, mode: persistent, command: [cat], timeout: 1s, quiet_period: 2s}");
  EXPECT_NE(too_long.exit_code, 0);
  EXPECT_THAT(too_long.err, HasSubstr("quiet_period must be shorter than the timeout"));
  const auto with_stdin = check("{name: a, plugin: exec, mode: persistent, command: [cat], stdin: x}");
  EXPECT_NE(with_stdin.exit_code, 0);
  EXPECT_THAT(with_stdin.err, HasSubstr("stdin does not go with mode: persistent"));
  EXPECT_EQ(check("{name: a, plugin: exec, mode: persistent, command: [cat], quiet_period: 250ms}").exit_code, 0);
}

TEST_F(PersistentTest, TheShippedPythonExampleRuns) {
  const std::string source = GLEANER_SOURCE_DIR;
  const auto config = write("gleaner.yaml", "collectors:\n  - {name: py, plugin: exec, mode: persistent, command: [" +
                                                source + "/etc/examples/persistent_plugin.py], parser: {type: influx}}\n");
  const auto once = run_gleaner({"--config", config, "--once"});
  EXPECT_EQ(once.exit_code, 0) << once.err;
  EXPECT_THAT(once.out, HasSubstr("example_plugin_ticks{collector=\"py\""));
  EXPECT_THAT(once.out, HasSubstr("gleaner_collector_up{collector=\"py\"} 1"));
  // Its conf.d example is valid as shipped (the plugin's installed path is
  // not there before the package is installed: a warning only).
  const auto example = run_gleaner({"--config", source + "/etc/examples/conf.d/persistent.yaml.disabled", "--check-config"});
  EXPECT_EQ(example.exit_code, 0) << example.err;
}

}  // namespace
}  // namespace gleaner::testing
