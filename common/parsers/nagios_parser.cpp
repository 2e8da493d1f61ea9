#include "common/parsers/nagios_parser.h"

#include <optional>

#include "common/parsers/bad_lines.h"
#include "common/parsers/metric_options.h"
#include "common/parsers/output_text.h"
#include "common/parsers/parse_error.h"
#include "common/parsers/perfdata.h"
#include "common/parsers/series_set.h"

namespace gleaner::parsers {
namespace {

using metrics::MetricType;

int nagios_status(int exit_code) { return exit_code >= 0 && exit_code <= 3 ? exit_code : 3; }

// The perfdata parts of a plugin's output: after '|' on the first line, and
// after the first '|' of the long output, to its end.
std::pair<std::string_view, std::string_view> perfdata_parts(std::string_view text) {
  const auto line_end = text.find('\n');
  const std::string_view first_line = text.substr(0, line_end);
  const std::string_view long_output =
      line_end == std::string_view::npos ? std::string_view{} : text.substr(line_end + 1);
  const auto after_bar = [](std::string_view part) {
    const auto bar = part.find('|');
    return bar == std::string_view::npos ? std::string_view{} : part.substr(bar + 1);
  };
  return {after_bar(first_line), after_bar(long_output)};
}

// One optional field of the items as a family of its own.
struct PerfdataFamily {
  std::string_view suffix;
  std::string_view help;
  std::optional<double> PerfdataItem::*field;
};

constexpr PerfdataFamily kPerfdataFamilies[] = {
    {"_perfdata", "Nagios performance data: each item's value, in base units.", &PerfdataItem::value},
    {"_perfdata_warning", "Nagios performance data: warning threshold (when a plain number).", &PerfdataItem::warning},
    {"_perfdata_critical", "Nagios performance data: critical threshold (when a plain number).",
     &PerfdataItem::critical},
    {"_perfdata_min", "Nagios performance data: minimum possible value.", &PerfdataItem::min},
    {"_perfdata_max", "Nagios performance data: maximum possible value.", &PerfdataItem::max},
};

}  // namespace

std::string check_options(const NagiosOptions& options) { return check_metric_name("metric", options.metric); }

NagiosParser::NagiosParser(NagiosOptions options)
    : options_(std::move(options)), options_error_(check_options(options_)) {}

ParseOutput NagiosParser::parse(const ParseInput& input) const {
  if (!options_error_.empty()) return ParseOutput::failure("invalid parser options: " + options_error_);
  BadLines bad(options_.on_error);
  std::string failure;
  const auto on_bad = [&](const std::string& error) {
    if (bad.skip(error)) return true;
    failure = error;
    return false;
  };
  std::vector<PerfdataItem> items;
  const auto [first, rest] = perfdata_parts(input.text);
  read_perfdata(first, items, on_bad);
  if (failure.empty()) read_perfdata(rest, items, on_bad);
  if (!failure.empty()) return ParseOutput::failure(std::move(failure));

  metrics::Families families;
  const std::string status_name = options_.metric + "_status";
  families.push_back(
      metrics::MetricFamily{status_name,
                            MetricType::gauge,
                            "Nagios plugin status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
                            {metrics::Sample{status_name, {}, static_cast<double>(nagios_status(input.exit_code))}}});

  // A label seen again: the later item is the bad one.
  std::vector<metrics::Labels> labels;
  labels.reserve(items.size());
  SeriesSet series;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& item = items[i];
    metrics::Labels item_labels{{"label", valid_utf8(std::string_view(item.label))},
                                {"unit", valid_utf8(std::string_view(item.unit))}};
    if (!series.insert(options_.metric, item_labels)) {
      std::string error = std::string(kDuplicateSeries) + "from perfdata label " + quote(item.label) + ", which appears twice";
      if (!bad.skip(error)) return ParseOutput::failure(std::move(error));
      continue;
    }
    labels.push_back(std::move(item_labels));
    if (kept != i) items[kept] = std::move(items[i]);
    ++kept;
  }
  items.resize(kept);
  for (const auto& kind : kPerfdataFamilies) {
    metrics::MetricFamily family{
        options_.metric + std::string(kind.suffix), MetricType::gauge, std::string(kind.help), {}};
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!items[i].value) continue;  // U: nothing was measured
      if (const auto& number = items[i].*kind.field) {
        family.samples.push_back(metrics::Sample{family.name, labels[i], *number});
      }
    }
    if (!family.samples.empty()) families.push_back(std::move(family));
  }
  return bad.finish(std::move(families));
}

}  // namespace gleaner::parsers
