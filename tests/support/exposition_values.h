#pragma once
// The self-metrics of one collector as gleaner prints them (name and labels
// in order), for reading back with value_of() from daemon_fixture.h:
//   value_of(body, runs_series("echo"))

#include <limits>
#include <string>

#include "tests/support/daemon_fixture.h"

namespace gleaner::testing {

inline std::string runs_series(const std::string& collector) {
  return "gleaner_collector_runs_total{collector=\"" + collector + "\"}";
}
inline std::string up_series(const std::string& collector) {
  return "gleaner_collector_up{collector=\"" + collector + "\"}";
}
inline std::string duration_series(const std::string& collector) {
  return "gleaner_collector_duration_seconds{collector=\"" + collector + "\"}";
}
inline std::string failures_series(const std::string& collector, const std::string& reason) {
  return "gleaner_collector_failures_total{collector=\"" + collector + "\",reason=\"" + reason + "\"}";
}

inline std::string last_success_series(const std::string& collector) {
  return "gleaner_collector_last_success_timestamp_seconds{collector=\"" + collector + "\"}";
}
inline std::string series_count_series(const std::string& collector) {
  return "gleaner_collector_series{collector=\"" + collector + "\"}";
}
inline std::string dropped_series(const std::string& collector, const std::string& reason) {
  return "gleaner_collector_dropped_series_total{collector=\"" + collector + "\",reason=\"" + reason + "\"}";
}

// The reasons of gleaner_collector_failures_total and of
// gleaner_collector_dropped_series_total, all present for every collector.
inline const char* const kFailureReasons[] = {"spawn", "timeout",      "exit_code", "output_limit",
                                              "parse", "series_limit", "internal"};
inline const char* const kDropReasons[] = {"reserved", "conflict", "duplicate", "malformed"};

// A series' value, or `otherwise` when the exposition does not have it: for
// polling, where a series not there yet is an answer ("not yet").
inline double value_or(const std::string& exposition, const std::string& series, double otherwise = 0) {
  return value_of(exposition, series).value_or(otherwise);
}

// A series' value in an exposition that must have it: README promises the
// self-metrics (every failure reason, for instance) for every collector, so
// a missing one fails the test rather than reading as 0. NaN then, which no
// comparison holds for.
inline double required_value(const std::string& exposition, const std::string& series) {
  const auto value = value_of(exposition, series);
  if (!value) {
    ADD_FAILURE() << "missing from the exposition: " << series;
    return std::numeric_limits<double>::quiet_NaN();
  }
  return *value;
}

// Whether the collector has finished a run, well or badly.
inline bool has_finished_a_run(const std::string& exposition, const std::string& collector) {
  if (value_or(exposition, last_success_series(collector)) > 0) return true;
  double failures = 0;
  for (const char* reason : kFailureReasons) failures += value_or(exposition, failures_series(collector, reason));
  return failures > 0;
}

}  // namespace gleaner::testing
