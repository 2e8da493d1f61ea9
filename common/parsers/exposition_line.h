#pragma once
// Reading single lines of the Prometheus text exposition format 0.0.4 (what
// node_exporter's textfile collector reads). Which family a line belongs to
// is prometheus_parser's business; this file only knows the line grammar.
//
// Blanks are spaces and tabs; they may lead a line and separate tokens, as
// in the reference parser (prometheus/common expfmt).

#include <string>
#include <string_view>

#include "metrics/sample.h"

namespace gleaner::parsers::exposition {

// A line that starts with '#'. "# HELP name text" and "# TYPE name type"
// matter; any other comment, and HELP or TYPE lines with nothing after the
// name, are ignored like the reference parser ignores them.
struct CommentLine {
  enum class Kind { ignored, help, type };
  Kind kind = Kind::ignored;
  std::string_view name;
  std::string text;  // HELP: unescaped, valid UTF-8. TYPE: the type word.
};

// name{label="value",...} value [timestamp]. The timestamp is checked and
// dropped (a scrape stamps samples with its own time); has_timestamp says
// whether there was one.
struct SampleLine {
  std::string_view name;
  metrics::Labels labels;  // in line order; values unescaped, valid UTF-8
  double value = 0;
  bool has_timestamp = false;  // a timestamp was printed (and checked)
};

bool is_comment(std::string_view line);

// Both return "" on success, else what is wrong with the line (without the
// line number, which the caller knows).
std::string read_comment(std::string_view line, CommentLine& out);
std::string read_sample(std::string_view line, SampleLine& out);

}  // namespace gleaner::parsers::exposition
