#pragma once
// `type: keyvalue`: lines `key=value` or `key: value`, one series per key,
// named `prefix` + the key made a valid metric name ("rx-bytes" becomes
// rx_bytes). Blank lines and lines starting with '#' are skipped. Values may
// carry units (`48%` is 0.48, `1.5K` is 1536: see units::parse_quantity).
//
// Without a `separator`, each line splits at its first '=' or ':', whichever
// comes first. Errors, naming the line: no separator, an empty key, a value
// that is not a number, and a key (after sanitizing) seen twice.

#include <string>

#include "parser.h"

namespace gleaner::parsers {

struct KeyValueOptions {
  std::string prefix;                                     // "" or a valid metric name: "node_", "app_"
  metrics::MetricType type = metrics::MetricType::gauge;  // gauge or counter
  std::string separator;                                  // "" means '=' or ':'
};

std::string check_options(const KeyValueOptions& options);

class KeyValueParser final : public Parser {
 public:
  // Options should pass check_options; if not, every parse fails saying why.
  explicit KeyValueParser(KeyValueOptions options);
  ParseOutput parse(const ParseInput& input) const override;

 private:
  KeyValueOptions options_;
  std::string options_error_;
};

}  // namespace gleaner::parsers
