// Promises of README that hold numbers, each checked through the real
// binary: limits.max_series and limits.max_concurrent with
// gleaner_commands_running, accept_exit_codes' nagios default, the
// self-metrics' values, gzip of a store whose collectors republish, and a
// stream's restart back-off.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <utility>
#include <vector>
#include <string>
#include <thread>

#include "tests/support/daemon_fixture.h"
#include "tests/support/exposition_values.h"
#include "tests/support/http_client.h"

namespace gleaner::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

using LimitsTest = DaemonFixture;

// README (Configuration, limits; Self-metrics, reason series_limit): a run
// printing more series than limits.max_series fails with that reason and
// exposes none of them; a collector under the limit is not affected.
TEST_F(LimitsTest, ARunOverMaxSeriesFailsWithSeriesLimitAndExposesNothing) {
  start(R"(limits: {max_series: 3}
collectors:
  - {name: many, plugin: exec, interval: 200ms, shell: "seq 1 5 | sed 's/.*/many_value{i=\"&\"} &/'"}
  - {name: few, plugin: exec, interval: 200ms, shell: "seq 1 3 | sed 's/.*/few_value{i=\"&\"} &/'"}
)");
  const auto body = scrape_until([](const std::string& b) {
    return value_or(b, failures_series("many", "series_limit")) >= 2 && value_or(b, up_series("few")) == 1;
  });
  EXPECT_EQ(required_value(body, up_series("many")), 0);
  EXPECT_THAT(body, Not(HasSubstr("many_value{")));
  EXPECT_EQ(required_value(body, series_count_series("many")), 0);
  EXPECT_EQ(required_value(body, failures_series("many", "parse")), 0);
  // Exactly at the limit is allowed.
  EXPECT_EQ(required_value(body, series_count_series("few")), 3);
  EXPECT_EQ(required_value(body, failures_series("few", "series_limit")), 0);
  EXPECT_THAT(daemon_->log(), HasSubstr("5 series, more than limits.max_series (3)"));
}

// README (Scheduling): at most limits.max_concurrent commands run at once,
// and gleaner_commands_running says how many run now. Three collectors that
// would each keep a command running all the time, under max_concurrent: 1.
// Each command writes its start and end by its own clock, so the test's
// polling cannot blur them: no two of those spans may overlap. The metric
// must show the one command running.
TEST_F(LimitsTest, MaxConcurrentBoundsTheCommandsAndCommandsRunningCountsThem) {
  const std::string spans = dir_ + "/spans";
  std::string config = "limits: {max_concurrent: 1}\ncollectors:\n";
  for (const char* name : {"a", "b", "c"}) {
    config += std::string("  - {name: ") + name + ", plugin: exec, interval: 200ms, shell: \"echo $(date +%s%N) start >> " +
              spans + "; sleep 0.3; echo $(date +%s%N) end >> " + spans + "; echo " + name + "_value 1\"}\n";
  }
  start(config);
  double most_running = 0;
  const auto until = std::chrono::steady_clock::now() + 4s;
  while (std::chrono::steady_clock::now() < until) {
    if (const auto running = value_of(scrape(), "gleaner_commands_running")) most_running = std::max(most_running, *running);
  }
  EXPECT_EQ(most_running, 1) << "gleaner_commands_running never showed the one command running";

  // The spans in the order of their clock: each start after the end before it.
  std::vector<std::pair<long long, std::string>> marks;
  std::ifstream file(spans);
  long long at = 0;
  for (std::string what; file >> at >> what;) marks.emplace_back(at, what);
  std::sort(marks.begin(), marks.end());
  ASSERT_GE(marks.size(), 6u) << "fewer than three commands ran";
  int running = 0;
  for (const auto& [when, what] : marks) {
    running += what == "start" ? 1 : -1;
    EXPECT_LE(running, 1) << "two commands at once at " << when << " ns";
  }

  // Each waited its turn: all three ran, and ticks were skipped meanwhile.
  const auto body = scrape();
  for (const char* name : {"a", "b", "c"}) EXPECT_GE(required_value(body, runs_series(name)), 1) << name;
  EXPECT_GT(required_value(body, "gleaner_collector_skipped_total{collector=\"a\"}") +
                required_value(body, "gleaner_collector_skipped_total{collector=\"b\"}") +
                required_value(body, "gleaner_collector_skipped_total{collector=\"c\"}"),
            0);
}

// README (exec options): accept_exit_codes is [0, 1, 2, 3] with the nagios
// parser: CRITICAL (2) is a successful run whose status says so; 4 is not.
TEST_F(LimitsTest, NagiosAcceptsExitCodesZeroToThreeByDefault) {
  start(R"(collectors:
  - {name: critical, plugin: exec, interval: 200ms, parser: {type: nagios, metric: check_disk}, shell: "echo 'DISK CRITICAL - 97% used|used=97%;80;90'; exit 2"}
  - {name: beyond, plugin: exec, interval: 200ms, parser: {type: nagios, metric: check_other}, shell: "echo 'OTHER - what'; exit 4"}
  - {name: plain, plugin: exec, interval: 200ms, shell: "echo plain_value 1; exit 2"}
)");
  const auto body = scrape_until([](const std::string& b) {
    return value_or(b, runs_series("critical")) >= 2 && value_or(b, failures_series("beyond", "exit_code")) >= 1 &&
           value_or(b, failures_series("plain", "exit_code")) >= 1;
  });
  EXPECT_EQ(required_value(body, up_series("critical")), 1);
  EXPECT_EQ(required_value(body, failures_series("critical", "exit_code")), 0);
  EXPECT_EQ(required_value(body, "check_disk_status{collector=\"critical\"}"), 2);
  EXPECT_EQ(required_value(body, up_series("beyond")), 0);
  // Without the nagios parser the default is [0].
  EXPECT_EQ(required_value(body, up_series("plain")), 0);
  EXPECT_THAT(body, Not(HasSubstr("plain_value{")));
}

// README (Self-metrics): the values, not only the names. A run sleeping
// 300 ms lasts at least that (a timer never fires early) and far less than
// its 10 s timeout; it succeeded at a Unix time between the start of the
// test and now; the interval is the configured one; the series count is
// what the exposition holds; a collector that always fails has as many
// failures as runs, all of the one reason.
TEST_F(LimitsTest, SelfMetricsSayWhatHappened) {
  const double started = static_cast<double>(std::time(nullptr));
  start(R"(collectors:
  - {name: slow, plugin: exec, interval: 500ms, shell: "sleep 0.3; seq 1 2 | sed 's/.*/slow_value{k=\"&\"} &/'"}
  - {name: failing, plugin: exec, interval: 500ms, shell: "exit 3"}
)");
  const auto body = scrape_until([](const std::string& b) {
    return value_or(b, runs_series("slow")) >= 3 && value_or(b, runs_series("failing")) >= 3 &&
           value_or(b, up_series("slow")) == 1;
  });
  const double now = static_cast<double>(std::time(nullptr));
  const double duration = required_value(body, duration_series("slow"));
  EXPECT_GE(duration, 0.3);
  EXPECT_LT(duration, 5);
  const double last_success = required_value(body, last_success_series("slow"));
  EXPECT_GE(last_success, started - 1);
  EXPECT_LE(last_success, now + 1);
  EXPECT_EQ(required_value(body, "gleaner_collector_interval_seconds{collector=\"slow\"}"), 0.5);
  EXPECT_EQ(required_value(body, series_count_series("slow")), 2);
  EXPECT_EQ(required_value(body, up_series("failing")), 0);
  // Runs are counted when they start, failures when they end: at most the
  // one in flight apart.
  const double runs = required_value(body, runs_series("failing"));
  const double failures = required_value(body, failures_series("failing", "exit_code"));
  EXPECT_GE(failures, runs - 1);
  EXPECT_LE(failures, runs);
  for (const char* reason : kFailureReasons) {
    if (std::string(reason) != "exit_code") {
      EXPECT_EQ(required_value(body, failures_series("failing", reason)), 0) << reason;
    }
  }
  EXPECT_EQ(required_value(body, series_count_series("failing")), 0);
}

// README (The endpoint; Design, HTTP): gzip is one member whatever has been
// published since the last scrape. Collectors printing new values on every
// run, scraped with and without gzip again and again: each gzip body is
// exactly one member (the strict gunzip refuses more) with the same
// series as the text.
TEST_F(LimitsTest, GzipOfAStoreWhoseCollectorsRepublishIsOneMemberWithEverySeries) {
  std::string collectors = "collectors:\n";
  for (int i = 0; i < 5; ++i) {
    collectors += "  - {name: c" + std::to_string(i) +
                  R"(, plugin: exec, interval: 100ms, shell: "seq 1 200 | sed 's/.*/changing_value_)" + std::to_string(i) +
                  R"({k=\"&\"} '$(date +%N)'/'"})" + "\n";
  }
  start(collectors);
  scrape_until([](const std::string& b) { return value_or(b, runs_series("c4")) >= 2; });
  std::string last_text;
  for (int i = 0; i < 20; ++i) {
    const auto reply = http_request(daemon_->port(), "/metrics", {"Accept-Encoding: gzip"});
    ASSERT_TRUE(reply && reply->status == 200);
    ASSERT_EQ(reply->headers.at("content-encoding"), "gzip");
    const auto text = gunzip(reply->body);
    ASSERT_TRUE(text) << "scrape " << i << ": not exactly one gzip member";
    std::size_t series = 0;
    for (std::size_t at = text->find("\nchanging_value_"); at != std::string::npos;
         at = text->find("\nchanging_value_", at + 1)) {
      ++series;
    }
    EXPECT_EQ(series, 1000u) << "scrape " << i;
    EXPECT_THAT(*text, HasSubstr("gleaner_build_info{"));
    if (i == 19) last_text = *text;
    std::this_thread::sleep_for(50ms);  // pacing only: let collectors publish between scrapes
  }
  EXPECT_FALSE(last_text.empty());
}

// README (Streams): a stream command that exits is started again after
// 1 s, doubling. Each start writes its time (the command's own clock, so
// the test's polling does not blur it); the first four starts must be about
// 1 s, 2 s and 4 s apart. A wait is never shorter than promised (a timer
// does not fire early), so each lower bound is tight; each upper bound
// leaves a loaded machine nearly a wait's worth of slack, and still tells
// a constant 1 s wait or a quadrupling one from doubling.
TEST_F(LimitsTest, AStreamThatExitsIsRestartedAfterOneSecondThenTwoThenFour) {
  const std::string starts = dir_ + "/starts";
  start("collectors:\n  - {name: brief, plugin: exec, mode: stream, shell: \"date +%s.%N >> " + starts +
        "; echo brief_value 1; exit 1\"}\n");
  std::vector<double> times;
  ASSERT_TRUE(eventually(
      [&] {
        times.clear();
        std::ifstream file(starts);
        for (double at = 0; file >> at;) times.push_back(at);
        return times.size() >= 4;
      },
      30s))
      << daemon_->log();
  const double first = times[1] - times[0], second = times[2] - times[1], third = times[3] - times[2];
  EXPECT_GE(first, 0.95) << "restarted without the 1 s wait";
  EXPECT_LT(first, 1.9) << "the first wait is not 1 s";
  EXPECT_GE(second, 1.95) << first << " s, then " << second << " s: not doubling";
  EXPECT_LT(second, 3.9) << first << " s, then " << second << " s: not doubling";
  EXPECT_GE(third, 3.95) << second << " s, then " << third << " s: not doubling";
  EXPECT_LT(third, 7.9) << second << " s, then " << third << " s: not doubling";
  EXPECT_GE(required_value(scrape(), "gleaner_collector_restarts_total{collector=\"brief\"}"), 3);
}

}  // namespace
}  // namespace gleaner::testing
