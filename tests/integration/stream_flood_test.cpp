// A stream command printing as fast as it can: it gets its fair share of
// the daemon's one thread and no more. The neighbours keep their schedule,
// scrapes keep answering, the daemon's CPU stays low, the stream publishes
// at most ten records a second, and a flood of bad lines cannot flood the log.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "tests/support/daemon_fixture.h"
#include "tests/support/http_client.h"

namespace gleaner::testing {
namespace {

using Clock = std::chrono::steady_clock;
using ::testing::HasSubstr;

using StreamFloodTest = DaemonFixture;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::size_t count_lines(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

TEST_F(StreamFloodTest, AFloodingStreamLeavesTheDaemonToEveryoneElse) {
  start(R"(collectors:
  - {name: neighbour, plugin: exec, interval: 1s, command: [echo, "neighbour_value 1"]}
  - {name: flood, plugin: exec, mode: stream, command: [yes, "flood_metric 1"]}
)");
  const auto first = scrape_until([](const std::string& b) {
    return has(b, "flood_metric{collector=\"flood\"} 1") && has(b, "neighbour_value{collector=\"neighbour\"} 1");
  });
  const auto value = [](const std::string& body, const std::string& series) { return value_of(body, series).value_or(-1); };
  const double cpu_before = value(first, "process_cpu_seconds_total");
  const double neighbour_before = value(first, "gleaner_collector_runs_total{collector=\"neighbour\"}");
  const double stream_before = value(first, "gleaner_collector_runs_total{collector=\"flood\"}");
  const auto window_start = Clock::now();

  // Five seconds of scrapes under the flood: every one must answer.
  std::string last;
  int scrapes = 0, unanswered = 0;
  while (seconds_since(window_start) < 5) {
    const auto reply = http_get(daemon_->port(), "/metrics");
    ++scrapes;
    if (reply && reply->status == 200) last = reply->body;
    else ++unanswered;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  const double wall = seconds_since(window_start);
  ASSERT_FALSE(last.empty()) << daemon_->log();
  EXPECT_EQ(unanswered, 0) << "of " << scrapes << " scrapes";

  // The daemon's CPU time: a stream that took what it could would hold the
  // thread most of the time (80-100 % of a core); its fair share is a few
  // percent. Half of the wall time is far from both, even on a loaded host.
  const double cpu_share = (value(last, "process_cpu_seconds_total") - cpu_before) / wall;
  EXPECT_LT(cpu_share, 0.5) << "the daemon used " << cpu_share * 100 << " % of a core under the flood";

  // The neighbour kept running (about five runs in five seconds).
  EXPECT_GE(value(last, "gleaner_collector_runs_total{collector=\"neighbour\"}") - neighbour_before, 2);
  EXPECT_THAT(last, HasSubstr("gleaner_collector_up{collector=\"neighbour\"} 1"));

  // The stream publishes at most ten records a second (each one a run);
  // the rest were read and coalesced, and counted as skipped. Without the
  // bound every one of the flood's records is a run: tens of thousands a second.
  const double stream_runs = value(last, "gleaner_collector_runs_total{collector=\"flood\"}") - stream_before;
  EXPECT_LE(stream_runs, 10 * wall + 10) << "records published in " << wall << " s";
  EXPECT_GT(value(last, "gleaner_collector_skipped_total{collector=\"flood\"}"), 0);
  EXPECT_THAT(last, HasSubstr("flood_metric{collector=\"flood\"} 1"));
}

TEST_F(StreamFloodTest, AFloodOfBadLinesWritesAFewLogLinesAndCountsEveryParsedOne) {
  start(R"(collectors:
  - {name: neighbour, plugin: exec, interval: 1s, command: [echo, "neighbour_value 1"]}
  - {name: garbage, plugin: exec, mode: stream, command: [yes, "not a metric {"]}
)");
  // Thirty failed records take about three seconds at ten a second.
  const auto body = scrape_until([](const std::string& b) {
    const auto failures = value_of(b, "gleaner_collector_failures_total{collector=\"garbage\",reason=\"parse\"}");
    return failures && *failures >= 30 && has(b, "neighbour_value{collector=\"neighbour\"} 1");
  });
  // Every record parsed is a run and its failure is counted.
  const auto runs = value_of(body, "gleaner_collector_runs_total{collector=\"garbage\"}");
  const auto failures = value_of(body, "gleaner_collector_failures_total{collector=\"garbage\",reason=\"parse\"}");
  ASSERT_TRUE(runs && failures);
  EXPECT_GE(*runs, *failures);
  EXPECT_THAT(body, HasSubstr("gleaner_collector_up{collector=\"garbage\"} 0"));
  // The log: the first failure and a reminder, not a line per bad record
  // (without the summary: one per record, hundreds of thousands).
  const auto log = daemon_->log();
  EXPECT_LT(count_lines(log), 50u) << log.substr(0, 4000);
  EXPECT_THAT(log, HasSubstr("collector garbage failed (parse)"));
  EXPECT_THAT(log, HasSubstr("collector garbage still failing (parse): 10 times since"));
}

}  // namespace
}  // namespace gleaner::testing
