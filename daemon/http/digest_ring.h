#pragma once
// A bounded memory of digests: the newest capacity ones, the oldest making
// room for a new one. Lookups compare every entry in constant time, so how
// long one takes says nothing about where, or whether, it matched. Not
// synchronised: its owner holds the lock.

#include <cstddef>
#include <vector>

#include "daemon/http/digest.h"

namespace gleaner::http {

class DigestRing {
 public:
  explicit DigestRing(std::size_t capacity) : capacity_(capacity) {}

  bool contains(const Sha256Digest& digest) const;
  void remember(const Sha256Digest& digest);
  void clear();

 private:
  std::size_t capacity_;
  std::vector<Sha256Digest> entries_;  // a ring once full
  std::size_t next_ = 0;               // the slot the next new entry takes
};

}  // namespace gleaner::http
