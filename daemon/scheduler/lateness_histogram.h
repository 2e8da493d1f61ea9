#pragma once
// How late runs start against their ticks: the scheduler's own quality,
// exposed as the histogram gleaner_scheduler_lateness_seconds.

#include <array>
#include <chrono>
#include <cstdint>

#include "common/metrics/sample.h"

namespace gleaner::daemon {

class LatenessHistogram {
 public:
  // Fine around 5 ms, README's goal for the p99 ("Performance"), so that a
  // quantile near it is read from a narrow bucket (4.5-5 ms, 5-6 ms) rather
  // than interpolated across a wide one; coarse past 10 ms, where a run is
  // plainly late.
  static constexpr std::array<double, 19> kBounds = {0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.003, 0.004,
                                                     0.0045, 0.005,   0.006,  0.0075, 0.01, 0.025, 0.05,
                                                     0.1,    0.25,    0.5,    1,     2.5};

  void observe(std::chrono::steady_clock::duration lateness);
  metrics::MetricFamily family() const;

 private:
  std::array<std::uint64_t, kBounds.size()> buckets_{};  // not cumulative
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace gleaner::daemon
