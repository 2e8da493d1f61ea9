#include "daemon/http/remembered_verdicts.h"

#include <string>

namespace gleaner::http {

const Sha256Digest& RememberedVerdicts::key() {
  // A throw (no random generator) leaves the flag unset: the next check tries again.
  std::call_once(key_drawn_, [this] { key_ = random_key(); });
  return key_;
}

Sha256Digest RememberedVerdicts::digest_of(const PresentedCredentials& presented) {
  // A user-id cannot contain ':' in basic auth (RFC 7617), so the joined
  // text is unambiguous.
  std::string joined;
  joined.reserve(presented.username.size() + 1 + presented.password.size());
  joined.append(presented.username).append(1, ':').append(presented.password);
  const Sha256Digest digest = hmac_sha256(key(), joined);
  wipe(joined);
  return digest;
}

RememberedVerdicts::Verdict RememberedVerdicts::recall(const Sha256Digest& fingerprint,
                                                       const PresentedCredentials& presented) {
  const Sha256Digest digest = digest_of(presented);  // outside the lock: the costly part
  const std::lock_guard lock(mutex_);
  if (!equal_in_constant_time(fingerprint, fingerprint_)) {
    fingerprint_ = fingerprint;
    accepted_.clear();
    refused_.clear();
    return Verdict::unknown;
  }
  if (accepted_.contains(digest)) return Verdict::accepted;
  if (refused_.contains(digest)) return Verdict::refused;
  return Verdict::unknown;
}

void RememberedVerdicts::remember(const Sha256Digest& fingerprint, const PresentedCredentials& presented,
                                  bool accepted) {
  const Sha256Digest digest = digest_of(presented);
  const std::lock_guard lock(mutex_);
  if (!equal_in_constant_time(fingerprint, fingerprint_)) return;
  (accepted ? accepted_ : refused_).remember(digest);
}

}  // namespace gleaner::http
