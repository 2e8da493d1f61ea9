#include "daemon/scheduler/lateness_histogram.h"

#include <algorithm>
#include <cstdio>

namespace gleaner::daemon {

void LatenessHistogram::observe(std::chrono::steady_clock::duration lateness) {
  const double seconds = std::max(0.0, std::chrono::duration<double>(lateness).count());
  const auto bucket = std::lower_bound(kBounds.begin(), kBounds.end(), seconds);
  if (bucket != kBounds.end()) ++buckets_[static_cast<std::size_t>(bucket - kBounds.begin())];
  ++count_;
  sum_ += seconds;
}

metrics::MetricFamily LatenessHistogram::family() const {
  const std::string name = "gleaner_scheduler_lateness_seconds";
  metrics::MetricFamily family{name, metrics::MetricType::histogram,
                               "How late runs started against their ticks (to the first command's spawn).", {}};
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    cumulative += buckets_[i];
    char bound[32];
    std::snprintf(bound, sizeof bound, "%g", kBounds[i]);
    family.samples.push_back({name + "_bucket", {{"le", bound}}, static_cast<double>(cumulative)});
  }
  family.samples.push_back({name + "_bucket", {{"le", "+Inf"}}, static_cast<double>(count_)});
  family.samples.push_back({name + "_sum", {}, sum_});
  family.samples.push_back({name + "_count", {}, static_cast<double>(count_)});
  return family;
}

}  // namespace gleaner::daemon
