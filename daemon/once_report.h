#pragma once
// What `gleaner --once --verbose` prints on stderr (README "Command line"):
// each command a collector ran, whole, and what its run came to. The tool a
// user reaches for when a collector is down, so it shows what the command
// did rather than gleaner's verdict alone.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/plugin_api.h"

namespace gleaner::daemon {

// How much of each of a command's streams is shown.
inline constexpr std::size_t kShownOutputBytes = 64 * 1024;

// The first `limit` bytes of text, each line prefixed "  | ", then
// "  … N more bytes" when there were more.
std::string show_output(std::string_view text, std::size_t limit = kShownOutputBytes);

std::string describe_command_run(const std::string& collector, const subprocess::Command& command,
                                 const subprocess::Result& result);

std::string describe_outcome(const std::string& collector, const plugins::CollectOutcome& outcome);

// A line about what a collector read without a command (a textfile).
std::string describe_detail(const std::string& collector, const std::string& line);

}  // namespace gleaner::daemon
