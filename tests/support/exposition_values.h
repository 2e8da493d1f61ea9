#pragma once
// Reading numbers back out of a scraped exposition, by the series exactly as
// gleaner prints it: name and labels in order, e.g.
//   series_value(body, "gleaner_collector_runs_total{collector=\"echo\"}")

#include <optional>
#include <sstream>
#include <string>

namespace gleaner::testing {

inline std::optional<double> series_value(const std::string& exposition, const std::string& series) {
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return std::nullopt;
}

// The self-metrics of one collector.
inline std::string runs_series(const std::string& collector) {
  return "gleaner_collector_runs_total{collector=\"" + collector + "\"}";
}
inline std::string up_series(const std::string& collector) {
  return "gleaner_collector_up{collector=\"" + collector + "\"}";
}
inline std::string failures_series(const std::string& collector, const std::string& reason) {
  return "gleaner_collector_failures_total{collector=\"" + collector + "\",reason=\"" + reason + "\"}";
}

// A series' value, or `otherwise` when the exposition does not have it.
inline double series_value_or(const std::string& exposition, const std::string& series, double otherwise = 0) {
  return series_value(exposition, series).value_or(otherwise);
}

}  // namespace gleaner::testing
