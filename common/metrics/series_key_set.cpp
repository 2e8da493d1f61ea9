#include "common/metrics/series_key_set.h"

#include <algorithm>
#include <cstring>

namespace gleaner::metrics {

bool SeriesKeySet::insert(std::string_view key) {
  if (keys_.contains(key)) return false;
  keys_.insert(keep(key));
  return true;
}

std::string_view SeriesKeySet::keep(std::string_view key) {
  if (key.size() > free_bytes_) {
    // A key longer than a block gets a block of its own size.
    const std::size_t size = std::max(next_block_bytes_, key.size());
    next_block_bytes_ = std::min(next_block_bytes_ * 2, kLargestBlockBytes);
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    free_ = blocks_.back().get();
    free_bytes_ = size;
  }
  if (!key.empty()) std::memcpy(free_, key.data(), key.size());
  const std::string_view kept(free_, key.size());
  free_ += key.size();
  free_bytes_ -= key.size();
  return kept;
}

}  // namespace gleaner::metrics
