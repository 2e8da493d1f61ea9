#pragma once
// The last line of defence before the exposition: families that pass this
// check serialise into text that Prometheus accepts. Every parser's output
// must pass it; the daemon may check plugins' output with it too.

#include <string>

#include "common/metrics/sample.h"

namespace gleaner::metrics {

// "" when the families are valid, else the first problem found:
//  - a metric name or label name that Prometheus rejects (including the
//    reserved label name __name__), or a label named twice on one sample;
//  - a label value or HELP text that is not valid UTF-8 (or holds a NUL);
//  - two families with one name, or two series with one sample name and one
//    label set (in any order);
//  - a sample that does not belong to its family: a histogram NAME has
//    NAME_bucket (with a numeric `le`), NAME_sum, NAME_count; a summary NAME
//    has NAME (with a numeric `quantile`), NAME_sum, NAME_count; a
//    gaugehistogram NAME has NAME_bucket (with a numeric `le`), NAME_gsum,
//    NAME_gcount; an info NAME has NAME_info; any other family (a stateset
//    too) only NAME itself. What OpenMetrics asks of the values (an info's
//    1, a stateset's 0 or 1 and its state label) is openmetrics.h's check.
std::string check_families(const Families& families);

// The checks of one sample alone: its name, whether it belongs to its
// family, its labels (names valid and not repeated, values valid UTF-8).
std::string check_sample(const MetricFamily& family, const Sample& sample);

}  // namespace gleaner::metrics
