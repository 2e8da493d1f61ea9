#pragma once
// Logging set-up: spdlog to standard error, one line per event. Under
// systemd (JOURNAL_STREAM set) each line starts with a syslog priority
// ("<4>") so journald records the level, and without a timestamp, which
// journald adds itself.

#include <optional>
#include <string_view>

#include <spdlog/common.h>

namespace gleaner::logging {

void setup();

// "trace", "debug", "info", "warn", "error"; nullopt for anything else.
std::optional<spdlog::level::level_enum> parse_level(std::string_view name);
void set_level(spdlog::level::level_enum level);

}  // namespace gleaner::logging
