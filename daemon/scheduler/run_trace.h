#pragma once
// What one run of a collector did, for the log (README "What is logged"):
// the commands it ran, how the last one ended, the bytes they printed. The
// debug line each run writes comes from it, and a failure's line takes its
// command and exit code as fields.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "logging/log_event.h"
#include "plugins/plugin_api.h"

namespace gleaner::daemon {

struct RunTrace {
  std::string command;               // argv quoted as a shell takes it; several joined with "; "
  std::string ended;                 // how the last command ended: "exit code 0", "timeout after 1s"
  std::optional<int> exit_code;      // of the last command
  std::optional<int> signal;         // that ended the last command
  std::uint64_t bytes_read = 0;      // stdout of all its commands
  std::optional<std::chrono::steady_clock::time_point> started;  // unset for a stream's records

  void add(const subprocess::Command& command, const subprocess::Result& result);

  // command, exit_code, signal: what a failure's log line adds.
  logging::Fields command_fields() const;
};

// At debug level, one line for the run:
//   collector disk: ran df -P -T -B1 (exit code 0) in 12ms, read 2345 bytes, 12 series parsed
// with the fields event=collector_run, collector, command, exit_code,
// duration_ms, bytes_read, series or reason. Nothing when debug is off.
void log_run_at_debug(const std::string& collector, const RunTrace& trace, const plugins::CollectOutcome& outcome);

}  // namespace gleaner::daemon
