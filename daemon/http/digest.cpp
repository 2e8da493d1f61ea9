#include "daemon/http/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>
#include <string>

namespace gleaner::http {

Sha256Digest sha256(std::string_view data) {
  Sha256Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 || size != digest.size()) {
    // Only a broken OpenSSL installation gets here; answering with a
    // digest of nothing would make every secret look alike.
    throw std::runtime_error("OpenSSL could not compute a SHA-256 digest");
  }
  return digest;
}

Sha256Digest hmac_sha256(const Sha256Digest& key, std::string_view data) {
  Sha256Digest digest{};
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), digest.data(), &size) == nullptr ||
      size != digest.size()) {
    throw std::runtime_error("OpenSSL could not compute an HMAC-SHA256");
  }
  return digest;
}

Sha256Digest random_key() {
  Sha256Digest key{};
  // Only an unseeded or broken generator fails; a predictable key would
  // make the digests testable offline.
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
    throw std::runtime_error("OpenSSL could not draw a random key");
  }
  return key;
}

bool equal_in_constant_time(const Sha256Digest& a, const Sha256Digest& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void wipe(std::string& text) {
  // glibc's explicit_bzero (the compiler may not leave it out either):
  // clearing needs nothing of OpenSSL's.
  if (!text.empty()) explicit_bzero(text.data(), text.size());
  text.clear();
}

}  // namespace gleaner::http
