#include "common/parsers/series_set.h"

#include <algorithm>

namespace gleaner::parsers {

bool SeriesSet::insert(std::string_view name, const metrics::Labels& labels) {
  sorted_.clear();
  for (const auto& label : labels) sorted_.push_back(&label);
  std::sort(sorted_.begin(), sorted_.end(), [](const auto* a, const auto* b) { return a->name < b->name; });
  // NUL cannot occur in names or sanitized values, so it separates the parts
  // unambiguously.
  key_.assign(name);
  for (const auto* label : sorted_) {
    key_.push_back('\0');
    key_ += label->name;
    key_.push_back('\0');
    key_ += label->value;
  }
  return keys_.insert(key_);
}

}  // namespace gleaner::parsers

namespace gleaner::parsers {

void RowSeriesSet::start_row(const metrics::Labels& labels) {
  key_.clear();
  for (const auto& label : labels) {
    key_ += label.value;
    key_.push_back('\0');
  }
  const auto [row, fresh] = rows_.try_emplace(key_, rows_.size());
  slot_ = row->second;
  if (fresh) taken_.resize(taken_.size() + metric_count_);
}

bool RowSeriesSet::insert(std::size_t metric) {
  const std::size_t index = slot_ * metric_count_ + metric;
  if (taken_[index]) return false;
  taken_[index] = true;
  return true;
}

}  // namespace gleaner::parsers
