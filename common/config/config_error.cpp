#include "common/config/config_error.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace gleaner::config {
namespace {

// Messages quote what the file says, and a quoted "a\nb" or a stray
// carriage return would break format()'s one error per line: the second
// half would read as a line without its FILE:LINE:COLUMN. So line breaks
// and other control characters are written as escapes, as in YAML itself.
std::string one_line(std::string message) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto is_control = [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && c != '\t') || byte == 0x7f;
  };
  if (std::none_of(message.begin(), message.end(), is_control)) return message;
  std::string out;
  for (char c : message) {
    const auto byte = static_cast<unsigned char>(c);
    if (!is_control(c)) {
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += "\\x";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xf]);
    }
  }
  return out;
}

}  // namespace

std::string ConfigError::format() const {
  return mark.file + ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column) + ": " + message;
}

Mark ErrorList::mark_of(const YAML::Node& node) const {
  // The value of an absent key (a const map's node["key"]) is an invalid
  // node, whose Mark() throws: an error about it must not become a crash.
  if (!node.IsDefined()) return Mark{file_, 0, 0};
  const auto mark = node.Mark();
  if (mark.is_null()) return Mark{file_, 0, 0};
  return Mark{file_, mark.line + 1, mark.column + 1};
}

void ErrorList::add(const YAML::Node& node, std::string message) {
  errors_.push_back(ConfigError{mark_of(node), one_line(std::move(message))});
}

void ErrorList::add(Mark mark, std::string message) {
  errors_.push_back(ConfigError{std::move(mark), one_line(std::move(message))});
}

void ErrorList::append(const ErrorList& other) {
  errors_.insert(errors_.end(), other.errors_.begin(), other.errors_.end());
  warnings_.insert(warnings_.end(), other.warnings_.begin(), other.warnings_.end());
}

void ErrorList::warn(const YAML::Node& node, std::string message) {
  warnings_.push_back(ConfigError{mark_of(node), "warning: " + one_line(std::move(message))});
}

namespace {

std::string format_lines(const std::vector<ConfigError>& list) {
  std::string text;
  for (const auto& entry : list) text += entry.format() + "\n";
  return text;
}

}  // namespace

std::string ErrorList::format() const { return format_lines(errors_); }

std::string ErrorList::format_warnings() const { return format_lines(warnings_); }

}  // namespace gleaner::config
