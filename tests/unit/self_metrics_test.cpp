// The gleaner_collector_* families as a scrape writes them, straight into
// the exposition, in both formats (README "Metrics about gleaner itself"):
// which collectors have which series, and each format's headers.

#include "daemon/self_metrics.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace gleaner::daemon {
namespace {

using namespace std::chrono_literals;

struct Statuses {
  CollectorStatus scheduled;
  CollectorStatus stream;
  std::vector<const CollectorStatus*> all() const { return {&scheduled, &stream}; }
};

Statuses two_collectors() {
  Statuses s;
  s.scheduled.name = "alpha";
  s.scheduled.interval = 15s;
  s.scheduled.up = true;
  s.scheduled.runs_total = 3;
  s.scheduled.failures(plugins::FailureReason::timeout) = 2;
  s.scheduled.series = 4;
  s.scheduled.last_duration = 250ms;
  s.scheduled.last_success = std::chrono::system_clock::time_point(1'700'000'000s);
  s.stream.name = "beta";
  s.stream.streaming = true;
  s.stream.restarts_total = 5;
  s.stream.dropped_total[static_cast<std::size_t>(metrics::DropReason::duplicate)] = 7;
  return s;
}

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(CollectorMetrics, EachCollectorHasTheSeriesThatApplyToItInTheTextFormat) {
  const auto statuses = two_collectors();
  std::string text;
  write_collector_metrics(text, statuses.all(), metrics::TextFormat::prometheus);

  EXPECT_TRUE(has_line(text, "# TYPE gleaner_collector_up gauge")) << text;
  EXPECT_TRUE(has_line(text, "gleaner_collector_up{collector=\"alpha\"} 1"));
  EXPECT_TRUE(has_line(text, "gleaner_collector_up{collector=\"beta\"} 0"));
  EXPECT_TRUE(has_line(text, "gleaner_collector_duration_seconds{collector=\"alpha\"} 0.25"));
  // The shortest form that reads back as the value, as the Go client writes it.
  EXPECT_TRUE(has_line(text, "gleaner_collector_last_success_timestamp_seconds{collector=\"alpha\"} 1.7e+09"));
  EXPECT_EQ(text.find("gleaner_collector_last_success_timestamp_seconds{collector=\"beta\"}"), std::string::npos)
      << "a collector that never succeeded has no last success";
  EXPECT_TRUE(has_line(text, "# TYPE gleaner_collector_runs_total counter"));
  EXPECT_TRUE(has_line(text, "gleaner_collector_runs_total{collector=\"alpha\"} 3"));
  // Every reason, zero or not, so that rate() sees the first failure.
  EXPECT_TRUE(has_line(text, "gleaner_collector_failures_total{collector=\"alpha\",reason=\"timeout\"} 2"));
  EXPECT_TRUE(has_line(text, "gleaner_collector_failures_total{collector=\"alpha\",reason=\"exit_code\"} 0"));
  EXPECT_TRUE(has_line(text, "gleaner_collector_failures_total{collector=\"beta\",reason=\"internal\"} 0"));
  EXPECT_TRUE(has_line(text, "gleaner_collector_dropped_series_total{collector=\"beta\",reason=\"duplicate\"} 7"));
  EXPECT_TRUE(has_line(text, "gleaner_collector_series{collector=\"alpha\"} 4"));
  // Restarts only for streams and persistent commands; an interval only
  // for what has ticks.
  EXPECT_TRUE(has_line(text, "gleaner_collector_restarts_total{collector=\"beta\"} 5"));
  EXPECT_EQ(text.find("gleaner_collector_restarts_total{collector=\"alpha\"}"), std::string::npos);
  EXPECT_TRUE(has_line(text, "gleaner_collector_interval_seconds{collector=\"alpha\"} 15"));
  EXPECT_EQ(text.find("gleaner_collector_interval_seconds{collector=\"beta\"}"), std::string::npos);

  // One header per family, before its series, and the families in order.
  std::size_t last = 0;
  for (const std::string name :
       {"gleaner_collector_up", "gleaner_collector_duration_seconds", "gleaner_collector_last_success_timestamp_seconds",
        "gleaner_collector_runs_total", "gleaner_collector_failures_total", "gleaner_collector_skipped_total",
        "gleaner_collector_series", "gleaner_collector_dropped_series_total", "gleaner_collector_restarts_total",
        "gleaner_collector_interval_seconds"}) {
    const auto header = text.find("# HELP " + name + " ");
    ASSERT_NE(header, std::string::npos) << name;
    EXPECT_GE(header, last) << name << " out of order";
    EXPECT_EQ(text.find("# HELP " + name + " ", header + 1), std::string::npos) << name << " twice";
    last = header;
  }
}

TEST(CollectorMetrics, OpenMetricsNamesCountersWithoutTotalAndGivesSecondsTheirUnit) {
  const auto statuses = two_collectors();
  std::string text;
  write_collector_metrics(text, statuses.all(), metrics::TextFormat::openmetrics);
  EXPECT_TRUE(has_line(text, "# TYPE gleaner_collector_runs counter")) << text;
  EXPECT_TRUE(has_line(text, "gleaner_collector_runs_total{collector=\"alpha\"} 3"));
  EXPECT_TRUE(has_line(text, "# UNIT gleaner_collector_duration_seconds seconds"));
  EXPECT_TRUE(has_line(text, "# TYPE gleaner_collector_up gauge"));
  EXPECT_EQ(text.find("# EOF"), std::string::npos) << "the end is the whole exposition's to write";
}

// The configuration admits only plain names, but the writer does not rely
// on it: a quote, a backslash or a newline in one is escaped.
TEST(CollectorMetrics, ANameIsEscapedAsALabelValue) {
  CollectorStatus odd;
  odd.name = "a\"b\\c\nd";
  std::string text;
  write_collector_metrics(text, {&odd}, metrics::TextFormat::prometheus);
  EXPECT_TRUE(has_line(text, "gleaner_collector_up{collector=\"a\\\"b\\\\c\\nd\"} 0")) << text;
}

TEST(CollectorMetrics, NoCollectorsNoFamilies) {
  std::string text;
  write_collector_metrics(text, {}, metrics::TextFormat::prometheus);
  EXPECT_EQ(text, "");
}

}  // namespace
}  // namespace gleaner::daemon
