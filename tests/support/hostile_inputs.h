#pragma once
// Bytes no command should print, and some do: every parser gets them, and
// must answer with an error or valid families.

#include <string>
#include <vector>

namespace gleaner::testing {

struct HostileInput {
  std::string name;
  std::string text;
};

inline std::vector<HostileInput> hostile_inputs() {
  static constexpr char kNulBytes[] = "a\0b=1\nmetric{l=\"x\0y\"} 2\n\0";
  std::vector<HostileInput> inputs = {
      {"empty", ""},
      {"only_newlines", "\n\n\r\n"},
      {"garbage", "\x01\x02\x7f}{][=:;|'\"\\#"},
      {"invalid_utf8", "caf\xc3 \xff\xfe=1\nname{a=\"\xed\xa0\x80\"} 1\nx \xe2\x82 2\n"},
      {"overlong_utf8", "\xc0\xaf=1\nk: \xe0\x80\xaf\n"},
      {"crlf", "a=1\r\nb: 2\r\nc 3\r\n"},
      {"lone_carriage_returns", "a=1\rb=2\r"},
      {"truncated_label", "metric{label=\"val"},
      {"truncated_json", "{\"a\": [1, 2"},
      {"truncated_perfdata", "OK | 'unclosed=1;2;3"},
      {"only_separators", "|||;;;===:::"},
  };
  inputs.push_back({"nul_bytes", std::string(kNulBytes, sizeof kNulBytes - 1)});
  inputs.push_back({"five_megabyte_line", std::string(5 * 1024 * 1024, 'x')});
  inputs.push_back({"five_megabyte_numbers", std::string(5 * 1024 * 1024, '7')});
  std::string long_value = "m{l=\"" + std::string(5 * 1024 * 1024, 'v') + "\"} 1\n";
  inputs.push_back({"five_megabyte_label", long_value});
  return inputs;
}

}  // namespace gleaner::testing
