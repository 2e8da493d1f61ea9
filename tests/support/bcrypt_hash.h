#pragma once
// A bcrypt hash of a password made by libxcrypt itself (the library
// gleaner checks passwords with), with a fresh salt: what `htpasswd -B` or
// a Python bcrypt module would write into a password file.

#include <crypt.h>

#include <memory>
#include <string>

namespace gleaner::testing {

// "" if libxcrypt refused; cost 4 (its least) keeps tests fast.
inline std::string bcrypt_hash(const std::string& password, const char* prefix = "$2b$", unsigned long cost = 4) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn(prefix, cost, nullptr, 0, setting, sizeof setting) == nullptr) return {};
  auto scratch = std::make_unique<crypt_data>();
  const char* hash = crypt_rn(password.c_str(), setting, scratch.get(), sizeof(crypt_data));
  return hash != nullptr ? hash : "";
}

}  // namespace gleaner::testing
