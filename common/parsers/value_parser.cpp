#include "common/parsers/value_parser.h"

#include "common/parsers/line_reader.h"
#include "common/parsers/metric_options.h"
#include "common/metrics/names.h"
#include "common/parsers/parse_error.h"
#include "common/units/units.h"

namespace gleaner::parsers {
namespace {

constexpr bool is_space(char c) { return is_blank(c) || c == '\n'; }

}  // namespace

std::string check_options(const ValueOptions& options) {
  if (auto error = check_metric_name("metric", options.metric); !error.empty()) return error;
  if (auto error = check_sample_type(options.type); !error.empty()) return error;
  return "";
}

ValueParser::ValueParser(ValueOptions options) : options_(std::move(options)), options_error_(check_options(options_)) {
  options_.help = metrics::sanitize_utf8(options_.help);
}

ParseOutput ValueParser::parse(const ParseInput& input) const {
  if (!options_error_.empty()) return ParseOutput::failure("invalid parser options: " + options_error_);
  std::string_view text = input.text;
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (text.empty()) return ParseOutput::failure("expected one number, got no output");
  for (char c : text) {
    if (is_space(c)) return ParseOutput::failure("expected one number, got " + quote(text));
  }
  const auto value = units::parse_number(text);
  if (!value) return ParseOutput::failure("expected a number, got " + quote(text));
  metrics::MetricFamily family{options_.metric, options_.type, options_.help, {}};
  family.samples.push_back(metrics::Sample{options_.metric, {}, *value});
  metrics::Families families;
  families.push_back(std::move(family));
  return ParseOutput::success(std::move(families));
}

}  // namespace gleaner::parsers
