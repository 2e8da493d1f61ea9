#pragma once
// `type: json`: a JSON document, such as a service's status API returns.
//
// `values` maps metric names to paths (see json_path.h: `a.b[0].c`); each
// path must lead to a number, a bool (1 or 0) or a string holding a number
// (units allowed, as in the table parser: "48%", "1.5K"). `labels` maps label
// names to paths leading to a string, number or bool. Without `each`, the
// document gives one series per metric; with `each`, the path to an array,
// every element gives one, and the other paths start at the element.
//
// Errors: a document that is not JSON; a path that leads nowhere or to
// another kind of value (null, an object, …), named in the message with
// the element's index; two elements with the same labels (a duplicate series).

#include <string>
#include <utility>
#include <vector>

#include "common/parsers/json_path.h"
#include "common/parsers/metric_options.h"
#include "common/parsers/parser.h"

namespace gleaner::parsers {

struct JsonOptions {
  std::vector<std::pair<std::string, std::string>> values;  // metric name → path
  std::vector<std::pair<std::string, std::string>> labels;  // label name → path
  std::string each;                                         // "" or a path to an array
  metrics::MetricType type = metrics::MetricType::gauge;    // gauge or counter
  HelpTexts help = {};                                      // metric name → HELP text
};

std::string check_options(const JsonOptions& options);

class JsonParser final : public Parser {
 public:
  // Options should pass check_options; if not, every parse fails saying why.
  explicit JsonParser(JsonOptions options);
  ParseOutput parse(const ParseInput& input) const override;

 private:
  JsonOptions options_;
  std::string options_error_;
  std::vector<JsonPath> value_paths_;
  std::vector<JsonPath> label_paths_;
  std::optional<JsonPath> each_path_;
};

}  // namespace gleaner::parsers
