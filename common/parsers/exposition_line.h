#pragma once
// Reading single lines of the Prometheus text exposition format 0.0.4 (what
// node_exporter's textfile collector reads) and of OpenMetrics 1.0, which
// adds `# UNIT`, `# EOF`, timestamps in seconds with a fraction and
// exemplars. Which family a line belongs to is prometheus_parser's
// business; this file only knows the line grammar.
//
// Blanks are spaces and tabs; they may lead a line and separate tokens, as
// in the reference parser (prometheus/common expfmt).

#include <string>
#include <string_view>

#include "common/metrics/sample.h"

namespace gleaner::parsers::exposition {

// A line that starts with '#'. "# HELP name text" and "# TYPE name type"
// matter; any other comment, and HELP or TYPE lines with nothing after the
// name, are ignored like the reference parser ignores them.
// With `openmetrics`, "# UNIT name unit" and "# EOF" are read too; without,
// they are mere comments, as the text format 0.0.4 has neither.
struct CommentLine {
  enum class Kind { ignored, help, type, unit, eof };
  Kind kind = Kind::ignored;
  std::string_view name;
  std::string text;  // HELP: unescaped, valid UTF-8. TYPE: the type word. UNIT: the unit.
};

// name{label="value",...} value [timestamp]. The timestamp is checked and
// dropped (a scrape stamps samples with its own time); has_timestamp says
// whether there was one.
struct SampleLine {
  std::string_view name;
  metrics::Labels labels;  // in line order; values unescaped, valid UTF-8
  double value = 0;
  bool has_timestamp = false;  // a timestamp was printed (and checked)
  bool has_exemplar = false;   // an exemplar was printed (checked, and dropped)
};

bool is_comment(std::string_view line);

// Both return "" on success, else what is wrong with the line (without the
// line number, which the caller knows).
std::string read_comment(std::string_view line, CommentLine& out, bool openmetrics = false);
// With `openmetrics`, a sample line may also carry a timestamp in seconds
// with a fraction (`1520879607.789`) and, after it or the value, an
// exemplar (` # {trace_id="a"} 0.67 [timestamp]`); without, the text format
// 0.0.4: a timestamp is whole milliseconds and nothing follows it.
std::string read_sample(std::string_view line, SampleLine& out, bool openmetrics = false);

}  // namespace gleaner::parsers::exposition
