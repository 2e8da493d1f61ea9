#include "http/basic_auth_credentials.h"

#include "files/bounded_file.h"
#include "http/bcrypt.h"

namespace gleaner::http {
namespace {

constexpr std::size_t kMaxPasswordFileBytes = 64 * 1024;

BasicAuthCredentialsLoad failure(std::string field, std::string error) {
  return {.credentials = nullptr, .error = std::move(error), .error_field = std::move(field)};
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
  credentials->username_digest_ = sha256(settings.username);
  if (has_bcrypt_prefix(secret)) {
    credentials->bcrypt_hash_ = secret;
    // The username cannot contain ':', so the joined text is unambiguous.
    credentials->fingerprint_ = sha256(settings.username + ":" + secret);
  } else {
    credentials->password_digest_ = sha256(secret);  // checked at once, nothing to remember: no fingerprint
  }
  wipe(secret);
  return {.credentials = std::move(credentials), .error = {}, .error_field = {}};
}

BasicAuthCredentials::QuickVerdict BasicAuthCredentials::check_quickly(const PresentedCredentials& presented) const {
  if (is_bcrypt_hashed()) return QuickVerdict::needs_bcrypt;
  // Both comparisons always run ('&', not '&&'): a wrong username costs as
  // much as a wrong password.
  const bool username_matches = equal_in_constant_time(sha256(presented.username), username_digest_);
  const bool password_matches = equal_in_constant_time(sha256(presented.password), password_digest_);
  return username_matches & password_matches ? QuickVerdict::accepted : QuickVerdict::rejected;
}

bool BasicAuthCredentials::check_with_bcrypt(const PresentedCredentials& presented) const {
  const bool username_matches = equal_in_constant_time(sha256(presented.username), username_digest_);
  // Hashed even when the username is wrong, so that the answer comes no sooner.
  const bool password_matches = bcrypt_matches(presented.password, bcrypt_hash_);
  return username_matches & password_matches;
}

}  // namespace gleaner::http
