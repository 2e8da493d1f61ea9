#include "http/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

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

bool equal_in_constant_time(const Sha256Digest& a, const Sha256Digest& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void wipe(std::string& text) {
  if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
  text.clear();
}

}  // namespace gleaner::http
