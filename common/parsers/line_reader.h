#pragma once
// Walking a command's output line by line without copying it. Commands print
// '\n' or "\r\n" line ends; the last line may lack one.

#include <cstddef>
#include <cstring>
#include <string_view>

namespace gleaner::parsers {

// The blanks that separate fields on a line. '\r' counts, so that a stray
// carriage return never ends up inside a value.
constexpr bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

constexpr std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

constexpr bool is_blank_line(std::string_view line) { return trim_blanks(line).empty(); }

class LineReader {
 public:
  explicit LineReader(std::string_view text) : rest_(text) {}

  // The next line without its line end, or false past the last line. Text
  // ending in '\n' has no empty line after it.
  bool next(std::string_view& line) {
    if (rest_.empty()) return false;
    ++number_;
    const void* found = std::memchr(rest_.data(), '\n', rest_.size());
    std::size_t length = found ? static_cast<const char*>(found) - rest_.data() : rest_.size();
    line = rest_.substr(0, length);
    rest_.remove_prefix(found ? length + 1 : length);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return true;
  }

  // The 1-based number of the line next() returned last.
  std::size_t number() const { return number_; }

 private:
  std::string_view rest_;
  std::size_t number_ = 0;
};

}  // namespace gleaner::parsers
