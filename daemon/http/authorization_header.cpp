#include "daemon/http/authorization_header.h"

#include <array>
#include <cstdint>

#include "daemon/http/ascii_case.h"

namespace gleaner::http {
namespace {

constexpr std::string_view kScheme = "Basic";

// The value of each base64 character (RFC 4648, section 4), or -1.
constexpr std::array<std::int8_t, 256> kSextets = [] {
  std::array<std::int8_t, 256> table{};
  table.fill(-1);
  constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}();

// Padded base64, strictly: a length that is a multiple of four, and "="
// only as the last one or two characters.
std::optional<std::string> decode_base64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  const std::size_t padding = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
  std::string decoded;
  decoded.reserve(text.size() / 4 * 3);
  std::uint32_t bits = 0;
  int bit_count = 0;
  for (const char c : text.substr(0, text.size() - padding)) {
    const int sextet = kSextets[static_cast<unsigned char>(c)];
    if (sextet < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(sextet);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      decoded.push_back(static_cast<char>((bits >> bit_count) & 0xFF));
    }
  }
  // The bits the padding leaves over must be zero in canonical base64.
  if ((bits & ((1u << bit_count) - 1)) != 0) return std::nullopt;
  return decoded;
}

}  // namespace

std::optional<PresentedCredentials> parse_basic_authorization(std::string_view field_value) {
  if (field_value.size() <= kScheme.size() || !iequals_ascii(field_value.substr(0, kScheme.size()), kScheme) ||
      field_value[kScheme.size()] != ' ') {
    return std::nullopt;
  }
  std::string_view token = field_value.substr(kScheme.size());
  token.remove_prefix(std::min(token.find_first_not_of(' '), token.size()));
  token = token.substr(0, token.find_last_not_of(" \t") + 1);
  std::optional<std::string> decoded = decode_base64(token);
  if (!decoded) return std::nullopt;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return PresentedCredentials{.username = decoded->substr(0, colon), .password = decoded->substr(colon + 1)};
}

}  // namespace gleaner::http
