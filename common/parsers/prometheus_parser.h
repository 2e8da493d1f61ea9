#pragma once
// `type: prometheus`: the Prometheus text exposition format 0.0.4, as
// node_exporter's textfile collector reads it, and OpenMetrics 1.0 (README
// "Parsers"), kept as they come.
//
//   # HELP name text        (escapes \\ and \n)
//   # TYPE name counter|gauge|histogram|summary|untyped
//   name{label="value",...} value [timestamp]
//
// OpenMetrics adds, unless `openmetrics` is off: the types unknown (read as
// untyped), info (samples NAME_info), stateset (NAME{NAME="state"}) and
// gaugehistogram (NAME_bucket{le}, NAME_gsum, NAME_gcount); `# UNIT name
// unit`, kept when the name ends in `_unit` (a bad line otherwise); `# EOF`,
// after which every line is a bad line; a counter `x` whose samples are
// `x_total` (the family is then named `x_total`, as the text format names
// it); `_created` samples of counters, histograms and summaries, read and
// not kept; timestamps in seconds with a fraction; exemplars after ` # `,
// checked and dropped.
//
// Families keep their names, types, HELP and samples; histograms and
// summaries keep their exposition samples (NAME_bucket{le}, NAME_sum,
// NAME_count; NAME{quantile}) in the family NAME. Samples without a TYPE
// form untyped families. Timestamps are dropped (the scrape stamps its own
// time); families with a HELP or TYPE line but no sample are left out.
//
// Merging, as node_exporter's textfile collector merges families across
// files: the lines of a family need not be together; they join the family's
// first place, samples in printed order. A second HELP or TYPE line that
// agrees with the first is accepted (`cat a.prom b.prom` of two files that
// share a family). One that disagrees (or a TYPE other than untyped after
// the family's untyped samples) is a bad line, and so is every later line of
// its block, up to the next line of another family: those samples were
// printed under another meaning. Histogram `le` and summary `quantile` are
// compared as numbers when looking for duplicates (le="1" and le="1.0" are
// one series) but keep their printed text. Nothing is invented: no _count,
// no +Inf bucket.
//
// Bad lines, each named with its number: a malformed line; an unknown type;
// a disagreeing HELP or TYPE and its block; a duplicate series; a histogram
// bucket without a numeric `le`; a summary quantile sample without a
// numeric `quantile`; a sample named like its histogram or summary family
// but not one of its samples. What a bad line costs is `on_error`'s choice
// (bad_lines.h). Invalid UTF-8 in label values and HELP is replaced, not an
// error. Escapes other than the documented ones keep their backslash, as
// the Prometheus server reads them.

#include "common/parsers/bad_lines.h"
#include "common/parsers/parser.h"

namespace gleaner::parsers {

struct PrometheusOptions {
  OnError on_error = OnError::skip;
  // A sample with a timestamp is a bad line rather than read without it:
  // node_exporter's textfile collector refuses such files, since a
  // timestamp from a file that stopped being written would keep an old
  // value looking current.
  bool refuse_timestamps = false;
  // OpenMetrics' additions read too. Off, the text format 0.0.4 alone, as
  // node_exporter's textfile collector (expfmt) reads it: an OpenMetrics
  // type is a bad line, `# UNIT` and `# EOF` are mere comments.
  bool openmetrics = true;
};

class PrometheusParser final : public Parser {
 public:
  explicit PrometheusParser(PrometheusOptions options = {});
  ParseOutput parse(const ParseInput& input) const override;

 private:
  PrometheusOptions options_;
};

}  // namespace gleaner::parsers
