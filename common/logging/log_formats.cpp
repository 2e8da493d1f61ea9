#include "common/logging/log_formats.h"

#include <nlohmann/json.hpp>

#include <ctime>

#include "common/logging/log_escape.h"

namespace gleaner::logging {
namespace {

std::string_view level_name(spdlog::level::level_enum level) {
  const auto name = spdlog::level::to_string_view(level);
  return {name.data(), name.size()};
}

bool needs_logfmt_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (const char c : value) {
    if (c == ' ' || c == '=' || c == '"' || c == '\\') return true;
  }
  return false;
}

// value is escaped already: no control characters are left in it.
void append_logfmt_value(std::string_view value, std::string& out) {
  if (!needs_logfmt_quotes(value)) {
    out += value;
    return;
  }
  out += '"';
  for (const char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

// Journald takes field names of upper-case letters, digits and '_', not
// starting with '_' (those are its own, trusted fields).
std::string journal_key(std::string_view key) {
  std::string name;
  for (const char c : key) {
    if (c >= 'a' && c <= 'z') {
      name += static_cast<char>(c - 'a' + 'A');
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      name += c;
    } else {
      name += '_';
    }
  }
  if (name.empty() || name.front() == '_' || (name.front() >= '0' && name.front() <= '9')) name.insert(0, "F");
  return name;
}

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  if (name == "text") return Format::text;
  if (name == "json") return Format::json;
  if (name == "logfmt") return Format::logfmt;
  return std::nullopt;
}

std::string rfc3339_utc(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = floor<std::chrono::seconds>(since_epoch);
  const auto millis = duration_cast<milliseconds>(since_epoch - seconds).count();
  const std::time_t whole = seconds.count();
  std::tm parts{};
  ::gmtime_r(&whole, &parts);
  char text[40];
  const auto length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
  std::snprintf(text + length, sizeof text - length, ".%03dZ", static_cast<int>(millis));
  return text;
}

std::string format_json(const Event& event) {
  // Ordered: time, level and message first, where a reader looks.
  nlohmann::ordered_json object;
  object["time"] = rfc3339_utc(event.time);
  object["level"] = level_name(event.level);
  object["message"] = escape_for_log(event.message);
  for (const auto& field : event.fields) {
    if (field.number) {
      object[field.key] = nlohmann::ordered_json::parse(field.value);
    } else {
      object[field.key] = escape_for_log(field.value);
    }
  }
  // Escaped text is valid UTF-8; "replace" is there so that dump can never throw.
  return object.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string format_logfmt(const Event& event) {
  std::string line = "time=" + rfc3339_utc(event.time) + " level=";
  line += level_name(event.level);
  line += " msg=";
  append_logfmt_value(escape_for_log(event.message), line);
  for (const auto& field : event.fields) {
    line += ' ';
    line += field.key;
    line += '=';
    append_logfmt_value(escape_for_log(field.value), line);
  }
  return line;
}

int syslog_priority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug: return 7;
    case spdlog::level::warn: return 4;
    case spdlog::level::err: return 3;
    case spdlog::level::critical: return 2;
    default: return 6;
  }
}

std::vector<std::string> journal_fields(const Event& event) {
  std::vector<std::string> fields;
  fields.reserve(3 + event.fields.size());
  fields.push_back("MESSAGE=" + escape_for_log(event.message));
  fields.push_back("PRIORITY=" + std::to_string(syslog_priority(event.level)));
  fields.push_back("SYSLOG_IDENTIFIER=gleaner");
  for (const auto& field : event.fields) fields.push_back(journal_key(field.key) + "=" + escape_for_log(field.value));
  return fields;
}

}  // namespace gleaner::logging
