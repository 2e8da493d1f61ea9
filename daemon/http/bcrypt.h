#pragma once
// bcrypt password hashes ("$2b$12$..."), as htpasswd -B and Prometheus'
// exporter-toolkit write them, checked with the system's libxcrypt. A check
// costs tens of milliseconds by design: never call bcrypt_matches on the
// io thread.

#include <string>
#include <string_view>

namespace gleaner::http {

// Whether text starts like a bcrypt hash: "$2a$", "$2b$" or "$2y$".
bool has_bcrypt_prefix(std::string_view text);

// Whether text is a whole, well-formed bcrypt hash: a prefix, a cost from
// 04 to 31, "$", then 53 characters of bcrypt's base-64 alphabet. Cheap:
// nothing is hashed.
bool is_bcrypt_hash(std::string_view text);

// Whether password hashes to hash. A password holding a NUL byte never
// matches: crypt() would see only what comes before it.
bool bcrypt_matches(std::string_view password, const std::string& hash);

}  // namespace gleaner::http
