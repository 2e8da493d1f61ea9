#include "daemon/http/digest_ring.h"

namespace gleaner::http {

bool DigestRing::contains(const Sha256Digest& digest) const {
  bool found = false;
  for (const Sha256Digest& entry : entries_) found |= equal_in_constant_time(entry, digest);
  return found;
}

void DigestRing::remember(const Sha256Digest& digest) {
  if (capacity_ == 0 || contains(digest)) return;
  if (entries_.size() < capacity_) {
    entries_.push_back(digest);
  } else {
    entries_[next_] = digest;
  }
  next_ = (next_ + 1) % capacity_;
}

void DigestRing::clear() {
  entries_.clear();
  next_ = 0;
}

}  // namespace gleaner::http
