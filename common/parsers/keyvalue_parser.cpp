#include "common/parsers/keyvalue_parser.h"

#include <unordered_set>

#include "common/parsers/line_reader.h"
#include "common/parsers/metric_options.h"
#include "common/metrics/names.h"
#include "common/parsers/parse_error.h"
#include "common/units/units.h"

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
    : options_(std::move(options)), options_error_(check_options(options_)) {
  options_.help = metrics::sanitize_utf8(options_.help);
}

// "" or what is wrong with the line; `key`, `name` and `value` are set when it is fine.
std::string KeyValueParser::read_line(std::string_view line, std::string_view& key, std::string& name,
                                      double& value) const {
  const std::size_t split = options_.separator.empty() ? line.find_first_of("=:") : line.find(options_.separator);
  if (split == std::string_view::npos) {
    const std::string expected =
        options_.separator.empty() ? "key=value or key: value" : "key" + shown_separator(options_.separator) + "value";
    return "expected " + expected + ", got " + quote(line);
  }
  const std::size_t separator_size = options_.separator.empty() ? 1 : options_.separator.size();
  key = trim_blanks(line.substr(0, split));
  const std::string_view text = trim_blanks(line.substr(split + separator_size));
  if (key.empty()) return "empty key in " + quote(line);
  const auto number = units::parse_quantity(text);
  if (!number) return "the value of " + quote(key) + " is not a number: " + quote(text);
  name = metrics::sanitize_metric_name(options_.prefix + std::string(key));
  value = *number;
  return "";
}

ParseOutput KeyValueParser::parse(const ParseInput& input) const {
  if (!options_error_.empty()) return ParseOutput::failure("invalid parser options: " + options_error_);
  metrics::Families families;
  std::unordered_set<std::string> names;
  BadLines bad(options_.on_error);
  LineReader lines(input.text);
  std::string_view line;
  while (lines.next(line)) {
    line = trim_blanks(line);
    if (line.empty() || line.front() == '#') continue;
    std::string_view key;
    std::string name;
    double value = 0;
    std::string error = read_line(line, key, name, value);
    if (error.empty() && !names.insert(name).second) {
      error = std::string(kDuplicateSeries) + quote(name) + ": key " + quote(key) + " gives it a second time";
    }
    if (!error.empty()) {
      error = at_line(lines.number(), error);
      if (bad.skip(error)) continue;
      return ParseOutput::failure(std::move(error));
    }
    metrics::MetricFamily family{name, options_.type, options_.help, {}};
    family.samples.push_back(metrics::Sample{std::move(name), {}, value});
    families.push_back(std::move(family));
  }
  return bad.finish(std::move(families));
}

}  // namespace gleaner::parsers
