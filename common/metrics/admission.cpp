#include "common/metrics/admission.h"

#include <algorithm>
#include <span>

#include "common/metrics/names.h"
#include "common/metrics/sample_text.h"
#include "common/metrics/series_key_set.h"
#include "common/units/units.h"
#include "common/metrics/validate.h"

namespace gleaner::metrics {
namespace {

constexpr std::string_view kReservedPrefixes[] = {"gleaner_", "process_"};

bool contains(std::span<const Label> labels, std::string_view name) {
  return std::any_of(labels.begin(), labels.end(), [&](const Label& label) { return label.name == name; });
}

// The added labels first, then the sample's own, each renamed until its
// name is free of the added ones and of the sample's other labels. Written
// over `out`, whose strings keep their capacity from one sample to the
// next: a run of many series allocates for its labels once, not per series.
void assign_with_added(const Labels& own, const Labels& added, Labels& out) {
  out.resize(added.size() + own.size());
  std::size_t next = 0;
  const auto put = [&](std::string_view name, std::string_view value) {
    out[next].name.assign(name);
    out[next].value.assign(value);
    ++next;
  };
  for (const auto& label : added) put(label.name, label.value);
  for (const auto& label : own) {
    if (!contains(added, label.name)) {
      put(label.name, label.value);
      continue;
    }
    std::string name = label.name;
    do {
      name.insert(0, "exported_");
    } while (contains(std::span<const Label>(out.data(), next), name) || contains(own, name));
    put(name, label.value);
  }
}

// The label whose value is a number for this sample (a bucket's `le`, a
// quantile's `quantile`), or "" when none is.
std::string_view numeric_label(const MetricFamily& family, const Sample& sample) {
  if ((family.type == MetricType::histogram || family.type == MetricType::gaugehistogram) &&
      sample.name.ends_with("_bucket")) {
    return "le";
  }
  if (family.type == MetricType::summary && sample.name == family.name) return "quantile";
  return {};
}

// One key per series: name and labels, in any order. `le="1"` and
// `le="1.0"` are one bound, so numeric labels are keyed by their number.
// NUL separates the parts: it cannot occur in valid names and values.
class SeriesKeys {
 public:
  bool insert(const Sample& sample, const Labels& labels, std::string_view numeric) {
    sorted_.clear();
    for (const auto& label : labels) sorted_.push_back(&label);
    std::sort(sorted_.begin(), sorted_.end(), [](const Label* a, const Label* b) { return a->name < b->name; });
    key_ = sample.name;
    for (const Label* label : sorted_) {
      key_ += '\0';
      key_ += label->name;
      key_ += '\0';
      if (!numeric.empty() && label->name == numeric) {
        key_ += format_value(units::parse_number(label->value).value_or(0));
      } else {
        key_ += label->value;
      }
    }
    return keys_.insert(key_);
  }

 private:
  SeriesKeySet keys_;
  std::string key_;  // reused between calls
  std::vector<const Label*> sorted_;
};

std::string quoted(std::string_view text) {
  constexpr std::size_t kLimit = 80;
  return "\"" + sanitize_utf8(text.substr(0, kLimit)) + (text.size() > kLimit ? "…\"" : "\"");
}

}  // namespace

std::string_view to_string(DropReason reason) {
  switch (reason) {
    case DropReason::reserved: return "reserved";
    case DropReason::conflict: return "conflict";
    case DropReason::duplicate: return "duplicate";
    case DropReason::malformed: return "malformed";
  }
  return "unknown";
}

std::size_t DropCounts::total() const {
  std::size_t sum = 0;
  for (auto count : by_reason) sum += count;
  return sum;
}

bool is_reserved_name(std::string_view name) {
  return std::any_of(std::begin(kReservedPrefixes), std::end(kReservedPrefixes),
                     [&](std::string_view prefix) { return name.substr(0, prefix.size()) == prefix; });
}

namespace {

// What OpenMetrics' own types take besides their name, in either format:
// the text format writes an info NAME as the gauge NAME_info and a
// gaugehistogram NAME as the histogram NAME (which a reader gives _sum and
// _count too) beside the gauges NAME_gsum and NAME_gcount (text_form.h).
void add_openmetrics_type_names(std::vector<std::string>& names, std::string_view family, MetricType type) {
  if (type == MetricType::info) names.push_back(std::string(family).append("_info"));
  if (type == MetricType::gaugehistogram) {
    for (std::string_view suffix : {"_bucket", "_sum", "_count", "_gsum", "_gcount"}) {
      names.push_back(std::string(family).append(suffix));
    }
  }
}

}  // namespace

std::vector<std::string> names_taken_in_text_format(std::string_view family, MetricType type) {
  std::vector<std::string> names{std::string(family)};
  if (type == MetricType::histogram || type == MetricType::summary) {
    for (std::string_view suffix : {"_bucket", "_sum", "_count"}) names.push_back(std::string(family).append(suffix));
  }
  add_openmetrics_type_names(names, family, type);
  return names;
}

std::vector<std::string> names_taken_by(std::string_view family, MetricType type) {
  std::vector<std::string> names{std::string(family)};
  add_openmetrics_type_names(names, family, type);
  if (type == MetricType::histogram || type == MetricType::summary) {
    for (std::string_view suffix : {"_bucket", "_sum", "_count", "_created"}) {
      names.push_back(std::string(family).append(suffix));
    }
  } else if (type == MetricType::counter) {
    const std::string base = openmetrics_family_name(family, type);
    if (base == family) {
      names.push_back(base + "_total");
    } else {
      names.push_back(base);
    }
    names.push_back(base + "_created");
  }
  return names;
}

Admission admit(const Families& families, const Labels& added) {
  Admission admission;
  const auto drop = [&](DropReason reason, std::size_t count, const std::string& why) {
    if (count == 0) return;
    if (admission.dropped.total() == 0) admission.first_drop = why;
    admission.dropped[reason] += count;
  };
  SeriesKeys keys;
  Labels labels;  // each sample's, with the added ones
  for (const auto& family : families) {
    if (family.samples.empty()) continue;
    if (!is_valid_metric_name(family.name)) {
      drop(DropReason::malformed, family.samples.size(), "invalid metric name " + quoted(family.name));
      continue;
    }
    const auto taken = names_taken_by(family.name, family.type);
    if (std::any_of(taken.begin(), taken.end(), [](const std::string& name) { return is_reserved_name(name); })) {
      drop(DropReason::reserved, family.samples.size(),
           "family " + quoted(family.name) + " uses a name reserved for gleaner's own series");
      continue;
    }
    // A unit that does not fit its name would make the OpenMetrics
    // exposition invalid; the parser refuses one, a plugin might not.
    const bool unit_fits_name = unit_fits(openmetrics_family_name(family.name, family.type), family.type, family.unit);
    AdmittedFamily admitted{family.name, family.type, sanitize_utf8(family.help), {}, 0, {}, {},
                            unit_fits_name ? family.unit : std::string()};
    OpenMetricsSamples openmetrics(family.name, family.type);
    for (const auto& sample : family.samples) {
      if (auto problem = check_sample(family, sample); !problem.empty()) {
        drop(DropReason::malformed, 1, problem);
        continue;
      }
      assign_with_added(sample.labels, added, labels);
      if (!keys.insert(sample, labels, numeric_label(family, sample))) {
        drop(DropReason::duplicate, 1, "series " + quoted(sample.name) + " printed twice with the same labels");
        continue;
      }
      append_sample_line(admitted.text, sample.name, labels, sample.value);
      openmetrics.add(sample, labels);
      ++admitted.series;
    }
    if (admitted.series == 0) continue;
    auto written = openmetrics.finish();
    admitted.openmetrics = written.form;
    // Histograms already in order cost no second copy.
    if (written.form == OpenMetricsForm::own_text && written.text != admitted.text) {
      admitted.openmetrics_text = std::move(written.text);
    } else if (written.form == OpenMetricsForm::own_text) {
      admitted.openmetrics = OpenMetricsForm::same_text;
    }
    admission.families.push_back(std::move(admitted));
  }
  return admission;
}

}  // namespace gleaner::metrics
