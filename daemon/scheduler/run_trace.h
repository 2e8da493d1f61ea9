#pragma once
// What one run of a collector did, for the log (README "What is logged"):
// the commands it ran, how the last one ended, the bytes they printed. The
// debug line each run writes comes from it, and a failure's line takes its
// command and exit code as fields.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/logging/log_event.h"
#include "plugins/plugin_api.h"

namespace gleaner::daemon {

// Every run fills one, but its words are wanted only for a debug line or a
// failure's log line: what each command was and how it ended is kept as it
// came, and quoted or described only when asked.
struct RunTrace {
  subprocess::Result last;       // how the last one ended (its output left out)
  std::uint64_t bytes_read = 0;  // stdout of all its commands
  std::optional<std::chrono::steady_clock::time_point> started;  // unset for a stream's records

  // As a RunTrace{} reads, for the next run, but keeping the storage of
  // this run's argvs: a collector fills one per run, with much the same
  // commands each time.
  void reset();
  void add(const subprocess::Command& command, const subprocess::Result& result);

  bool ran_commands() const { return commands_ != 0; }
  // argv quoted as a shell takes it; several joined with "; ".
  std::string command() const;
  // How the last command ended: "exit code 0", "timeout after 1s".
  std::string ended() const { return last.describe(); }

  // command, exit_code, signal: what a failure's log line adds.
  logging::Fields command_fields() const;

 private:
  // The argv of each command run, in order: the first commands_ of argvs_.
  // Those after them are an earlier run's, kept for their capacity.
  std::vector<std::vector<std::string>> argvs_;
  std::size_t commands_ = 0;
};

// At debug level, one line for the run:
//   collector disk: ran df -P -T -B1 (exit code 0) in 12ms, read 2345 bytes, 12 series parsed
// with the fields event=collector_run, collector, command, exit_code,
// duration_ms, bytes_read, series or reason. Nothing when debug is off.
void log_run_at_debug(const std::string& collector, const RunTrace& trace, const plugins::CollectOutcome& outcome);

}  // namespace gleaner::daemon
