#include "daemon/http/bcrypt.h"

#include <crypt.h>
#include <openssl/crypto.h>

#include <cstring>
#include <memory>

namespace gleaner::http {
namespace {

constexpr std::size_t kHashSize = 60;  // "$2b$" + "12" + "$" + 22 characters of salt + 31 of hash
constexpr std::string_view kAlphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

}  // namespace

bool has_bcrypt_prefix(std::string_view text) {
  return text.starts_with("$2a$") || text.starts_with("$2b$") || text.starts_with("$2y$");
}

bool is_bcrypt_hash(std::string_view text) {
  if (text.size() != kHashSize || !has_bcrypt_prefix(text)) return false;
  const char tens = text[4];
  const char ones = text[5];
  if (tens < '0' || tens > '3' || ones < '0' || ones > '9' || text[6] != '$') return false;
  const int cost = (tens - '0') * 10 + (ones - '0');
  if (cost < 4 || cost > 31) return false;
  return text.substr(7).find_first_not_of(kAlphabet) == std::string_view::npos;
}

bool bcrypt_matches(std::string_view password, const std::string& hash) {
  if (password.find('\0') != std::string_view::npos || !is_bcrypt_hash(hash)) return false;
  const std::string phrase(password);
  // crypt_rn's scratch space is 32 KiB: on the heap, not the worker's stack.
  auto scratch = std::make_unique<crypt_data>();
  const char* computed = crypt_rn(phrase.c_str(), hash.c_str(), scratch.get(), sizeof(crypt_data));
  const bool matches = computed != nullptr && std::strlen(computed) == hash.size() &&
                       CRYPTO_memcmp(computed, hash.data(), hash.size()) == 0;
  return matches;
}

}  // namespace gleaner::http
