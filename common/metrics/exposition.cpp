#include "common/metrics/exposition.h"

#include "common/metrics/names.h"

namespace gleaner::metrics {

std::string family_header(std::string_view name, MetricType type, std::string_view help) {
  std::string header;
  if (!help.empty()) {
    header.append("# HELP ").append(name).append(" ").append(escape_help(help)).append("\n");
  }
  header.append("# TYPE ").append(name).append(" ").append(to_string(type)).append("\n");
  return header;
}

void append_own_family(std::string& out, std::string_view name, MetricType type, std::string_view help,
                       const std::string& lines, TextFormat format) {
  if (format == TextFormat::prometheus) {
    out += family_header(name, type, help);
    out += lines;
    return;
  }
  append_openmetrics_group(out, name, type, help, {OpenMetricsPart{OpenMetricsForm::same_text, &lines, &lines}},
                           unit_of(openmetrics_family_name(name, type)));
}

}  // namespace gleaner::metrics
