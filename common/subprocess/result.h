#pragma once
// What came of a run: the output side of the subprocess layer.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gleaner::subprocess {

// Why a run failed in the layer itself. A non-zero exit code is not a
// failure here: which codes count as success is the caller's business.
enum class RunFailure {
  none,
  spawn,         // could not start: not found, not executable, bad working dir…
  timeout,       // still running at its timeout; the group was terminated
  output_limit,  // printed more than max_output; the group was killed
  cancelled,     // the caller cancelled it, or the runner shut down
  output_closed,  // a stream closed its stdout and kept running (its group was terminated), or a persistent command exited or closed it
};

std::string_view to_string(RunFailure failure);

struct Result {
  std::optional<int> exit_code;    // set when the command exited
  std::optional<int> term_signal;  // set when a signal ended it
  std::string stdout_data;         // whole output (empty for a stream)
  std::string stderr_tail;         // the last 4 KiB of standard error
  std::chrono::nanoseconds duration{0};
  // When it was spawned (after any wait for a place); unset if it never was.
  std::chrono::steady_clock::time_point started_at{};
  RunFailure failure = RunFailure::none;
  std::string failure_message;  // what a user can act on, e.g. the errno text

  bool exited_with(int code) const { return failure == RunFailure::none && exit_code == code; }

  // "exit code 3", "killed by signal 9 (Killed)", "timeout after 200ms", …
  std::string describe() const;
};

}  // namespace gleaner::subprocess
