#include "keyvalue_parser.h"

#include <unordered_set>

#include "line_reader.h"
#include "metric_options.h"
#include "metrics/names.h"
#include "parse_error.h"
#include "units/units.h"

namespace gleaner::parsers {
namespace {

// The separator comes from the configuration and may be any bytes; in a
// message it is shown the way quote() shows output (without the quotes), so
// that the message stays printable, valid UTF-8. Found by tests/fuzz.
std::string shown_separator(std::string_view separator) {
  const std::string quoted = quote(separator);
  return quoted.substr(1, quoted.size() - 2);
}

}  // namespace

std::string check_options(const KeyValueOptions& options) {
  if (!options.prefix.empty()) {
    if (auto error = check_metric_name("prefix", options.prefix); !error.empty()) return error;
  }
  return check_sample_type(options.type);
}

KeyValueParser::KeyValueParser(KeyValueOptions options)
    : options_(std::move(options)), options_error_(check_options(options_)) {}

ParseOutput KeyValueParser::parse(const ParseInput& input) const {
  if (!options_error_.empty()) return ParseOutput::failure("invalid parser options: " + options_error_);
  metrics::Families families;
  std::unordered_set<std::string> names;
  LineReader lines(input.text);
  std::string_view line;
  while (lines.next(line)) {
    line = trim_blanks(line);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t split = options_.separator.empty() ? line.find_first_of("=:") : line.find(options_.separator);
    if (split == std::string_view::npos) {
      const std::string expected =
          options_.separator.empty() ? "key=value or key: value" : "key" + shown_separator(options_.separator) + "value";
      return ParseOutput::failure(at_line(lines.number(), "expected " + expected + ", got " + quote(line)));
    }
    const std::size_t separator_size = options_.separator.empty() ? 1 : options_.separator.size();
    const std::string_view key = trim_blanks(line.substr(0, split));
    const std::string_view text = trim_blanks(line.substr(split + separator_size));
    if (key.empty()) return ParseOutput::failure(at_line(lines.number(), "empty key in " + quote(line)));
    const auto value = units::parse_quantity(text);
    if (!value) {
      return ParseOutput::failure(
          at_line(lines.number(), "the value of " + quote(key) + " is not a number: " + quote(text)));
    }
    std::string name = metrics::sanitize_metric_name(options_.prefix + std::string(key));
    if (!names.insert(name).second) {
      return ParseOutput::failure(
          at_line(lines.number(), "key " + quote(key) + " gives the metric " + quote(name) + " a second time"));
    }
    metrics::MetricFamily family{name, options_.type, {}, {}};
    family.samples.push_back(metrics::Sample{std::move(name), {}, *value});
    families.push_back(std::move(family));
  }
  return ParseOutput{std::move(families), {}};
}

}  // namespace gleaner::parsers
