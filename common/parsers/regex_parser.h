#pragma once
// `type: regex`: any text, read with an RE2 pattern (the syntax Prometheus
// users know; linear time whatever the input). Every non-empty match of the
// pattern over the whole text is one set of series: for each `values` group,
// the metric named there, labelled with the `labels` groups (named like the
// groups). Use (?m) for ^ and $ at line ends; "\r\n" in the input is read as
// "\n" first. A value group that did not take part in a match gives no
// sample; one that captured a non-number is an error naming the line. Values
// may carry units, as in the table parser. Two matches with the same labels
// are a duplicate series: an error.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/parsers/metric_options.h"
#include "common/parsers/parser.h"

namespace re2 {
class RE2;
}

namespace gleaner::parsers {

struct RegexOptions {
  std::string pattern;                                      // with (?P<name>...) groups
  std::vector<std::string> labels;                          // group names
  std::vector<std::pair<std::string, std::string>> values;  // group name → metric name
  metrics::MetricType type = metrics::MetricType::gauge;    // gauge or counter
  HelpTexts help = {};                                      // metric name → HELP text
};

// What a pattern offers: its named groups, or why it does not compile.
struct PatternInfo {
  std::string error;
  std::vector<std::string> group_names;
};
PatternInfo inspect_pattern(std::string_view pattern);

std::string check_options(const RegexOptions& options);

class RegexParser final : public Parser {
 public:
  // Options should pass check_options; if not, every parse fails saying why.
  explicit RegexParser(RegexOptions options);
  ~RegexParser() override;
  ParseOutput parse(const ParseInput& input) const override;

 private:
  RegexOptions options_;
  std::string options_error_;
  std::unique_ptr<const re2::RE2> regex_;
  std::vector<int> label_groups_;  // capture indices, in options order
  std::vector<int> value_groups_;
};

}  // namespace gleaner::parsers
