#include "common/metrics/sample.h"

namespace gleaner::metrics {

std::string_view to_string(MetricType type) {
  switch (type) {
    case MetricType::untyped: return "untyped";
    case MetricType::gauge: return "gauge";
    case MetricType::counter: return "counter";
    case MetricType::histogram: return "histogram";
    case MetricType::summary: return "summary";
    case MetricType::info: return "info";
    case MetricType::stateset: return "stateset";
    case MetricType::gaugehistogram: return "gaugehistogram";
  }
  return "untyped";
}

MetricFamily& FamilyBuilder::family(std::string_view name, MetricType type, std::string_view help) {
  // Families are few per run (tens); a linear search beats a map here.
  for (auto it = families_.rbegin(); it != families_.rend(); ++it) {
    if (it->name == name) return *it;
  }
  families_.push_back(MetricFamily{std::string(name), type, std::string(help), {}, {}});
  return families_.back();
}

void FamilyBuilder::add(std::string_view family_name, MetricType type, Sample sample) {
  family(family_name, type).samples.push_back(std::move(sample));
}

std::size_t count_samples(const Families& families) {
  std::size_t count = 0;
  for (const auto& family : families) count += family.samples.size();
  return count;
}

}  // namespace gleaner::metrics
