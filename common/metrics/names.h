#pragma once
// Prometheus naming rules, and making arbitrary bytes from a command's
// output safe to expose: valid names, valid UTF-8 label values.

#include <string>
#include <string_view>

namespace gleaner::metrics {

// The characters of names, one by one: for a reader that takes a name off
// a longer text (the exposition parser), which must agree with the checks
// below. Not <cctype>'s, whose answers depend on the locale.
constexpr bool is_name_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
constexpr bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_metric_name_start(char c) { return is_name_letter(c) || c == ':'; }
constexpr bool is_metric_name_char(char c) { return is_metric_name_start(c) || is_ascii_digit(c); }
constexpr bool is_label_name_start(char c) { return is_name_letter(c); }
constexpr bool is_label_name_char(char c) { return is_label_name_start(c) || is_ascii_digit(c); }

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
