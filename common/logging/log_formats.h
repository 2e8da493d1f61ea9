#pragma once
// How an event becomes a line on standard error, or fields for journald
// (README "What is logged"). Every text an event carries, its message and
// its values, is escaped first (log_escape.h), whatever the format: a value
// from a command's stderr cannot break a line, a JSON document or a logfmt
// pair, and every line is valid UTF-8.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/logging/log_event.h"

namespace gleaner::logging {

enum class Format { text, json, logfmt };

// "text", "json", "logfmt"; nullopt for anything else.
std::optional<Format> parse_format(std::string_view name);

// RFC 3339 in UTC with milliseconds: "2026-11-30T06:22:23.123Z".
std::string rfc3339_utc(std::chrono::system_clock::time_point time);

// {"time":"…","level":"warning","message":"…","collector":"disk",…} and no
// newline; numbers unquoted.
std::string format_json(const Event& event);

// time=… level=warning msg="…" collector=disk …, no newline. A value is
// quoted when it is empty or holds a space, '=', '"' or '\\'; inside
// quotes '"' and '\\' take a backslash.
std::string format_logfmt(const Event& event);

// The syslog priority journald records for a level: 7 debug, 6 info,
// 4 warning, 3 error, 2 critical.
int syslog_priority(spdlog::level::level_enum level);

// "MESSAGE=…", "PRIORITY=4", "SYSLOG_IDENTIFIER=gleaner", then each field
// as KEY=value, its key in upper case ("COLLECTOR=disk").
std::vector<std::string> journal_fields(const Event& event);

}  // namespace gleaner::logging
