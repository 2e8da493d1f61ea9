#pragma once
// What one bad line costs a line-oriented parser (prometheus, keyvalue,
// table rows, nagios perfdata items), chosen by `on_error`:
//
//   skip  the line alone is left out and counted (ParseOutput::skipped), the
//         first one's message kept (ParseOutput::first_skipped). The
//         default: a collector that prints a hundred good lines and one bad
//         one still delivers the hundred, as node_exporter's textfile
//         collector, Telegraf and Nagios do.
//   fail  the first bad line fails the whole run.
//
// Whatever the mode, output that had bad lines and gives no series at all
// fails: a command printing only garbage is broken, and a run that
// "succeeds" with nothing would hide it. Output with no bad line and no
// series (a header alone, an empty file) is not an error.

#include <cstddef>
#include <string>
#include <string_view>

#include "common/parsers/parser.h"

namespace gleaner::parsers {

enum class OnError { fail, skip };

// What every parser says of a series seen earlier in the same output; a
// skipped line whose message holds it is counted as a duplicate.
inline constexpr std::string_view kDuplicateSeries = "duplicate series ";

class BadLines {
 public:
  explicit BadLines(OnError mode) : mode_(mode) {}

  // Records a bad line or item. True: the parse goes on without it. False:
  // the mode is fail, and the caller returns ParseOutput::failure(message).
  bool skip(const std::string& message);

  std::size_t count() const { return count_; }

  // The successful output, or a failure when lines were skipped and no
  // family is left.
  ParseOutput finish(metrics::Families families);

 private:
  OnError mode_;
  std::size_t count_ = 0;
  std::size_t duplicates_ = 0;
  std::string first_;
};

}  // namespace gleaner::parsers
