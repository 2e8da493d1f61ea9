#pragma once
// Reading back a logfmt line as go-logfmt reads it, to judge what gleaner
// writes with --log-format logfmt (README "What is logged").

#include <algorithm>
#include <map>
#include <optional>
#include <string>

namespace gleaner::testing {

// key=value pairs separated by single spaces, a value bare or in double
// quotes with \" and \\ inside; nullopt if the line is not that (no '=', an
// empty key or one with a space or quote, an unterminated quote, no space
// after a value).
inline std::optional<std::map<std::string, std::string>> parse_logfmt(const std::string& line) {
  std::map<std::string, std::string> pairs;
  std::size_t i = 0;
  while (i < line.size()) {
    const auto eq = line.find('=', i);
    if (eq == std::string::npos || eq == i) return std::nullopt;
    const auto key = line.substr(i, eq - i);
    if (key.find_first_of(" \"") != std::string::npos) return std::nullopt;
    std::string value;
    i = eq + 1;
    if (i < line.size() && line[i] == '"') {
      for (++i;; ++i) {
        if (i >= line.size()) return std::nullopt;
        if (line[i] == '\\' && i + 1 < line.size()) {
          value += line[++i];
        } else if (line[i] == '"') {
          ++i;
          break;
        } else {
          value += line[i];
        }
      }
    } else {
      const auto end = std::min(line.find(' ', i), line.size());
      value = line.substr(i, end - i);
      i = end;
    }
    if (i < line.size() && line[i++] != ' ') return std::nullopt;
    pairs[key] = value;
  }
  return pairs;
}

}  // namespace gleaner::testing
