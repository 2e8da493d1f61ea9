#pragma once
// ASCII case-insensitive equality, for header names, media types, codings
// and auth schemes (RFC 9110: case-insensitive tokens). Written here rather
// than taken from Beast: Boost 1.81's beast::iequals reads one byte past the
// end of both strings when they differ only in case ("text/plAin"), and
// every string compared here comes from a client.

#include <cstddef>
#include <string_view>

namespace gleaner::http {

inline bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace gleaner::http
