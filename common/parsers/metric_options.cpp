#include "metric_options.h"

#include "metrics/names.h"
#include "parse_error.h"

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

std::string check_sample_type(metrics::MetricType type) {
  if (type == metrics::MetricType::gauge || type == metrics::MetricType::counter) return "";
  return "type must be gauge or counter, not " + std::string(metrics::to_string(type));
}

}  // namespace gleaner::parsers
