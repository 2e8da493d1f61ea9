#pragma once
// Checks shared by the parsers' option structs: names that come from the
// configuration must already be valid (they are never sanitized silently).

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "common/metrics/sample.h"

namespace gleaner::parsers {

// Prometheus keeps this label for the metric name; no series may carry it.
inline constexpr std::string_view kReservedLabelName = "__name__";

// "" or "<what>: \"1x\" is not a valid metric name".
std::string check_metric_name(std::string_view what, std::string_view name);
std::string check_label_name(std::string_view what, std::string_view name);

// HELP texts from the configuration, by metric name. A metric without one
// gets an empty HELP, for the daemon to fill in (it knows the collector).
using HelpTexts = std::map<std::string, std::string, std::less<>>;

// "" or the first HELP text given for a metric that is not among `metrics`.
std::string check_help(const HelpTexts& help, const std::set<std::string, std::less<>>& metrics);

// The metric's HELP as valid UTF-8, or "".
std::string help_for(const HelpTexts& help, std::string_view metric);

// Parsers that make their own series offer gauge and counter.
std::string check_sample_type(metrics::MetricType type);

}  // namespace gleaner::parsers
