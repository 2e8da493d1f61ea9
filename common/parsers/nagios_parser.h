#pragma once
// `type: nagios`: the output and exit status of a Nagios (monitoring-plugins)
// check, such as check_disk, check_load, check_http or check_ping.
//
// Series, all gauges, for `metric: M`:
//   M_status                              exit code: 0 OK, 1 WARNING,
//                                         2 CRITICAL, 3 UNKNOWN (any other: 3)
//   M_perfdata{label="…",unit="…"}        each perfdata item's value
//   M_perfdata_warning{label,unit}        its warn threshold, if a plain number
//   M_perfdata_critical{label,unit}       its crit threshold, if a plain number
//   M_perfdata_min{label,unit}, M_perfdata_max{label,unit}
//
// unit is "seconds", "bytes", "ratio", "counter", "" (no unit) or another
// unit as printed; values are converted to it (see perfdata.h). Threshold
// ranges (10:20, ~:5, @1:2) are not exported. An item whose value is U gives
// no series. The perfdata family is a gauge even for `c` items, since one
// family cannot mix types; the unit label says "counter".
//
// Perfdata is what follows '|' on the first line, and, in long output, all
// that follows the first '|' on a later line (over any number of lines), as
// the plugin guidelines define it. An item that cannot be read is a bad
// item, and so is an item label (with its unit) seen again (the later one).
// What a bad item costs is `on_error`'s choice (bad_lines.h); the status is
// always kept, so that skipping never fails a run: a check's status alone
// is valid output, as Nagios and Telegraf read it.

#include <string>

#include "common/parsers/bad_lines.h"
#include "common/parsers/parser.h"

namespace gleaner::parsers {

struct NagiosOptions {
  std::string metric;  // required: the prefix of every series, a valid metric name
  OnError on_error = OnError::skip;
};

std::string check_options(const NagiosOptions& options);

class NagiosParser final : public Parser {
 public:
  // Options should pass check_options; if not, every parse fails saying why.
  explicit NagiosParser(NagiosOptions options);
  ParseOutput parse(const ParseInput& input) const override;

 private:
  NagiosOptions options_;
  std::string options_error_;
};

}  // namespace gleaner::parsers
