#pragma once
// Error messages about a command's output. They end up in logs and on the
// status page, so whatever they quote from the output is kept short and made
// printable, valid UTF-8: a 5 MB line of binary must not become a 5 MB log line.

#include <cstddef>
#include <string>
#include <string_view>

#include "common/metrics/sample.h"

namespace gleaner::parsers {

// The text in double quotes, cut after a few dozen bytes ("…" marks the cut),
// control characters escaped, invalid UTF-8 replaced.
std::string quote(std::string_view text);

// "line 7: message"
std::string at_line(std::size_t line, std::string_view message);

// name{label="value",…} for messages about a series, each part quoted short
// and only the first few labels named.
std::string describe_series(std::string_view name, const metrics::Labels& labels);

}  // namespace gleaner::parsers
