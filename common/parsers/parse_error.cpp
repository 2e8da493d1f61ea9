#include "common/parsers/parse_error.h"

#include "common/metrics/names.h"

namespace gleaner::parsers {
namespace {

constexpr std::size_t kQuoteLimit = 48;

// Escapes what a terminal or log would misread; leaves other bytes for
// sanitize_utf8 to judge.
std::string escape_controls(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xf]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string quote(std::string_view text) {
  const bool cut = text.size() > kQuoteLimit;
  if (cut) {
    text = text.substr(0, kQuoteLimit);
    // Do not split a UTF-8 sequence: drop continuation bytes at the cut.
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.remove_suffix(1);
    if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.remove_suffix(1);
  }
  return "\"" + metrics::sanitize_utf8(escape_controls(text)) + (cut ? "…\"" : "\"");
}

std::string at_line(std::size_t line, std::string_view message) {
  return "line " + std::to_string(line) + ": " + std::string(message);
}

std::string describe_series(std::string_view name, const metrics::Labels& labels) {
  // A Prometheus line may carry thousands of labels: name the first few.
  constexpr std::size_t kLabelsShown = 8;
  std::string text = metrics::sanitize_utf8(name.substr(0, kQuoteLimit));
  if (labels.empty()) return text;
  text += "{";
  for (std::size_t i = 0; i < labels.size() && i < kLabelsShown; ++i) {
    if (i > 0) text += ",";
    text += metrics::sanitize_utf8(std::string_view(labels[i].name).substr(0, kQuoteLimit));
    text += "=" + quote(labels[i].value);
  }
  if (labels.size() > kLabelsShown) text += ",… " + std::to_string(labels.size() - kLabelsShown) + " more";
  return text + "}";
}

}  // namespace gleaner::parsers
