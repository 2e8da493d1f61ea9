#pragma once
// Credentials that recently passed a bcrypt check, so that a scraper's
// every request does not pay for one (exporter-toolkit does the same).
// Only successes are kept, and only as SHA-256 digests of
// "username:password": a failed guess is never cheaper the second time, and
// the memory holds no password. Bounded: the oldest entry makes room.
// Safe to use from several threads.

#include <cstddef>
#include <mutex>
#include <string_view>
#include <vector>

#include "http/digest.h"

namespace gleaner::http {

class VerifiedCredentialsCache {
 public:
  static constexpr std::size_t kCapacity = 64;

  static Sha256Digest key_of(std::string_view username, std::string_view password);

  bool contains(const Sha256Digest& key) const;
  void remember(const Sha256Digest& key);

 private:
  mutable std::mutex mutex_;
  std::vector<Sha256Digest> entries_;  // a ring once full
  std::size_t next_ = 0;               // the slot the next new entry takes
};

}  // namespace gleaner::http
