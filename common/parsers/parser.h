#pragma once
// A parser turns what a command printed into metric families. Pure: text
// in, families out, no I/O and no clock, so tests and fuzzers call it
// directly. Any bytes at all may come in (invalid UTF-8, NULs, CRLF, huge
// lines): a parser returns either valid families (names valid, label values
// valid UTF-8) or an error; it never throws and never crashes.

#include <cstddef>
#include <string>
#include <string_view>

#include "common/metrics/sample.h"

namespace gleaner::parsers {

struct ParseInput {
  std::string_view text;
  int exit_code = 0;  // the nagios parser reads the status from it
};

struct ParseOutput {
  metrics::Families families;
  std::string error;  // empty on success: "line 3: expected a number, got \"abc\""
  // With `on_error: skip` (bad_lines.h): how many lines (nagios: perfdata
  // items) were left out, and why the first one was.
  std::size_t skipped = 0;
  std::string first_skipped;
  // Of those, lines skipped for repeating an earlier series (counted apart:
  // README's `duplicate` reason, not `malformed`).
  std::size_t duplicates = 0;

  bool ok() const { return error.empty(); }
  static ParseOutput success(metrics::Families families) { return ParseOutput{std::move(families), {}, 0, {}, 0}; }
  static ParseOutput failure(std::string message) { return ParseOutput{{}, std::move(message), 0, {}, 0}; }
};

class Parser {
 public:
  virtual ~Parser() = default;
  virtual ParseOutput parse(const ParseInput& input) const = 0;
};

}  // namespace gleaner::parsers
