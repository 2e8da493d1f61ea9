#pragma once
// The self-metrics of one collector as gleaner prints them (name and labels
// in order), for reading back with value_of() from daemon_fixture.h:
//   value_of(body, runs_series("echo"))

#include <string>

#include "daemon_fixture.h"

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

// A series' value, or `otherwise` when the exposition does not have it.
inline double value_or(const std::string& exposition, const std::string& series, double otherwise = 0) {
  return value_of(exposition, series).value_or(otherwise);
}

}  // namespace gleaner::testing
