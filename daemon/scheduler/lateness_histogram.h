#pragma once
// How late runs start against their ticks: the scheduler's own quality,
// exposed as the histogram gleaner_scheduler_lateness_seconds.

#include <array>
#include <chrono>
#include <cstdint>

#include "metrics/sample.h"

namespace gleaner::daemon {

class LatenessHistogram {
 public:
  static constexpr std::array<double, 12> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1,    2.5};

  void observe(std::chrono::steady_clock::duration lateness);
  metrics::MetricFamily family() const;

 private:
  std::array<std::uint64_t, kBounds.size()> buckets_{};  // not cumulative
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace gleaner::daemon
