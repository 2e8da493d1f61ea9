#pragma once
// Paths into a JSON document, as the configuration writes them:
//
//   a.b[0].c      keys and array indices
//   [2].x         starting at an array
//   disk-usage.x  keys are anything but '.', '[' and ']'
//   ["a.b"].c     a quoted key may hold those too (\" and \\ escaped)
//   .a.b          a leading '.' is allowed, as jq users write it
//   .             the element itself

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gleaner::parsers {

struct JsonPathStep {
  std::string key;  // when !is_index
  std::size_t index = 0;
  bool is_index = false;
};

struct JsonPath {
  std::string text;  // as written, for messages
  std::vector<JsonPathStep> steps;
};

// The path, or nullopt with `error` saying what is wrong with it.
std::optional<JsonPath> parse_json_path(std::string_view text, std::string& error);

}  // namespace gleaner::parsers
