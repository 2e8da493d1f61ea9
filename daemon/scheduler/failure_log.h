#pragma once
// What the log says about one collector's failures. A collector failing on
// every run would otherwise write a line per run for as long as it fails (a
// failing stream up to ten a second); the metrics count every failure, and
// the log tells the story once:
//
//   collector disk failed (exit_code): df -P: exit code 1; stderr: ...
//   collector disk still failing (exit_code): 10 times since 2026-11-26T10:00:00Z; latest: ...
//   collector disk recovered after 57 failures
//
// The first failure is logged with its reason and message. While the
// collector keeps failing for the same reason, a reminder comes at the
// kFirstReminder-th failure in a row and then at the first failure after
// each kReminderInterval. A failure for another reason is logged anew, as
// a first one; a success after failures says how many there were.
//
// Each line carries fields for a log pipeline (README "What is logged"):
// event (collector_failed, collector_still_failing, collector_recovered),
// collector, reason, failures (in a row), and what the caller adds about
// the run (command, exit_code, signal).

#include <spdlog/common.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/logging/log_event.h"
#include "plugins/plugin_api.h"

namespace gleaner::daemon {

class FailureLog {
 public:
  using Clock = std::chrono::system_clock;
  // Where the lines go: spdlog, unless a test listens.
  using Sink =
      std::function<void(spdlog::level::level_enum level, const std::string& line, const logging::Fields& fields)>;

  static constexpr std::uint64_t kFirstReminder = 10;
  static constexpr std::chrono::minutes kReminderInterval{10};

  explicit FailureLog(std::string collector, Sink sink = {});

  // run: fields about the failed run, added to a line that is written.
  void failed(plugins::FailureReason reason, std::string_view message, Clock::time_point now = Clock::now(),
              const logging::Fields& run = {});
  void succeeded();

 private:
  void log(spdlog::level::level_enum level, const std::string& line, const logging::Fields& fields) const;

  std::string collector_;
  Sink sink_;
  std::optional<plugins::FailureReason> reason_;  // set while failing
  std::uint64_t same_reason_ = 0;   // failures in a row for reason_
  std::uint64_t in_a_row_ = 0;      // failures in a row, whatever the reason
  Clock::time_point since_;         // the first of the same_reason_ failures
  Clock::time_point last_reminder_;
};

}  // namespace gleaner::daemon
