#pragma once
// Writing gleaner's own families in the Prometheus text format, through
// prometheus-cpp's TextSerializer. Histograms and summaries arrive as flat
// samples (NAME_bucket{le}, NAME_sum, NAME_count…) and are regrouped into
// prometheus-cpp's structured form here. Its counts are integers, which
// gleaner's own are; what commands print goes through admission.h instead,
// which keeps every value exactly as printed.

#include <string>

#include "common/metrics/sample.h"

namespace gleaner::metrics {

// The sample lines of one family, without HELP and TYPE, with `extra`
// labels added to every sample. A sample label that has the name of an
// extra label is kept as "exported_<name>", as Prometheus does.
std::string serialize_samples(const MetricFamily& family, const Labels& extra);

// "# HELP …\n# TYPE …\n" for a family (HELP only when there is a text).
std::string family_header(std::string_view name, MetricType type, std::string_view help);

}  // namespace gleaner::metrics
