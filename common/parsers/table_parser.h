#pragma once
// `type: table`: a header row and whitespace-separated columns, as df, ps,
// free or vmstat print them.
//
// Each row splits on runs of blanks into at most as many fields as there are
// columns; the last field takes the rest of the line, spaces included (mount
// points with spaces). A row with fewer fields is an error. For each row and
// each `values` column, one sample: the metric named there, labelled with the
// `labels` columns (label names are the column names made valid: "%CPU"
// becomes _CPU). Values may carry units (`233Gi`, `1.5K`, `48%` is 0.48); a
// value of `-` means "none" and gives no sample; any other non-number is an
// error naming the line and column. Two rows with the same labels are a
// duplicate series: an error.
//
// Column names come from the header row, or from `columns` when the header
// cannot be split on blanks (df's "Mounted on"). Lines: `skip_lines` lines
// are dropped first (vmstat's "procs --memory--" line); then, with `header`,
// the first non-blank line is the header (read for names, or skipped when
// `columns` names them); blank lines are skipped everywhere.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "parser.h"

namespace gleaner::parsers {

struct TableOptions {
  std::vector<std::string> labels;                          // column names
  std::vector<std::pair<std::string, std::string>> values;  // column name → metric name
  std::vector<std::string> columns;                         // empty: from the header
  bool header = true;
  std::size_t skip_lines = 0;
  metrics::MetricType type = metrics::MetricType::gauge;  // gauge or counter
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
