#pragma once
// Latencies of repeated requests, summarised the way the team reports them
// against its goals: count, median, p99 and maximum, in milliseconds.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace gleaner::testing {

class LatencyRecord {
 public:
  void add(double milliseconds) { samples_.push_back(milliseconds); }
  std::size_t count() const { return samples_.size(); }
  bool empty() const { return samples_.empty(); }

  double max() const { return empty() ? 0 : *std::max_element(samples_.begin(), samples_.end()); }

  // The value below which the fraction q (0..1) of the samples lie
  // (nearest rank: p99 of 400 samples is the 396th smallest).
  double quantile(double q) const {
    if (empty()) return 0;
    std::vector<double> sorted = samples_;
    std::sort(sorted.begin(), sorted.end());
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
  }

  // "412 scrapes: median 1.9 ms, p99 7.3 ms, max 12.0 ms"
  std::string summary(const std::string& what) const {
    char text[160];
    std::snprintf(text, sizeof text, "%zu %s: median %.1f ms, p99 %.1f ms, max %.1f ms", count(), what.c_str(),
                  quantile(0.5), quantile(0.99), max());
    return text;
  }

 private:
  std::vector<double> samples_;
};

}  // namespace gleaner::testing
