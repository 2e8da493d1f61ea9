#pragma once
// Makes text safe to write as part of one log line. What a command prints
// reaches the log (its stderr, a parse error quoting its output, its name),
// and a raw newline there would forge a second event, a carriage return or
// an escape sequence would rewrite what a terminal shows, and journald keeps
// a message holding control bytes only as a blob.
//
// Escaped: control characters (\n, \r, \t, \x1b, DEL as \x7f), bytes that
// are not UTF-8 (\xff), C1 controls, Unicode's line and paragraph separators
// and its bidirectional overrides (\u0085, \u2028, \u202e). Everything else,
// printable ASCII, the backslash and valid UTF-8 text, passes unchanged, so
// the escapes are for reading, not for decoding back.

#include <string>
#include <string_view>

namespace gleaner::logging {

// Appends text to out, escaped.
void append_escaped(std::string_view text, std::string& out);

std::string escape_for_log(std::string_view text);

// Whether text would pass unchanged (the common case, checked cheaply).
bool is_log_safe(std::string_view text);

}  // namespace gleaner::logging
