#include "common/metrics/names.h"

namespace gleaner::metrics {
namespace {

template <typename Allowed>
bool matches(std::string_view name, Allowed allowed) {
  if (name.empty() || is_ascii_digit(name.front())) return false;
  for (char c : name) {
    if (!allowed(c)) return false;
  }
  return true;
}

template <typename Allowed>
std::string sanitize(std::string_view name, Allowed allowed) {
  std::string out;
  out.reserve(name.size() + 1);
  if (name.empty() || is_ascii_digit(name.front())) out.push_back('_');
  for (char c : name) out.push_back(allowed(c) ? c : '_');
  return out;
}

// Length of the valid UTF-8 sequence at the start of text, or 0.
std::size_t utf8_sequence_length(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead >= 0x01 && lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char min_second = 0x80, max_second = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) min_second = 0xA0;  // no overlong forms
    if (lead == 0xED) max_second = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) min_second = 0x90;
    if (lead == 0xF4) max_second = 0x8F;  // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  if (byte(1) < min_second || byte(1) > max_second) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
  }
  return length;
}

}  // namespace

bool is_valid_metric_name(std::string_view name) { return matches(name, is_metric_name_char); }
bool is_valid_label_name(std::string_view name) { return matches(name, is_label_name_char); }
std::string sanitize_metric_name(std::string_view name) { return sanitize(name, is_metric_name_char); }
std::string sanitize_label_name(std::string_view name) { return sanitize(name, is_label_name_char); }

std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const std::size_t length = utf8_sequence_length(text);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      text.remove_prefix(1);
    } else {
      out.append(text.substr(0, length));
      text.remove_prefix(length);
    }
  }
  return out;
}

std::string escape_help(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace gleaner::metrics
