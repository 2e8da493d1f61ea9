#pragma once
// What is known about one collector's runs: the source of the
// gleaner_collector_* metrics and of the status page.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/metrics/admission.h"
#include "plugins/plugin_api.h"

namespace gleaner::daemon {

struct CollectorStatus {
  std::string name;
  std::string plugin;
  std::chrono::milliseconds interval{0};

  bool running = false;
  bool up = false;  // the last finished run succeeded
  std::uint64_t runs_total = 0;
  std::uint64_t skipped_total = 0;
  bool streaming = false;          // a stream collector (mode: stream)
  bool persistent = false;         // its command stays up between runs (mode: persistent)
  std::uint64_t restarts_total = 0;  // of a stream or persistent collector's command
  std::array<std::uint64_t, std::size(plugins::kAllFailureReasons)> failures_total{};
  std::size_t series = 0;  // exposed now
  // Series printed but not exposed (README "What a collector may expose").
  std::array<std::uint64_t, std::size(metrics::kAllDropReasons)> dropped_total{};
  std::string last_drop;  // why the last run's first dropped series was dropped; "" if none was

  std::optional<std::chrono::system_clock::time_point> last_run_start;
  std::optional<std::chrono::system_clock::time_point> last_success;
  std::chrono::nanoseconds last_duration{0};
  std::optional<plugins::FailureReason> last_failure;  // of the last run, if it failed
  std::string last_error;                               // of the last failed run

  std::uint64_t& failures(plugins::FailureReason reason) { return failures_total[static_cast<std::size_t>(reason)]; }
  std::uint64_t& dropped(metrics::DropReason reason) { return dropped_total[static_cast<std::size_t>(reason)]; }
};

}  // namespace gleaner::daemon
