#pragma once
// Text taken from a command's output into a label value must be valid UTF-8
// without NULs; most output is plain ASCII, which needs no copy-and-check.

#include <string>
#include <string_view>

#include "common/metrics/names.h"

namespace gleaner::parsers {

inline bool is_plain_ascii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80 || c == '\0') return false;
  }
  return true;
}

inline std::string valid_utf8(std::string_view text) {
  return is_plain_ascii(text) ? std::string(text) : metrics::sanitize_utf8(text);
}

// Keeps the string itself when it is already fine.
inline std::string valid_utf8(std::string&& text) {
  return is_plain_ascii(text) ? std::move(text) : metrics::sanitize_utf8(text);
}

}  // namespace gleaner::parsers
