#include "common/logging/log_escape.h"

#include <cstdint>
#include <cstdio>

namespace gleaner::logging {
namespace {

void append_byte_escape(unsigned char byte, std::string& out) {
  switch (byte) {
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: break;
  }
  char text[8];
  std::snprintf(text, sizeof text, "\\x%02x", byte);
  out += text;
}

// Code points that are valid UTF-8 but change how a line reads: C1
// controls (0x9b is a CSI on some terminals), NEL and the line and
// paragraph separators (line breaks to some viewers), and the marks that
// reorder text (the "Trojan Source" trick).
bool is_unsafe_code_point(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
         (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

// The length of the valid UTF-8 sequence starting text[0] and its code
// point, or 0 if it is not one (overlong forms and surrogates included).
std::size_t decode_utf8(std::string_view text, std::uint32_t& cp) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xbf;  // the second byte's range
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
    cp = lead & 0x1f;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    cp = lead & 0x0f;
    if (lead == 0xe0) low = 0xa0;
    if (lead == 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    cp = lead & 0x07;
    if (lead == 0xf0) low = 0x90;
    if (lead == 0xf4) high = 0x8f;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char next = byte(i);
    if (next < (i == 1 ? low : 0x80) || next > (i == 1 ? high : 0xbf)) return 0;
    cp = (cp << 6) | (next & 0x3f);
  }
  return length;
}

void append_code_point_escape(std::uint32_t cp, std::string& out) {
  char text[12];
  std::snprintf(text, sizeof text, "\\u%04x", static_cast<unsigned>(cp));
  out += text;
}

}  // namespace

bool is_log_safe(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) return false;  // anything not ASCII takes the slow path
  }
  return true;
}

void append_escaped(std::string_view text, std::string& out) {
  out.reserve(out.size() + text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7f) {
      out += static_cast<char>(byte);
      ++i;
      continue;
    }
    if (byte < 0x80) {  // C0 controls and DEL
      append_byte_escape(byte, out);
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t length = decode_utf8(text.substr(i), cp);
    if (length == 0) {
      append_byte_escape(byte, out);
      ++i;
    } else if (is_unsafe_code_point(cp)) {
      append_code_point_escape(cp, out);
      i += length;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
}

std::string escape_for_log(std::string_view text) {
  std::string out;
  append_escaped(text, out);
  return out;
}

}  // namespace gleaner::logging
