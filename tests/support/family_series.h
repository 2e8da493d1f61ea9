#pragma once
// Families a reader made, set beside the exposition a replaced script or
// node_exporter printed for the same input: both as `name{a="x",b="y"}` (or
// `name` without labels) → value, and the HELP text of each family named.
// Label values are compared as they are, unescaped: the fixtures hold none
// that need escaping.

#include <map>
#include <set>
#include <sstream>
#include <string>

#include "common/metrics/sample.h"

namespace gleaner::testing {

using SeriesValues = std::map<std::string, double>;

// Every sample of the families, or of those named when names is not empty.
inline SeriesValues series_of(const metrics::Families& families, const std::set<std::string>& names = {}) {
  SeriesValues series;
  for (const auto& family : families) {
    if (!names.empty() && !names.contains(family.name)) continue;
    for (const auto& sample : family.samples) {
      std::string key = sample.name;
      if (!sample.labels.empty()) {
        key += "{";
        for (std::size_t i = 0; i < sample.labels.size(); ++i) {
          key += (i ? "," : "") + sample.labels[i].name + "=\"" + sample.labels[i].value + "\"";
        }
        key += "}";
      }
      series[key] = sample.value;
    }
  }
  return series;
}

// Every sample line of an exposition, or of the metrics named.
inline SeriesValues series_in(const std::string& exposition, const std::set<std::string>& names = {}) {
  SeriesValues series;
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.front() == '#') continue;
    if (!names.empty() && !names.contains(line.substr(0, line.find_first_of("{ ")))) continue;
    const auto space = line.rfind(' ');
    series[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return series;
}

// Each family's HELP text: name → text.
inline std::map<std::string, std::string> help_texts(const std::string& exposition) {
  std::map<std::string, std::string> helps;
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("# HELP ")) continue;
    const auto rest = line.substr(7);
    const auto name = rest.substr(0, rest.find(' '));
    helps[name] = rest.substr(name.size() + 1);
  }
  return helps;
}

}  // namespace gleaner::testing
