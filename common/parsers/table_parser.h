#pragma once
// `type: table`: a header row and whitespace-separated columns, as df, ps,
// free or vmstat print them.
//
// Each row splits on runs of blanks into at most as many fields as there are
// columns; the last field takes the rest of the line, spaces included (mount
// points with spaces). A row with fewer fields (free's "Swap:" row) has no
// value in the columns it lacks; lacking a `labels` column makes it a bad
// row. For each row and each `values` column, one sample: the metric named
// there, labelled with the `labels` columns (label names are the column
// names made valid: "%CPU" becomes _CPU; values lose the characters of
// `trim_labels` at both ends, so that free's "Mem:" can become "Mem").
// Values may carry units (`233Gi`, `1.5K`, `48%` is 0.48); a value of `-`
// means "none" and gives no sample. Bad rows, named with their line (and
// column): a value that is not a number, a missing label column, and labels
// seen in an earlier row (a duplicate series: the later row is the bad one).
// What a bad row costs is `on_error`'s choice (bad_lines.h); a bad row adds
// none of its samples.
//
// Column names come from the header row, or from `columns`. The header's
// last column, like a row's, takes the rest of the line when a configured
// name says so: with `labels: [Mounted on]`, df's header "... Use% Mounted
// on" has "Mounted on" as its last column. Lines: `skip_lines` lines are
// dropped first (vmstat's "procs --memory--" line); then, with `header`, the
// first non-blank line is the header (read for names, or skipped when
// `columns` names them); blank lines are skipped everywhere. A header that
// lacks a configured column fails the run, whatever `on_error` says: the
// configuration does not fit the command.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "common/parsers/bad_lines.h"
#include "common/parsers/metric_options.h"
#include "common/parsers/parser.h"

namespace gleaner::parsers {

struct TableOptions {
  std::vector<std::string> labels;                          // column names
  std::vector<std::pair<std::string, std::string>> values;  // column name → metric name
  std::vector<std::string> columns;                         // empty: from the header
  bool header = true;
  std::size_t skip_lines = 0;
  metrics::MetricType type = metrics::MetricType::gauge;  // gauge or counter
  OnError on_error = OnError::skip;
  std::string trim_labels;  // characters taken off both ends of label values: ":" for free's "Mem:"
  HelpTexts help = {};      // metric name → HELP text
};

std::string check_options(const TableOptions& options);

class TableParser final : public Parser {
 public:
  // Options should pass check_options; if not, every parse fails saying why.
  explicit TableParser(TableOptions options);
  ParseOutput parse(const ParseInput& input) const override;

  // Where the configured columns are in a row, and what the labels are called.
  struct Layout {
    std::size_t column_count = 0;
    std::vector<std::size_t> label_columns;
    std::vector<std::string> label_names;
    std::vector<std::size_t> value_columns;  // in the order of options.values
  };

 private:
  TableOptions options_;
  std::string options_error_;
  Layout fixed_layout_;  // when options.columns names the columns
};

}  // namespace gleaner::parsers
