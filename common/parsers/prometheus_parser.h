#pragma once
// `type: prometheus`: the Prometheus text exposition format 0.0.4, as
// node_exporter's textfile collector reads it, kept as it comes.
//
//   # HELP name text        (escapes \\ and \n)
//   # TYPE name counter|gauge|histogram|summary|untyped
//   name{label="value",...} value [timestamp]
//
// Families keep their names, types, HELP and samples; histograms and
// summaries keep their exposition samples (NAME_bucket{le}, NAME_sum,
// NAME_count; NAME{quantile}) in the family NAME. Samples without a TYPE
// form untyped families. Timestamps are dropped (the scrape stamps its own
// time); families with a HELP or TYPE line but no sample are left out.
//
// Errors, naming the line: a malformed line; an unknown type; a second HELP
// or TYPE for a family; a TYPE after the family's samples; a family whose
// lines are not contiguous; a duplicate series; a histogram bucket without a
// numeric `le`; a summary quantile sample without a numeric `quantile`; a
// sample named like its histogram or summary family but not one of its
// samples. Invalid UTF-8 in label values and HELP is replaced, not an error.
// Escapes other than the documented ones keep their backslash, as the
// Prometheus server reads them.

#include "parser.h"

namespace gleaner::parsers {

struct PrometheusOptions {};

class PrometheusParser final : public Parser {
 public:
  explicit PrometheusParser(PrometheusOptions options = {});
  ParseOutput parse(const ParseInput& input) const override;
};

}  // namespace gleaner::parsers
