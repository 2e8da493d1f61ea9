#pragma once
// Logging set-up: spdlog to standard error, one line per event. Under
// systemd (JOURNAL_STREAM set) each line starts with a syslog priority
// ("<4>") so journald records the level, and without a timestamp, which
// journald adds itself. Every message is escaped on its way out (see
// log_escape.h): what a command prints cannot forge or rewrite log lines.

#include <memory>
#include <optional>
#include <string_view>

#include <spdlog/common.h>
#include <spdlog/formatter.h>

namespace gleaner::logging {

void setup();

// The formatter setup() installs: with the journald priority prefix and no
// timestamp, or with a timestamp and the level's name.
std::unique_ptr<spdlog::formatter> make_formatter(bool for_journal);

// "trace", "debug", "info", "warn", "error"; nullopt for anything else.
std::optional<spdlog::level::level_enum> parse_level(std::string_view name);
void set_level(spdlog::level::level_enum level);

}  // namespace gleaner::logging
