#pragma once
// Writing a family in the Prometheus text format 0.0.4, which knows none
// of OpenMetrics' own types (README "What a collector may expose"). Those
// are written as the Prometheus Python client's text exposition
// (generate_latest) writes them, the one client that has all three:
//  - info NAME: the gauge NAME_info, its samples as printed;
//  - stateset NAME: the gauge NAME;
//  - gaugehistogram NAME: the histogram NAME holding the buckets, then the
//    `_gcount` and `_gsum` samples each as a gauge of its own
//    (NAME_gcount, NAME_gsum), since a text histogram knows only _sum and
//    _count.
// So every series keeps its name in both formats, and Prometheus stores
// the same series whichever it scraped. (The Go client's expfmt writes a
// gauge histogram as a plain histogram with _sum and _count, which would
// rename a command's _gsum and _gcount; it writes neither info nor
// stateset, which its data model lacks.)

#include <string>
#include <string_view>
#include <vector>

#include "common/metrics/sample.h"

namespace gleaner::metrics {

// The family's name and type in the text format.
std::string text_family_name(std::string_view name, MetricType type);
MetricType text_type(MetricType type);

// Appends HELP, TYPE and the sample lines of one family that several
// collectors may share: `parts` are each one's sample lines.
void append_text_group(std::string& out, std::string_view name, MetricType type, std::string_view help,
                       const std::vector<const std::string*>& parts);

}  // namespace gleaner::metrics
