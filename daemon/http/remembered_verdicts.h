#pragma once
// What bcrypt already said about presented credentials, so that asking again
// costs nothing: the credentials that recently passed (a scraper's every
// request would otherwise pay for a check, as exporter-toolkit also avoids)
// and those that recently failed (a guesser repeating itself gets its 401 at
// once instead of taking a place from the scraper).
//
// Entries are HMAC-SHA256 digests of "username:password" under a key drawn
// at random for each process: the memory holds no password, nor a digest
// that could be tested against a list of guesses elsewhere. The key is drawn
// at the first check, not at construction: drawing it initialises OpenSSL
// (its configuration, providers and random generator, some 3 MiB of
// resident memory), which a server without basic auth must not pay for. They belong to
// the credentials they were checked against, named by their fingerprint: a
// reload that loads the same password file keeps them, one that loads
// another forgets them all (a password refused before may be the new one).
//
// Bounded: kAcceptedCapacity + kRefusedCapacity digests (about 35 KiB), the
// oldest of each kind making room. Safe to use from several threads.

#include <cstddef>
#include <mutex>

#include "daemon/http/authorization_header.h"
#include "daemon/http/digest.h"
#include "daemon/http/digest_ring.h"

namespace gleaner::http {

class RememberedVerdicts {
 public:
  static constexpr std::size_t kAcceptedCapacity = 64;
  static constexpr std::size_t kRefusedCapacity = 1024;

  enum class Verdict { unknown, accepted, refused };

  // The verdict remembered for presented against the credentials named by
  // fingerprint. Other credentials than those remembered so far (a reload
  // changed the password file): everything is forgotten first.
  Verdict recall(const Sha256Digest& fingerprint, const PresentedCredentials& presented);

  // Remembers bcrypt's verdict, unless the credentials changed in the
  // meantime (a check that was running across a reload).
  void remember(const Sha256Digest& fingerprint, const PresentedCredentials& presented, bool accepted);

 private:
  Sha256Digest digest_of(const PresentedCredentials& presented);
  const Sha256Digest& key();  // drawn at the first call, from any thread

  std::once_flag key_drawn_;
  Sha256Digest key_{};
  std::mutex mutex_;
  Sha256Digest fingerprint_{};
  DigestRing accepted_{kAcceptedCapacity};
  DigestRing refused_{kRefusedCapacity};
};

}  // namespace gleaner::http
