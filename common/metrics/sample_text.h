#pragma once
// Writing a command's samples in the text exposition format exactly as they
// were printed: the value is the double the parser read, written back in
// its shortest form that reads as the same double (so 2693.9 stays 2693.9
// and 123.5 stays 123.5, where a detour through an integer count would
// truncate them), and label values are escaped as the format requires.

#include <initializer_list>
#include <string>
#include <string_view>

#include "common/metrics/sample.h"

namespace gleaner::metrics {

// "NaN", "+Inf", "-Inf", or the shortest decimal that reads back as value.
std::string format_value(double value);

// Appends `name{a="x",b="y"} value\n` (no braces without labels).
void append_sample_line(std::string& out, std::string_view name, const Labels& labels, double value);
// The same from labels held elsewhere (gleaner's own series at a scrape,
// written without making a Label of each).
struct LabelView {
  std::string_view name;
  std::string_view value;
};
void append_sample_line(std::string& out, std::string_view name, std::initializer_list<LabelView> labels,
                        double value);

// Appends a label value with `\`, `"` and newline escaped.
void append_escaped_label_value(std::string& out, std::string_view value);

}  // namespace gleaner::metrics
