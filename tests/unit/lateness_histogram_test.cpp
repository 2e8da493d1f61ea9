// gleaner_scheduler_lateness_seconds: cumulative buckets fine enough around
// README's 5 ms goal to tell a run 4.8 ms late from one 5.2 ms late.

#include "daemon/scheduler/lateness_histogram.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>

namespace gleaner::daemon {
namespace {

using namespace std::chrono_literals;

std::map<std::string, double> buckets(const metrics::MetricFamily& family) {
  std::map<std::string, double> by_bound;
  for (const auto& sample : family.samples) {
    if (sample.name != "gleaner_scheduler_lateness_seconds_bucket") continue;
    for (const auto& [label, value] : sample.labels) {
      if (label == "le") by_bound[value] = sample.value;
    }
  }
  return by_bound;
}

double sample_value(const metrics::MetricFamily& family, const std::string& name) {
  for (const auto& sample : family.samples) {
    if (sample.name == name) return sample.value;
  }
  return -1;
}

TEST(LatenessHistogram, TellsJustUnderTheGoalFromJustOver) {
  LatenessHistogram under;
  under.observe(4800us);
  LatenessHistogram over;
  over.observe(5200us);

  const auto under_buckets = buckets(under.family());
  const auto over_buckets = buckets(over.family());
  EXPECT_EQ(under_buckets.at("0.0045"), 0);
  EXPECT_EQ(under_buckets.at("0.005"), 1);
  EXPECT_EQ(over_buckets.at("0.005"), 0);
  EXPECT_EQ(over_buckets.at("0.006"), 1);
}

TEST(LatenessHistogram, BucketsAreCumulativeAndEndWithTheCount) {
  LatenessHistogram histogram;
  histogram.observe(50us);
  histogram.observe(3ms);  // on a bound: counted in it (le is "at most")
  histogram.observe(-1ms);  // a run started before its tick counts as on time
  histogram.observe(3s);   // past the last bound: only in +Inf

  const auto family = histogram.family();
  const auto by_bound = buckets(family);
  EXPECT_EQ(by_bound.at("0.0001"), 2);
  EXPECT_EQ(by_bound.at("0.003"), 3);
  EXPECT_EQ(by_bound.at("2.5"), 3);
  EXPECT_EQ(by_bound.at("+Inf"), 4);
  EXPECT_EQ(sample_value(family, "gleaner_scheduler_lateness_seconds_count"), 4);
  EXPECT_NEAR(sample_value(family, "gleaner_scheduler_lateness_seconds_sum"), 3.00305, 1e-9);

  double previous = 0;
  for (const auto& sample : family.samples) {
    if (sample.name != "gleaner_scheduler_lateness_seconds_bucket") continue;
    EXPECT_GE(sample.value, previous) << "buckets must not decrease";
    previous = sample.value;
  }
}

}  // namespace
}  // namespace gleaner::daemon
