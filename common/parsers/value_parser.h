#pragma once
// `type: value`: the output is one number, such as `cat /proc/sys/fs/file-nr`
// would not be but `nproc` is. Blanks and line ends around it are allowed;
// anything else (a second token, a unit, nothing at all) is an error.
// Series: `metric` with no labels.

#include <string>

#include "common/parsers/parser.h"

namespace gleaner::parsers {

struct ValueOptions {
  std::string metric;                                     // required: a valid metric name
  metrics::MetricType type = metrics::MetricType::gauge;  // gauge or counter
  std::string help;                                       // optional HELP text
};

// "" when the options can make a parser, else what is wrong with them.
std::string check_options(const ValueOptions& options);

class ValueParser final : public Parser {
 public:
  // Options should pass check_options; if not, every parse fails saying why.
  explicit ValueParser(ValueOptions options);
  ParseOutput parse(const ParseInput& input) const override;

 private:
  ValueOptions options_;
  std::string options_error_;
};

}  // namespace gleaner::parsers
