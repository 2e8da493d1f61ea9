#pragma once
// The data model every part shares: what parsers produce, what collectors
// publish and what the store serialises. Deliberately plain values.

#include <string>
#include <string_view>
#include <vector>

namespace gleaner::metrics {

// The last three are OpenMetrics' own, passed through from a command that
// prints them (README "Parsers"): info (samples NAME_info, value 1),
// stateset (samples NAME{NAME="state"}, 0 or 1) and gaugehistogram
// (NAME_bucket{le}, NAME_gsum, NAME_gcount).
enum class MetricType { untyped, gauge, counter, histogram, summary, info, stateset, gaugehistogram };

std::string_view to_string(MetricType type);

struct Label {
  std::string name;
  std::string value;
  friend bool operator==(const Label&, const Label&) = default;
};

using Labels = std::vector<Label>;

// One series' value. For histograms and summaries the samples keep their
// exposition names: NAME_bucket{le=…}, NAME_sum, NAME_count, NAME{quantile=…}.
struct Sample {
  std::string name;
  Labels labels;
  double value = 0;
  friend bool operator==(const Sample&, const Sample&) = default;
};

struct MetricFamily {
  std::string name;
  MetricType type = MetricType::untyped;
  std::string help;
  std::vector<Sample> samples;
  // OpenMetrics' `# UNIT`, as a command printed it (a suffix of the
  // family's OpenMetrics name), or "".
  std::string unit = {};
  friend bool operator==(const MetricFamily&, const MetricFamily&) = default;
};

using Families = std::vector<MetricFamily>;

// The samples of every family: the series a run produced.
std::size_t count_samples(const Families& families);

// Adds samples to families by name, keeping the order of first appearance.
// A family is created on first use with the given type and help.
class FamilyBuilder {
 public:
  MetricFamily& family(std::string_view name, MetricType type = MetricType::untyped,
                       std::string_view help = {});
  void add(std::string_view family_name, MetricType type, Sample sample);
  Families take() { return std::move(families_); }

 private:
  Families families_;
};

}  // namespace gleaner::metrics
