#pragma once
// The users that basic auth lets in. Either one username and a plain
// password or a bcrypt hash of one, read from the password file (gleaner.yaml's
// web.basic_auth); or any number of users, each with a bcrypt hash (the web
// configuration file's basic_auth_users). A plain password is kept only as
// a SHA-256 digest.
//
// A check takes the same time whatever the username: the usernames are all
// compared, each in constant time, and a bcrypt check always runs bcrypt,
// for an unknown user against a hash that matches nothing, of the same cost
// as the users' own (as exporter-toolkit does): timing tells no one which
// usernames exist.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "daemon/http/authorization_header.h"
#include "daemon/http/digest.h"

namespace gleaner::http {

struct BasicAuthSettings {
  std::string username;
  // Holds the password in plain text, or its bcrypt hash ("$2a$", "$2b$",
  // "$2y$"), on one line; trailing line ends are not part of it.
  std::string password_file;
};

// Usernames and their bcrypt hashes.
using BasicAuthUsers = std::vector<std::pair<std::string, std::string>>;

struct BasicAuthCredentialsLoad;

class BasicAuthCredentials {
 public:
  // Reads the password file (blocking); a load with an error on failure.
  static BasicAuthCredentialsLoad load(const BasicAuthSettings& settings);
  // Users with bcrypt hashes; an error names "basic_auth_users.NAME".
  static BasicAuthCredentialsLoad from_users(const BasicAuthUsers& users);

  enum class QuickVerdict { accepted, rejected, needs_bcrypt };

  // Cheap enough for the io thread: compares a plain password; with bcrypt
  // hashes, always needs_bcrypt (what bcrypt said before is the caller's to
  // remember, across reloads: see RememberedVerdicts).
  QuickVerdict check_quickly(const PresentedCredentials& presented) const;

  // Costs a bcrypt hash: for the worker thread only.
  bool check_with_bcrypt(const PresentedCredentials& presented) const;

  bool is_bcrypt_hashed() const { return !users_.empty() && !users_.front().bcrypt_hash.empty(); }

  // Names what these credentials accept (a digest of the usernames and
  // their hashes): the same for the same files loaded again, so that what
  // bcrypt said about them outlives a reload that changed nothing.
  const Sha256Digest& fingerprint() const { return fingerprint_; }

 private:
  struct User {
    Sha256Digest username_digest{};
    Sha256Digest password_digest{};  // of a plain password
    std::string bcrypt_hash;         // or a hash, and then the digest is unused
  };

  BasicAuthCredentials() = default;
  // The hash to check presented against: its user's, or the decoy's.
  const std::string& hash_for(const PresentedCredentials& presented, bool* known) const;

  std::vector<User> users_;
  std::string decoy_hash_;  // a bcrypt hash no password matches, of the users' cost
  Sha256Digest fingerprint_{};
};

struct BasicAuthCredentialsLoad {
  std::shared_ptr<const BasicAuthCredentials> credentials;  // set exactly when error is empty
  std::string error;
  // "basic_auth.username", "basic_auth.password_file" or "basic_auth_users.NAME"
  std::string error_field;
};

}  // namespace gleaner::http
