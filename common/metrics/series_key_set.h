#pragma once
// The keys of the series seen so far (a name and its labels joined into one
// string), for telling a series printed twice. A parser and the admission
// point each keep one per run: a run of a million series inserts a million
// keys, so they are copied into blocks (one allocation per block of keys,
// not one per key) and found through an open-addressing table (Boost's
// unordered_flat_set: one array, no node per key). Freed at once. Blocks
// start at 1 KiB and double up to 64 KiB: most runs print a few series,
// and each of the runs in flight has two of these sets.

#include <boost/unordered/unordered_flat_set.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace gleaner::metrics {

class SeriesKeySet {
 public:
  // False when the same key was inserted before.
  bool insert(std::string_view key);

 private:
  // A copy of key that lives as long as the set.
  std::string_view keep(std::string_view key);

  static constexpr std::size_t kFirstBlockBytes = 1024;
  static constexpr std::size_t kLargestBlockBytes = 64 * 1024;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t next_block_bytes_ = kFirstBlockBytes;
  char* free_ = nullptr;
  std::size_t free_bytes_ = 0;
  boost::unordered_flat_set<std::string_view, std::hash<std::string_view>> keys_;
};

}  // namespace gleaner::metrics
