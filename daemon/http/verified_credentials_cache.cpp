#include "http/verified_credentials_cache.h"

#include <string>

namespace gleaner::http {

Sha256Digest VerifiedCredentialsCache::key_of(std::string_view username, std::string_view password) {
  // A user-id cannot contain ':' in basic auth (RFC 7617), so the joined
  // text is unambiguous.
  std::string joined;
  joined.reserve(username.size() + 1 + password.size());
  joined.append(username).append(1, ':').append(password);
  return sha256(joined);
}

bool VerifiedCredentialsCache::contains(const Sha256Digest& key) const {
  const std::lock_guard lock(mutex_);
  // Every entry is compared, in constant time: how long a lookup takes says
  // nothing about where, or whether, it matched.
  bool found = false;
  for (const Sha256Digest& entry : entries_) found |= equal_in_constant_time(entry, key);
  return found;
}

void VerifiedCredentialsCache::remember(const Sha256Digest& key) {
  const std::lock_guard lock(mutex_);
  for (const Sha256Digest& entry : entries_) {
    if (equal_in_constant_time(entry, key)) return;
  }
  if (entries_.size() < kCapacity) {
    entries_.push_back(key);
  } else {
    entries_[next_] = key;
  }
  next_ = (next_ + 1) % kCapacity;
}

}  // namespace gleaner::http
