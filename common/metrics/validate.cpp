#include "common/metrics/validate.h"

#include <algorithm>
#include <unordered_set>
#include <vector>

#include "common/metrics/names.h"
#include "common/units/units.h"

namespace gleaner::metrics {
namespace {

bool is_valid_utf8(std::string_view text) {
  const bool plain_ascii = std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte != 0 && byte < 0x80;
  });
  return plain_ascii || sanitize_utf8(text) == text;
}

// Names in messages may be the invalid bytes being reported.
std::string show(std::string_view text) {
  constexpr std::size_t kLimit = 64;
  const bool cut = text.size() > kLimit;
  return "\"" + sanitize_utf8(text.substr(0, kLimit)) + (cut ? "…\"" : "\"");
}

const Label* find_label(const Sample& sample, std::string_view name) {
  for (const auto& label : sample.labels) {
    if (label.name == name) return &label;
  }
  return nullptr;
}

std::string require_numeric_label(const Sample& sample, std::string_view name) {
  const Label* label = find_label(sample, name);
  if (!label) return "sample " + show(sample.name) + " needs a \"" + std::string(name) + "\" label";
  if (!units::parse_number(label->value)) {
    return "sample " + show(sample.name) + " has a non-numeric \"" + std::string(name) + "\" label " +
           show(label->value);
  }
  return "";
}

// Whether the sample's name fits its family's type, and the labels that the
// type requires are there.
std::string check_membership(const MetricFamily& family, const Sample& sample) {
  const std::string& base = family.name;
  const std::string_view name = sample.name;
  const auto is = [&](std::string_view suffix) {
    return name.size() == base.size() + suffix.size() && name.substr(0, base.size()) == base && name.ends_with(suffix);
  };
  const std::string misplaced =
      "sample " + show(name) + " does not belong to " + std::string(to_string(family.type)) + " " + show(base);
  switch (family.type) {
    case MetricType::histogram:
      if (is("_bucket")) return require_numeric_label(sample, "le");
      if (is("_sum") || is("_count")) return "";
      return misplaced;
    case MetricType::summary:
      if (name == base) return require_numeric_label(sample, "quantile");
      if (is("_sum") || is("_count")) return "";
      return misplaced;
    case MetricType::gaugehistogram:
      if (is("_bucket")) return require_numeric_label(sample, "le");
      if (is("_gsum") || is("_gcount")) return "";
      return misplaced;
    case MetricType::info:
      return is("_info") ? "" : misplaced;
    default:
      return name == base ? "" : misplaced;
  }
}

std::string check_labels(const Sample& sample) {
  for (std::size_t i = 0; i < sample.labels.size(); ++i) {
    const Label& label = sample.labels[i];
    if (!is_valid_label_name(label.name)) {
      return "sample " + show(sample.name) + " has an invalid label name " + show(label.name);
    }
    if (label.name == "__name__") return "sample " + show(sample.name) + " has the reserved label name \"__name__\"";
    if (!is_valid_utf8(label.value)) {
      return "sample " + show(sample.name) + " label " + show(label.name) + " is not valid UTF-8";
    }
  }
  // Few labels: compare each pair. Many: sorted names side by side, since a
  // hostile line may carry tens of thousands of them.
  constexpr std::size_t kPairwise = 16;
  if (sample.labels.size() <= kPairwise) {
    for (std::size_t i = 0; i < sample.labels.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (sample.labels[j].name == sample.labels[i].name) {
          return "sample " + show(sample.name) + " has the label " + show(sample.labels[i].name) + " twice";
        }
      }
    }
    return "";
  }
  std::vector<std::string_view> names;
  names.reserve(sample.labels.size());
  for (const auto& label : sample.labels) names.push_back(label.name);
  std::sort(names.begin(), names.end());
  if (const auto twice = std::adjacent_find(names.begin(), names.end()); twice != names.end()) {
    return "sample " + show(sample.name) + " has the label " + show(*twice) + " twice";
  }
  return "";
}

// Label order does not make a different series. NUL separates the parts: it
// cannot occur in valid names and values.
std::string series_key(const Sample& sample) {
  std::vector<const Label*> sorted;
  sorted.reserve(sample.labels.size());
  for (const auto& label : sample.labels) sorted.push_back(&label);
  std::sort(sorted.begin(), sorted.end(), [](const Label* a, const Label* b) { return a->name < b->name; });
  std::string key = sample.name;
  for (const Label* label : sorted) {
    key += '\0' + label->name + '\0' + label->value;
  }
  return key;
}

}  // namespace

std::string check_sample(const MetricFamily& family, const Sample& sample) {
  if (!is_valid_metric_name(sample.name)) return "invalid metric name " + show(sample.name);
  if (auto problem = check_membership(family, sample); !problem.empty()) return problem;
  return check_labels(sample);
}

std::string check_families(const Families& families) {
  std::unordered_set<std::string> family_names;
  std::unordered_set<std::string> series;
  for (const auto& family : families) {
    if (!is_valid_metric_name(family.name)) return "invalid metric name " + show(family.name);
    if (!family_names.insert(family.name).second) return "family " + show(family.name) + " appears twice";
    if (!is_valid_utf8(family.help)) return "HELP of " + show(family.name) + " is not valid UTF-8";
    for (const auto& sample : family.samples) {
      if (auto problem = check_sample(family, sample); !problem.empty()) return problem;
      if (!series.insert(series_key(sample)).second) {
        return "duplicate series: " + show(sample.name) + " with the same labels twice";
      }
    }
  }
  return "";
}

}  // namespace gleaner::metrics
