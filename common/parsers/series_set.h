#pragma once
// Remembers which series a parser has produced, so that a second series with
// the same name and labels becomes an error instead of an invalid exposition.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/metrics/sample.h"
#include "common/metrics/series_key_set.h"

namespace gleaner::parsers {

class SeriesSet {
 public:
  // False when a series with this name and these labels (in any order) was
  // inserted before. Label values must already be sanitized (no NUL bytes).
  bool insert(std::string_view name, const metrics::Labels& labels);

 private:
  metrics::SeriesKeySet keys_;
  // Reused between calls: a key costs no allocation of its own.
  std::string key_;
  std::vector<const metrics::Label*> sorted_;
};

}  // namespace gleaner::parsers

namespace gleaner::parsers {

// For parsers whose rows (table lines, regex matches, JSON elements) each
// give one sample per configured metric, all with the row's labels under
// fixed label names: two series collide exactly when two rows have the same
// label values and both have a sample of the metric. So one key per row,
// not one per sample, which keeps large tables fast.
class RowSeriesSet {
 public:
  explicit RowSeriesSet(std::size_t metric_count) : metric_count_(metric_count) {}

  // Labels must be sanitized (no NUL bytes), their names in a fixed order.
  void start_row(const metrics::Labels& labels);
  // False if an earlier row with the same labels had a sample of `metric`.
  bool insert(std::size_t metric);
  // Whether insert(metric) would return false, without inserting.
  bool contains(std::size_t metric) const { return taken_[slot_ * metric_count_ + metric]; }

 private:
  std::size_t metric_count_;
  std::unordered_map<std::string, std::size_t> rows_;  // label values → row slot
  std::vector<bool> taken_;                            // slot * metric_count_ + metric
  std::string key_;
  std::size_t slot_ = 0;
};

}  // namespace gleaner::parsers
