#pragma once
// Prometheus naming rules, and making arbitrary bytes from a command's
// output safe to expose: valid names, valid UTF-8 label values.

#include <string>
#include <string_view>

namespace gleaner::metrics {

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool is_valid_metric_name(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]*
bool is_valid_label_name(std::string_view name);

// Every invalid character becomes '_'; a leading digit gets a '_' before it;
// empty becomes "_".
std::string sanitize_metric_name(std::string_view name);
std::string sanitize_label_name(std::string_view name);

// Invalid UTF-8 sequences become U+FFFD; NUL bytes too.
std::string sanitize_utf8(std::string_view text);

// Escapes a HELP text for the exposition (backslash and newline).
std::string escape_help(std::string_view help);

}  // namespace gleaner::metrics
