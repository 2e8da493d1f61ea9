#include "daemon/http/basic_auth_credentials.h"

#include "common/files/bounded_file.h"
#include "daemon/http/bcrypt.h"

#include <algorithm>

namespace gleaner::http {
namespace {

constexpr std::size_t kMaxPasswordFileBytes = 64 * 1024;

BasicAuthCredentialsLoad failure(std::string field, std::string error) {
  return {.credentials = nullptr, .error = std::move(error), .error_field = std::move(field)};
}

// A well-formed bcrypt hash with the prefix and cost of a real one: checking
// a password against it costs what checking against the real one does. Its
// hash part is not bcrypt's output for any salt and password anyone knows,
// and matching it would take a preimage of bcrypt.
std::string decoy_like(const std::string& hash) {
  return hash.substr(0, 7) + "decoydecoydecoydecoyd.decoydecoydecoydecoydecoydecoyd";
}

// Users in a fixed order, so that the same users give the same fingerprint.
Sha256Digest fingerprint_of(BasicAuthUsers users) {
  std::sort(users.begin(), users.end());
  std::string text;
  // Usernames cannot contain ':' nor hashes '\n': the joined text is unambiguous.
  for (const auto& [username, hash] : users) text += username + ":" + hash + "\n";
  const Sha256Digest digest = sha256(text);
  wipe(text);
  return digest;
}

}  // namespace

BasicAuthCredentialsLoad BasicAuthCredentials::load(const BasicAuthSettings& settings) {
  if (settings.username.empty()) return failure("basic_auth.username", "the username must not be empty");
  if (settings.username.find(':') != std::string::npos) {
    return failure("basic_auth.username", "the username must not contain ':', which basic auth cannot send");
  }
  const std::string& path = settings.password_file;
  files::FileRead file = files::read_bounded_file(path, kMaxPasswordFileBytes);
  if (!file.error.empty()) return failure("basic_auth.password_file", std::move(file.error));
  std::string secret = std::move(file.content);

  // Editors end files with a newline, which no one means as part of a password.
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  std::string problem;
  if (secret.empty()) {
    problem = path + " is empty: it must hold the password, or its bcrypt hash";
  } else if (secret.find_first_of("\r\n") != std::string::npos) {
    problem = path + " holds more than one line: it must hold only the password, or its bcrypt hash";
  } else if (has_bcrypt_prefix(secret) && !is_bcrypt_hash(secret)) {
    problem = path + " starts like a bcrypt hash (" + secret.substr(0, 4) +
              ") but is not a whole one: expected the prefix, a cost from 04 to 31, '$', and 53 characters "
              "of salt and hash, as `htpasswd -nBC 10 \"\" | tr -d ':\\n'` writes";
  }
  if (!problem.empty()) {
    wipe(secret);
    return failure("basic_auth.password_file", std::move(problem));
  }

  auto credentials = std::shared_ptr<BasicAuthCredentials>(new BasicAuthCredentials());
  User user{.username_digest = sha256(settings.username), .password_digest = {}, .bcrypt_hash = {}};
  if (has_bcrypt_prefix(secret)) {
    user.bcrypt_hash = secret;
    credentials->decoy_hash_ = decoy_like(secret);
    credentials->fingerprint_ = fingerprint_of({{settings.username, secret}});
  } else {
    user.password_digest = sha256(secret);  // checked at once, nothing to remember: no fingerprint
  }
  credentials->users_.push_back(std::move(user));
  wipe(secret);
  return {.credentials = std::move(credentials), .error = {}, .error_field = {}};
}

BasicAuthCredentialsLoad BasicAuthCredentials::from_users(const BasicAuthUsers& users) {
  auto credentials = std::shared_ptr<BasicAuthCredentials>(new BasicAuthCredentials());
  for (const auto& [username, hash] : users) {
    const std::string field = "basic_auth_users." + username;
    if (username.empty()) return failure(field, "a username must not be empty");
    if (username.find(':') != std::string::npos) {
      return failure(field, "the username \"" + username + "\" contains ':', which basic auth cannot send");
    }
    if (!is_bcrypt_hash(hash)) {
      return failure(field, "the password of \"" + username +
                                "\" is not a bcrypt hash: expected \"$2a$\", \"$2b$\" or \"$2y$\", a cost from "
                                "04 to 31, '$', and 53 characters of salt and hash, as `htpasswd -nBC 10 \"\" | tr -d "
                                "':\\n'` writes");
    }
    credentials->users_.push_back(User{.username_digest = sha256(username), .password_digest = {}, .bcrypt_hash = hash});
  }
  if (users.empty()) return failure("basic_auth_users", "no users");
  // The costliest of the users' hashes: an unknown name takes no less time
  // than any known one.
  const auto costliest = std::max_element(users.begin(), users.end(), [](const auto& a, const auto& b) {
    return a.second.substr(4, 2) < b.second.substr(4, 2);
  });
  credentials->decoy_hash_ = decoy_like(costliest->second);
  credentials->fingerprint_ = fingerprint_of(users);
  return {.credentials = std::move(credentials), .error = {}, .error_field = {}};
}

BasicAuthCredentials::QuickVerdict BasicAuthCredentials::check_quickly(const PresentedCredentials& presented) const {
  if (is_bcrypt_hashed()) return QuickVerdict::needs_bcrypt;
  // Both comparisons always run ('&', not '&&'): a wrong username costs as
  // much as a wrong password. One user only: a plain password comes from a
  // password file.
  const User& user = users_.front();
  const bool username_matches = equal_in_constant_time(sha256(presented.username), user.username_digest);
  const bool password_matches = equal_in_constant_time(sha256(presented.password), user.password_digest);
  // `&`, not `&&`: both comparisons are made, whatever the first gives.
  return (username_matches & password_matches) ? QuickVerdict::accepted : QuickVerdict::rejected;
}

const std::string& BasicAuthCredentials::hash_for(const PresentedCredentials& presented, bool* known) const {
  const Sha256Digest presented_digest = sha256(presented.username);
  const std::string* hash = &decoy_hash_;
  *known = false;
  // Every username is compared, whichever matches.
  for (const User& user : users_) {
    const bool matches = equal_in_constant_time(presented_digest, user.username_digest);
    if (matches) hash = &user.bcrypt_hash;
    *known |= matches;
  }
  return *hash;
}

bool BasicAuthCredentials::check_with_bcrypt(const PresentedCredentials& presented) const {
  bool known = false;
  const std::string& hash = hash_for(presented, &known);
  // Hashed even when the username is unknown, so that the answer comes no sooner.
  const bool password_matches = bcrypt_matches(presented.password, hash);
  return known & password_matches;
}

}  // namespace gleaner::http
