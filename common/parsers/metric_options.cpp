#include "common/parsers/metric_options.h"

#include "common/metrics/names.h"
#include "common/parsers/parse_error.h"

namespace gleaner::parsers {

std::string check_metric_name(std::string_view what, std::string_view name) {
  if (metrics::is_valid_metric_name(name)) return "";
  return std::string(what) + ": " + quote(name) + " is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)";
}

std::string check_label_name(std::string_view what, std::string_view name) {
  if (name == kReservedLabelName) return std::string(what) + ": the label name " + quote(name) + " is reserved";
  if (metrics::is_valid_label_name(name)) return "";
  return std::string(what) + ": " + quote(name) + " is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)";
}

std::string check_help(const HelpTexts& help, const std::set<std::string, std::less<>>& metrics) {
  for (const auto& [metric, text] : help) {
    if (metrics.count(metric) == 0) return "help: " + quote(metric) + " is none of the parser's metrics";
  }
  return "";
}

std::string help_for(const HelpTexts& help, std::string_view metric) {
  const auto found = help.find(metric);
  return found == help.end() ? std::string() : metrics::sanitize_utf8(found->second);
}

std::string check_sample_type(metrics::MetricType type) {
  if (type == metrics::MetricType::gauge || type == metrics::MetricType::counter) return "";
  return "type must be gauge or counter, not " + std::string(metrics::to_string(type));
}

}  // namespace gleaner::parsers
