#pragma once
// The header lines of a family in the Prometheus text format. Sample lines
// are sample_text.h's, for gleaner's own families as for what commands
// print (admission.h keeps every value exactly as printed).

#include <string>
#include <string_view>

#include "common/metrics/openmetrics.h"
#include "common/metrics/sample.h"

namespace gleaner::metrics {

// "# HELP …\n# TYPE …\n" for a family (HELP only when there is a text).
std::string family_header(std::string_view name, MetricType type, std::string_view help);

// Appends one of gleaner's own families whose sample lines are written
// already (`lines`: a gauge's, or a counter's named NAME_total, valid in
// both formats as they are) under the header `format` asks for: in
// OpenMetrics a counter's TYPE names it without _total, and a name ending
// in a unit has its UNIT line.
void append_own_family(std::string& out, std::string_view name, MetricType type, std::string_view help,
                       const std::string& lines, TextFormat format);

}  // namespace gleaner::metrics
