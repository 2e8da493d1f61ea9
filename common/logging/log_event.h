#pragma once
// One log event: a message for people and fields for machines. A call site
// that knows what an event is about (a collector, a reason, a command)
// passes it as fields besides writing it in the message, so that a log
// pipeline can select on them without parsing sentences:
//
//   logging::event(spdlog::level::warn, "collector disk failed (timeout): ...",
//                  {{"event", "collector_failed"}, {"collector", "disk"}, {"reason", "timeout"}});
//
// The text format shows the message alone (it says everything); json and
// logfmt add the fields as keys, journald as fields of its own (README
// "What is logged").

#include <spdlog/common.h>

#include <chrono>
#include <concepts>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gleaner::logging {

struct Field {
  Field(std::string_view key, std::string_view text) : key(key), value(text) {}
  // A number: written unquoted in JSON.
  template <std::integral Number>
    requires(!std::same_as<Number, bool> && !std::same_as<Number, char>)
  Field(std::string_view key, Number number) : key(key), value(std::to_string(number)), number(true) {}

  std::string key;  // lower snake case: "collector", "exit_code"
  std::string value;
  bool number = false;
};

using Fields = std::vector<Field>;

struct Event {
  std::chrono::system_clock::time_point time;
  spdlog::level::level_enum level;
  std::string_view message;
  std::span<const Field> fields;
};

// Logs through the default logger's sink, if level is enabled. Message and
// values are escaped on the way out, as every log line is.
void event(spdlog::level::level_enum level, std::string_view message, std::span<const Field> fields);
void event(spdlog::level::level_enum level, std::string_view message, std::initializer_list<Field> fields = {});

}  // namespace gleaner::logging
