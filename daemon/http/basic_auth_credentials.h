#pragma once
// The one user that basic auth lets in: a username and either a plain
// password or a bcrypt hash of one, read from the password file. The plain
// password is kept only as a SHA-256 digest.
//
// Both checks take the same time whether the username is right or wrong:
// the username and the password are both always compared, each in constant
// time, and a bcrypt check always runs bcrypt.

#include <memory>
#include <string>

#include "http/authorization_header.h"
#include "http/digest.h"

namespace gleaner::http {

struct BasicAuthSettings {
  std::string username;
  // Holds the password in plain text, or its bcrypt hash ("$2a$", "$2b$",
  // "$2y$"), on one line; trailing line ends are not part of it.
  std::string password_file;
};

struct BasicAuthCredentialsLoad;

class BasicAuthCredentials {
 public:
  // Reads the password file (blocking); a load with an error on failure.
  static BasicAuthCredentialsLoad load(const BasicAuthSettings& settings);

  enum class QuickVerdict { accepted, rejected, needs_bcrypt };

  // Cheap enough for the io thread: compares a plain password; with a
  // bcrypt hash, always needs_bcrypt (what bcrypt said before is the
  // caller's to remember, across reloads: see RememberedVerdicts).
  QuickVerdict check_quickly(const PresentedCredentials& presented) const;

  // Costs a bcrypt hash: for the worker thread only.
  bool check_with_bcrypt(const PresentedCredentials& presented) const;

  bool is_bcrypt_hashed() const { return !bcrypt_hash_.empty(); }

  // Names what these credentials accept (a digest of the username and the
  // hash): the same for the same password file loaded again, so that what
  // bcrypt said about them outlives a reload that changed nothing.
  const Sha256Digest& fingerprint() const { return fingerprint_; }

 private:
  BasicAuthCredentials() = default;

  Sha256Digest username_digest_{};
  Sha256Digest password_digest_{};  // of a plain password
  std::string bcrypt_hash_;         // or a hash, and then the digest is unused
  Sha256Digest fingerprint_{};
};

struct BasicAuthCredentialsLoad {
  std::shared_ptr<const BasicAuthCredentials> credentials;  // set exactly when error is empty
  std::string error;
  std::string error_field;  // "basic_auth.username" or "basic_auth.password_file"
};

}  // namespace gleaner::http
