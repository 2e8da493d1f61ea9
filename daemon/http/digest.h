#pragma once
// SHA-256 digests, the form in which secrets are kept and compared: two
// digests have the same length whatever the secrets' lengths, so comparing
// them in constant time hides both the content and the length of a secret.

#include <array>
#include <string_view>

namespace gleaner::http {

using Sha256Digest = std::array<unsigned char, 32>;

Sha256Digest sha256(std::string_view data);

// HMAC-SHA256 of data under key: a digest that only the key's holder can
// compute, so one of a guessable secret cannot be tested offline.
Sha256Digest hmac_sha256(const Sha256Digest& key, std::string_view data);

// 32 bytes from OpenSSL's random generator, for a key.
Sha256Digest random_key();

// Takes the same time whether or not, and wherever, the digests differ.
bool equal_in_constant_time(const Sha256Digest& a, const Sha256Digest& b);

// Overwrites text in a way the compiler may not leave out: for secrets
// that are no longer needed.
void wipe(std::string& text);

}  // namespace gleaner::http
