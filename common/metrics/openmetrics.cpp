#include "common/metrics/openmetrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

#include "common/metrics/sample_text.h"
#include "common/units/units.h"

namespace gleaner::metrics {
namespace {

constexpr std::string_view kTotal = "_total";

bool is_count(double value) { return std::isfinite(value) && value >= 0 && std::floor(value) == value; }

double number_of(const Labels& labels, std::string_view name) {
  for (const auto& label : labels) {
    if (label.name == name) return units::parse_number(label.value).value_or(std::numeric_limits<double>::quiet_NaN());
  }
  return std::numeric_limits<double>::quiet_NaN();
}

// The series a histogram or summary sample belongs to: its labels without
// `le` / `quantile`, in any order. NUL cannot occur in names or values.
std::string series_of(const Labels& labels, std::string_view part_label) {
  std::vector<const Label*> sorted;
  for (const auto& label : labels) {
    if (label.name != part_label) sorted.push_back(&label);
  }
  std::sort(sorted.begin(), sorted.end(), [](const Label* a, const Label* b) { return a->name < b->name; });
  std::string key;
  for (const Label* label : sorted) key.append(label->name).append(1, '\0').append(label->value).append(1, '\0');
  return key;
}

// One histogram or summary series: its parts, checked and put in order.
struct Series {
  std::vector<const Sample*> parts;  // buckets or quantiles
  const Sample* sum = nullptr;
  const Sample* count = nullptr;
};

// What histograms and gauge histograms share, as the strict parser checks
// it: each bucket's `le` a number, the buckets put in `le` order, the last
// +Inf, their counts whole and never decreasing; the sum and the count both
// or neither, and the count equal to the +Inf bucket.
struct BucketType {
  std::string_view name, sum, count;
};
constexpr BucketType kHistogram{"histogram", "_sum", "_count"};
constexpr BucketType kGaugeHistogram{"gaugehistogram", "_gsum", "_gcount"};

std::string problem_of(const BucketType& type, const std::string& family, std::string_view what) {
  std::string problem(type.name);
  problem.append(" \"").append(family).append("\" has ").append(what);
  return problem;
}

std::string check_buckets(const BucketType& type, const std::string& family, Series& series) {
  const auto problem = [&](std::string_view what) { return problem_of(type, family, what); };
  auto& buckets = series.parts;
  for (const Sample* bucket : buckets) {
    if (std::isnan(number_of(bucket->labels, "le"))) return problem("a bucket le=NaN");
  }
  std::stable_sort(buckets.begin(), buckets.end(), [](const Sample* a, const Sample* b) {
    return number_of(a->labels, "le") < number_of(b->labels, "le");
  });
  if (buckets.empty() || number_of(buckets.back()->labels, "le") != std::numeric_limits<double>::infinity()) {
    return problem("a series without a +Inf bucket");
  }
  double previous = 0;
  for (const Sample* bucket : buckets) {
    if (!is_count(bucket->value)) return problem("a bucket count that is not a whole number");
    if (bucket->value < previous) return problem("bucket counts that decrease");
    previous = bucket->value;
  }
  if ((series.sum == nullptr) != (series.count == nullptr)) {
    return problem("a series with only one of " + std::string(type.sum) + " and " + std::string(type.count));
  }
  if (series.count && series.count->value != buckets.back()->value) {
    return problem("a " + std::string(type.count) + " other than its +Inf bucket");
  }
  return "";
}

// A histogram's _sum is neither NaN nor negative, and it has no negative
// buckets beside it.
std::string check_histogram(const std::string& family, Series& series) {
  if (std::string problem = check_buckets(kHistogram, family, series); !problem.empty()) return problem;
  if (series.sum) {
    if (std::isnan(series.sum->value) || series.sum->value < 0) {
      return problem_of(kHistogram, family, "a negative or NaN _sum");
    }
    if (number_of(series.parts.front()->labels, "le") < 0) {
      return problem_of(kHistogram, family, "_sum and negative buckets");
    }
  }
  return "";
}

// A gauge histogram's _gsum is not NaN, and negative only beside negative
// buckets.
std::string check_gaugehistogram(const std::string& family, Series& series) {
  if (std::string problem = check_buckets(kGaugeHistogram, family, series); !problem.empty()) return problem;
  if (series.sum) {
    if (std::isnan(series.sum->value)) return problem_of(kGaugeHistogram, family, "a NaN _gsum");
    if (series.sum->value < 0 && !(number_of(series.parts.front()->labels, "le") < 0)) {
      return problem_of(kGaugeHistogram, family, "a negative _gsum without negative buckets");
    }
  }
  return "";
}

std::string check_summary(const std::string& family, const Series& series) {
  for (const Sample* quantile : series.parts) {
    const double at = number_of(quantile->labels, "quantile");
    if (!(at >= 0 && at <= 1)) return "summary \"" + family + "\" has a quantile outside [0, 1]";
    if (quantile->value < 0) return "summary \"" + family + "\" has a negative quantile value";
  }
  if (series.sum && (std::isnan(series.sum->value) || series.sum->value < 0)) {
    return "summary \"" + family + "\" has a negative or NaN _sum";
  }
  if (series.count && !is_count(series.count->value)) {
    return "summary \"" + family + "\" has a _count that is not a whole number";
  }
  return "";
}

// A bucket's `le` as OpenMetrics spells it: "+Inf" is the one spelling
// of infinity it accepts.
void append_bucket(std::string& out, const Sample& bucket) {
  Labels labels = bucket.labels;
  for (auto& label : labels) {
    if (label.name == "le" && number_of(bucket.labels, "le") == std::numeric_limits<double>::infinity()) {
      label.value = "+Inf";
    }
  }
  append_sample_line(out, bucket.name, labels, bucket.value);
}

void append_help_escaped(std::string& out, std::string_view help) {
  for (char c : help) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '"': out += "\\\""; break;
      default: out += c;
    }
  }
}

// The name of a text-format sample line: up to `{` or the space.
std::string_view line_name(std::string_view line) { return line.substr(0, line.find_first_of("{ ")); }

}  // namespace

bool ends_in_unit(std::string_view name, std::string_view unit) {
  return name.size() > unit.size() + 1 && name.ends_with(unit) && name[name.size() - unit.size() - 1] == '_';
}

std::string openmetrics_family_name(std::string_view name, MetricType type) {
  if (type == MetricType::counter && name.ends_with(kTotal) && name.size() > kTotal.size()) {
    name.remove_suffix(kTotal.size());
  }
  return std::string(name);
}

std::string_view openmetrics_type(MetricType type) {
  return type == MetricType::untyped ? std::string_view("unknown") : to_string(type);
}

std::string openmetrics_header(std::string_view name, std::string_view type, std::string_view help,
                               std::string_view unit) {
  std::string header;
  header.append("# HELP ").append(name).append(" ");
  append_help_escaped(header, help);
  header.append("\n# TYPE ").append(name).append(" ").append(type).append("\n");
  if (!unit.empty()) header.append("# UNIT ").append(name).append(" ").append(unit).append("\n");
  return header;
}

bool unit_fits(std::string_view openmetrics_name, MetricType type, std::string_view unit) {
  if (unit.empty() || type == MetricType::info || type == MetricType::stateset) return false;
  return ends_in_unit(openmetrics_name, unit);
}

std::string_view unit_of(std::string_view openmetrics_name) {
  for (std::string_view unit : {"seconds", "bytes"}) {
    if (ends_in_unit(openmetrics_name, unit)) return unit;
  }
  return {};
}

OpenMetricsSamples::OpenMetricsSamples(std::string_view family, MetricType type) : family_(family), type_(type) {
  // A counter printed without `_total` gets it in OpenMetrics; one named
  // just "_total" has no name left to give its family.
  if (type_ == MetricType::counter && !family_.ends_with(kTotal)) renamed_counter_ = true;
  if (type_ == MetricType::counter && family_ == kTotal) problem_ = "counter \"_total\" has no family name";
}

void OpenMetricsSamples::add(const Sample& sample, const Labels& labels) {
  switch (type_) {
    case MetricType::gauge:
    case MetricType::untyped: return;
    case MetricType::info:
      if (problem_.empty() && sample.value != 1) problem_ = "info \"" + family_ + "\" has a value other than 1";
      return;
    case MetricType::stateset:
      if (problem_.empty() && sample.value != 0 && sample.value != 1) {
        problem_ = "stateset \"" + family_ + "\" has a value other than 0 and 1";
      }
      if (problem_.empty() && std::none_of(labels.begin(), labels.end(), [&](const Label& label) {
            return label.name == family_;
          })) {
        problem_ = "stateset \"" + family_ + "\" has a sample without the label \"" + family_ + "\"";
      }
      kept_.push_back(Sample{sample.name, labels, sample.value});
      return;
    case MetricType::counter:
      if (problem_.empty() && (std::isnan(sample.value) || sample.value < 0)) {
        problem_ = "counter \"" + family_ + "\" has a negative or NaN value";
      }
      if (renamed_counter_ && problem_.empty()) append_sample_line(text_, family_ + std::string(kTotal), labels, sample.value);
      return;
    case MetricType::histogram:
    case MetricType::summary:
    case MetricType::gaugehistogram: kept_.push_back(Sample{sample.name, labels, sample.value}); return;
  }
}

OpenMetricsSamples::Result OpenMetricsSamples::finish() {
  Result result;
  const bool reordered = type_ == MetricType::histogram || type_ == MetricType::summary ||
                         type_ == MetricType::gaugehistogram || type_ == MetricType::stateset;
  if (type_ == MetricType::stateset) {
    // The strict parser wants a stateset's states of one series together:
    // its series are its labels but the state.
    std::unordered_map<std::string, std::size_t> index;
    std::vector<std::vector<const Sample*>> all;
    for (const auto& sample : kept_) {
      const auto [it, inserted] = index.try_emplace(series_of(sample.labels, family_), all.size());
      if (inserted) all.emplace_back();
      all[it->second].push_back(&sample);
    }
    if (problem_.empty()) {
      for (const auto& series : all) {
        for (const Sample* state : series) append_sample_line(text_, state->name, state->labels, state->value);
      }
    }
    kept_.clear();
  }
  if (type_ == MetricType::histogram || type_ == MetricType::summary || type_ == MetricType::gaugehistogram) {
    const bool histogram = type_ != MetricType::summary;
    const bool gauge = type_ == MetricType::gaugehistogram;
    const std::string_view sum_suffix = gauge ? "_gsum" : "_sum";
    const std::string_view count_suffix = gauge ? "_gcount" : "_count";
    const std::string_view part_label = histogram ? "le" : "quantile";
    std::unordered_map<std::string, std::size_t> index;
    std::vector<Series> all;
    for (const auto& sample : kept_) {
      const auto [it, inserted] = index.try_emplace(series_of(sample.labels, part_label), all.size());
      if (inserted) all.emplace_back();
      auto& series = all[it->second];
      if (sample.name.ends_with(sum_suffix) && sample.name.size() == family_.size() + sum_suffix.size()) {
        series.sum = &sample;
      } else if (sample.name.ends_with(count_suffix) && sample.name.size() == family_.size() + count_suffix.size()) {
        series.count = &sample;
      } else {
        series.parts.push_back(&sample);
      }
    }
    for (auto& series : all) {
      if (!problem_.empty()) break;
      problem_ = gauge       ? check_gaugehistogram(family_, series)
                 : histogram ? check_histogram(family_, series)
                             : check_summary(family_, series);
    }
    if (problem_.empty()) {
      for (const auto& series : all) {
        for (const Sample* part : series.parts) {
          if (histogram) {
            append_bucket(text_, *part);
          } else {
            append_sample_line(text_, part->name, part->labels, part->value);
          }
        }
        for (const Sample* last : {series.sum, series.count}) {
          if (last) append_sample_line(text_, last->name, last->labels, last->value);
        }
      }
    }
    kept_.clear();
  }
  if (!problem_.empty()) {
    result.form = OpenMetricsForm::unknown_per_name;
    result.problem = std::move(problem_);
  } else if (renamed_counter_ || reordered) {
    result.form = OpenMetricsForm::own_text;
    result.text = std::move(text_);
  }
  return result;
}

void append_openmetrics_group(std::string& out, std::string_view name, MetricType type, std::string_view help,
                              const std::vector<OpenMetricsPart>& parts, std::string_view unit) {
  const bool typed = std::none_of(parts.begin(), parts.end(), [](const OpenMetricsPart& part) {
    return part.form == OpenMetricsForm::unknown_per_name;
  });
  if (typed) {
    out += openmetrics_header(openmetrics_family_name(name, type), openmetrics_type(type), help, unit);
    for (const auto& part : parts) out += part.form == OpenMetricsForm::own_text ? *part.openmetrics_text : *part.text;
    return;
  }
  // Every sample name becomes a family of its own, its lines gathered from
  // every part in the order the names first appear.
  std::vector<std::string_view> names;
  std::map<std::string_view, std::string> lines;
  for (const auto& part : parts) {
    std::string_view text = *part.text;
    while (!text.empty()) {
      const auto end = text.find('\n');
      const std::string_view line = text.substr(0, end == std::string_view::npos ? text.size() : end + 1);
      text.remove_prefix(line.size());
      const auto [it, inserted] = lines.try_emplace(line_name(line));
      if (inserted) names.push_back(it->first);
      it->second += line;
    }
  }
  for (const auto sample_name : names) {
    out += openmetrics_header(sample_name, "unknown", help);
    out += lines[sample_name];
  }
}

}  // namespace gleaner::metrics
