#pragma once
// Logging set-up: one line per event on standard error, in the format
// chosen (text, json, logfmt; see log_formats.h). When standard error is
// journald's stream (JOURNAL_STREAM names its device and inode), events go
// to journald natively instead, with their fields. Every message is
// escaped on its way out (see log_escape.h): what a command prints cannot
// forge or rewrite log lines.

#include <memory>
#include <optional>
#include <string_view>

#include <spdlog/common.h>
#include <spdlog/formatter.h>

#include "common/logging/log_event.h"
#include "common/logging/log_formats.h"

namespace gleaner::logging {

void setup();

// Whether journal_stream ("DEVICE:INODE", as systemd sets JOURNAL_STREAM)
// names the file fd is open on. A JOURNAL_STREAM inherited by a process
// whose stderr went elsewhere (a shell in a service, a redirection) does not.
bool journal_stream_is(std::string_view journal_stream, int fd);

// The format of the lines on standard error from now on (not under journald).
void set_format(Format format);

// The formatter setup() installs: with the journald priority prefix and no
// timestamp, or with a timestamp and the level's name.
std::unique_ptr<spdlog::formatter> make_formatter(bool for_journal);

// "trace", "debug", "info", "warn" (or "warning"), "error"; nullopt for anything else.
std::optional<spdlog::level::level_enum> parse_level(std::string_view name);
void set_level(spdlog::level::level_enum level);

}  // namespace gleaner::logging
