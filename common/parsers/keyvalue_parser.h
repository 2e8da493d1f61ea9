#pragma once
// `type: keyvalue`: lines `key=value` or `key: value`, one series per key,
// named `prefix` + the key made a valid metric name ("rx-bytes" becomes
// rx_bytes). Blank lines and lines starting with '#' are skipped. Values may
// carry units (`48%` is 0.48, `1.5K` is 1536: see units::parse_quantity).
//
// Without a `separator`, each line splits at its first '=' or ':', whichever
// comes first. Bad lines, named with their number: no separator, an empty
// key, a value that is not a number, and a key (after sanitizing) seen
// again (the later line is the bad one). What a bad line costs is
// `on_error`'s choice (bad_lines.h). `help` is the HELP of every series:
// the keys come from the output, so one text serves them all.

#include <string>
#include <string_view>

#include "common/parsers/bad_lines.h"
#include "common/parsers/parser.h"

namespace gleaner::parsers {

struct KeyValueOptions {
  std::string prefix;                                     // "" or a valid metric name: "node_", "app_"
  metrics::MetricType type = metrics::MetricType::gauge;  // gauge or counter
  std::string separator;                                  // "" means '=' or ':'
  OnError on_error = OnError::skip;
  std::string help = {};  // "" or the HELP text of every series
};

std::string check_options(const KeyValueOptions& options);

class KeyValueParser final : public Parser {
 public:
  // Options should pass check_options; if not, every parse fails saying why.
  explicit KeyValueParser(KeyValueOptions options);
  ParseOutput parse(const ParseInput& input) const override;

 private:
  std::string read_line(std::string_view line, std::string_view& key, std::string& name, double& value) const;

  KeyValueOptions options_;
  std::string options_error_;
};

}  // namespace gleaner::parsers
