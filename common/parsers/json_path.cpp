#include "common/parsers/json_path.h"

#include <charconv>

namespace gleaner::parsers {
namespace {

// After '[': a quoted key or an index, then ']'. Advances `pos` past it.
std::string read_bracket(std::string_view text, std::size_t& pos, JsonPathStep& step) {
  ++pos;  // '['
  if (pos < text.size() && text[pos] == '"') {
    ++pos;
    while (pos < text.size() && text[pos] != '"') {
      if (text[pos] == '\\' && pos + 1 < text.size()) ++pos;
      step.key.push_back(text[pos++]);
    }
    if (pos >= text.size()) return "a quoted key has no closing '\"'";
    ++pos;  // '"'
  } else {
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    const auto [end, error] = std::from_chars(text.data() + start, text.data() + pos, step.index);
    if (pos == start || error != std::errc() || end != text.data() + pos) {
      return "expected an array index (0, 1, …) or a quoted key after '['";
    }
    step.is_index = true;
  }
  if (pos >= text.size() || text[pos] != ']') return "expected ']'";
  ++pos;
  return "";
}

}  // namespace

std::optional<JsonPath> parse_json_path(std::string_view text, std::string& error) {
  JsonPath path{std::string(text), {}};
  if (text.empty()) {
    error = "empty path (write \".\" for the element itself)";
    return std::nullopt;
  }
  std::size_t pos = 0;
  if (text.front() == '.') {
    if (text.size() == 1) return path;
    ++pos;
  }
  bool need_step = true;    // at the start and after '.'
  bool key_allowed = true;  // a bare key may not follow ']' without a '.'
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '[') {
      JsonPathStep step;
      if (error = read_bracket(text, pos, step); !error.empty()) return std::nullopt;
      path.steps.push_back(std::move(step));
      need_step = false;
      key_allowed = false;
    } else if (c == '.') {
      if (need_step) {
        error = "empty key before '.'";
        return std::nullopt;
      }
      ++pos;
      need_step = true;
      key_allowed = true;
    } else if (c == ']') {
      error = "']' without '['";
      return std::nullopt;
    } else {
      if (!key_allowed) {
        error = "expected '.' or '[' after ']'";
        return std::nullopt;
      }
      const std::size_t end = text.find_first_of(".[]", pos);
      const std::size_t stop = end == std::string_view::npos ? text.size() : end;
      path.steps.push_back(JsonPathStep{std::string(text.substr(pos, stop - pos)), 0, false});
      pos = stop;
      need_step = false;
      key_allowed = false;
    }
  }
  if (need_step) {
    error = "the path ends with '.'";
    return std::nullopt;
  }
  return path;
}

}  // namespace gleaner::parsers
