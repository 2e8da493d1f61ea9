#include "common/parsers/influx_parser.h"

#include <map>
#include <unordered_map>

#include "common/parsers/line_protocol.h"
#include "common/parsers/metric_options.h"
#include "common/metrics/names.h"
#include "common/parsers/output_text.h"
#include "common/parsers/parse_error.h"

namespace gleaner::parsers {
namespace {

// Telegraf's prometheus serializer names a field of this measurement by the
// field alone: it is what Telegraf's prometheus input read, already named.
constexpr std::string_view kPrometheusMeasurement = "prometheus";

// One point's tags label each of its fields: a line of a thousand tags and
// a thousand fields would make a million labels from 20 KB of text. Beyond
// this many labels in one output, a point is a bad line instead of a reason
// to run out of memory (ten thousand series of a hundred labels still fit).
constexpr std::size_t kMaxLabelsPerOutput = 1'000'000;

std::string series_name(const std::string& measurement, const std::string& field) {
  if (measurement == kPrometheusMeasurement) return metrics::sanitize_metric_name(field);
  return metrics::sanitize_metric_name(measurement + "_" + field);
}

// The point's tags as labels, sorted by name (as Telegraf sorts tags), a
// later tag winning over an earlier one that gives the same label name.
// "" or what is wrong.
std::string make_labels(const LineProtocolPoint& point, metrics::Labels& labels) {
  std::map<std::string, std::string> by_name;
  for (const auto& [key, value] : point.tags) {
    std::string name = metrics::sanitize_label_name(key);
    if (name == kReservedLabelName) return "the tag " + quote(key) + " would be the reserved label \"__name__\"";
    by_name[std::move(name)] = valid_utf8(value);
  }
  for (auto& [name, value] : by_name) labels.push_back(metrics::Label{name, std::move(value)});
  return "";
}

// Families in the order their names first appear, each series once with the
// latest value given to it.
class LatestSeries {
 public:
  void set(std::string name, const metrics::Labels& labels, double value) {
    key_ = name;
    for (const auto& label : labels) {
      // NUL occurs in neither names nor sanitized values: an unambiguous separator.
      key_.push_back('\0');
      key_ += label.name;
      key_.push_back('\0');
      key_ += label.value;
    }
    const auto [family, new_family] = families_by_name_.try_emplace(name, families_.size());
    if (new_family) families_.push_back(metrics::MetricFamily{name, metrics::MetricType::untyped, "", {}});
    auto& samples = families_[family->second].samples;
    const auto [sample, new_sample] = samples_by_key_.try_emplace(key_, samples.size());
    if (new_sample) {
      samples.push_back(metrics::Sample{std::move(name), labels, value});
    } else {
      samples[sample->second].value = value;
    }
  }

  metrics::Families take() { return std::move(families_); }

 private:
  metrics::Families families_;
  std::unordered_map<std::string, std::size_t> families_by_name_;
  std::unordered_map<std::string, std::size_t> samples_by_key_;  // index within its family
  std::string key_;
};

}  // namespace

ParseOutput InfluxParser::parse(const ParseInput& input) const {
  LatestSeries series;
  BadLines bad(options_.on_error);
  LineProtocolReader reader(input.text);
  LineProtocolPoint point;
  std::string error;
  std::size_t labels_made = 0;
  while (true) {
    const auto result = reader.next(point, error);
    if (result == LineProtocolReader::Result::end) break;
    metrics::Labels labels;
    if (result == LineProtocolReader::Result::point) {
      error = make_labels(point, labels);
      const std::size_t cost = point.tags.size() * point.fields.size();
      if (error.empty() && cost > kMaxLabelsPerOutput - labels_made) {
        error = std::to_string(point.tags.size()) + " tags on " + std::to_string(point.fields.size()) +
                " fields: more than " + std::to_string(kMaxLabelsPerOutput) + " labels in one output";
      }
      if (error.empty()) labels_made += cost;
    }
    if (!error.empty()) {
      error = at_line(reader.line(), error);
      if (bad.skip(error)) continue;
      return ParseOutput::failure(std::move(error));
    }
    for (const auto& field : point.fields) {
      if (field.value) series.set(series_name(point.measurement, field.key), labels, *field.value);
    }
  }
  return bad.finish(series.take());
}

}  // namespace gleaner::parsers
