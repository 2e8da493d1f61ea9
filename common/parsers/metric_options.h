#pragma once
// Checks shared by the parsers' option structs: names that come from the
// configuration must already be valid (they are never sanitized silently).

#include <string>
#include <string_view>

#include "metrics/sample.h"

namespace gleaner::parsers {

// Prometheus keeps this label for the metric name; no series may carry it.
inline constexpr std::string_view kReservedLabelName = "__name__";

// "" or "<what>: \"1x\" is not a valid metric name".
std::string check_metric_name(std::string_view what, std::string_view name);
std::string check_label_name(std::string_view what, std::string_view name);

// Parsers that make their own series offer gauge and counter.
std::string check_sample_type(metrics::MetricType type);

}  // namespace gleaner::parsers
