#include "common/metrics/exposition.h"

#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>

#include "common/metrics/names.h"
#include "common/units/units.h"

namespace gleaner::metrics {
namespace {

namespace prom = prometheus;

prom::MetricType to_prometheus(MetricType type) {
  switch (type) {
    case MetricType::gauge: return prom::MetricType::Gauge;
    case MetricType::counter: return prom::MetricType::Counter;
    case MetricType::histogram: return prom::MetricType::Histogram;
    case MetricType::summary: return prom::MetricType::Summary;
    // gleaner's own families never have OpenMetrics' own types; a command's
    // go through admission.h instead.
    case MetricType::info:
    case MetricType::stateset:
    case MetricType::gaugehistogram:
    case MetricType::untyped: break;
  }
  return prom::MetricType::Untyped;
}

std::vector<prom::ClientMetric::Label> with_extra(const Labels& labels, const Labels& extra,
                                                  std::string_view skip = {}) {
  std::vector<prom::ClientMetric::Label> out;
  out.reserve(labels.size() + extra.size());
  for (const auto& label : extra) out.push_back({label.name, label.value});
  for (const auto& label : labels) {
    if (label.name == skip) continue;
    const bool clashes = std::any_of(extra.begin(), extra.end(), [&](const Label& e) { return e.name == label.name; });
    out.push_back({clashes ? "exported_" + label.name : label.name, label.value});
  }
  return out;
}

const std::string* find_label(const Labels& labels, std::string_view name) {
  for (const auto& label : labels) {
    if (label.name == name) return &label.value;
  }
  return nullptr;
}

// Histogram and summary samples belong to a series by their labels without
// `le` / `quantile`; gathers each series' parts into prometheus-cpp's form.
std::vector<prom::ClientMetric> regroup(const MetricFamily& family, const Labels& extra) {
  const bool histogram = family.type == MetricType::histogram;
  const std::string_view part_label = histogram ? "le" : "quantile";
  std::map<std::vector<std::pair<std::string, std::string>>, std::size_t> index;
  std::vector<prom::ClientMetric> metrics;
  for (const auto& sample : family.samples) {
    std::vector<std::pair<std::string, std::string>> key;
    for (const auto& label : sample.labels) {
      if (label.name != part_label) key.emplace_back(label.name, label.value);
    }
    auto [it, inserted] = index.try_emplace(key, metrics.size());
    if (inserted) {
      prom::ClientMetric metric;
      metric.label = with_extra(sample.labels, extra, part_label);
      metrics.push_back(std::move(metric));
    }
    auto& metric = metrics[it->second];
    const std::string_view name = sample.name;
    const auto count = static_cast<std::uint64_t>(std::max(0.0, sample.value));
    if (name.ends_with("_sum")) {
      (histogram ? metric.histogram.sample_sum : metric.summary.sample_sum) = sample.value;
    } else if (name.ends_with("_count")) {
      (histogram ? metric.histogram.sample_count : metric.summary.sample_count) = count;
    } else if (const auto* bound = find_label(sample.labels, part_label)) {
      const double at = units::parse_number(*bound).value_or(std::numeric_limits<double>::quiet_NaN());
      if (histogram) {
        metric.histogram.bucket.push_back({count, at});
      } else {
        metric.summary.quantile.push_back({at, sample.value});
      }
    }
  }
  for (auto& metric : metrics) {
    auto& buckets = metric.histogram.bucket;
    std::stable_sort(buckets.begin(), buckets.end(),
                     [](const auto& a, const auto& b) { return a.upper_bound < b.upper_bound; });
  }
  return metrics;
}

}  // namespace

std::string serialize_samples(const MetricFamily& family, const Labels& extra) {
  prom::MetricFamily out;
  out.name = family.name;
  out.type = to_prometheus(family.type);
  if (family.type == MetricType::histogram || family.type == MetricType::summary) {
    out.metric = regroup(family, extra);
  } else {
    out.metric.reserve(family.samples.size());
    for (const auto& sample : family.samples) {
      prom::ClientMetric metric;
      metric.label = with_extra(sample.labels, extra);
      switch (family.type) {
        case MetricType::gauge: metric.gauge.value = sample.value; break;
        case MetricType::counter: metric.counter.value = sample.value; break;
        default: metric.untyped.value = sample.value; break;
      }
      out.metric.push_back(std::move(metric));
    }
  }
  std::string text = prom::TextSerializer().Serialize({out});
  // The serializer starts with the TYPE line; the store writes the header
  // itself, once per family across all collectors.
  const auto first_newline = text.find('\n');
  if (text.rfind("# TYPE ", 0) == 0 && first_newline != std::string::npos) text.erase(0, first_newline + 1);
  return text;
}

std::string family_header(std::string_view name, MetricType type, std::string_view help) {
  std::string header;
  if (!help.empty()) {
    header.append("# HELP ").append(name).append(" ").append(escape_help(help)).append("\n");
  }
  header.append("# TYPE ").append(name).append(" ").append(to_string(type)).append("\n");
  return header;
}

}  // namespace gleaner::metrics
