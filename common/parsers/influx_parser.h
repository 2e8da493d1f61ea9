#pragma once
// `type: influx`: InfluxDB line protocol (line_protocol.h), what Telegraf's
// exec input and `telegraf --test` print, exposed under the names Telegraf's
// prometheus serializer (metric_version = 2) gives it:
//
//   cpu,host=a usage_idle=98.5,cores=4i 1700000000000000000
//     -> cpu_usage_idle{host="a"} 98.5   cpu_cores{host="a"} 4
//
// One series per number field: `<measurement>_<field>` (the field alone for
// the measurement `prometheus`, as Telegraf names what its prometheus input
// read), labelled by the tags. Names and label names are sanitized as every
// gleaner parser sanitizes them (metrics/names.h), label values made valid
// UTF-8. Integers, unsigned integers, floats and booleans (1 and 0) are
// values; string fields are not exposed. Every family is untyped, as
// Telegraf's serializer leaves it: line protocol does not say what is a
// counter. Timestamps are checked and dropped.
//
// A series given again (by a later line, a repeated field or tag, or names
// that sanitize alike) takes the later value: in line protocol a later point
// overwrites an earlier one, and Telegraf's serializer keeps the latest.
//
// Bad lines: whatever Telegraf rejects (line_protocol.h), and a tag that
// would be the label `__name__`. Telegraf drops the whole output for one bad
// line, so `on_error` defaults to fail here; skip leaves the bad line out and
// counts it (bad_lines.h).

#include "common/parsers/bad_lines.h"
#include "common/parsers/parser.h"

namespace gleaner::parsers {

struct InfluxOptions {
  OnError on_error = OnError::fail;
};

class InfluxParser final : public Parser {
 public:
  explicit InfluxParser(InfluxOptions options = {}) : options_(options) {}
  ParseOutput parse(const ParseInput& input) const override;

 private:
  InfluxOptions options_;
};

}  // namespace gleaner::parsers
