#pragma once
// SHA-256 digests, the form in which secrets are kept and compared: two
// digests have the same length whatever the secrets' lengths, so comparing
// them in constant time hides both the content and the length of a secret.

#include <array>
#include <string_view>

namespace gleaner::http {

using Sha256Digest = std::array<unsigned char, 32>;

Sha256Digest sha256(std::string_view data);

// Takes the same time whether or not, and wherever, the digests differ.
bool equal_in_constant_time(const Sha256Digest& a, const Sha256Digest& b);

// Overwrites text in a way the compiler may not leave out: for secrets
// that are no longer needed.
void wipe(std::string& text);

}  // namespace gleaner::http
