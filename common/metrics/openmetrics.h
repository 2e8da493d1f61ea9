#pragma once
// Writing families in OpenMetrics 1.0 (README "What a collector may
// expose"), next to the Prometheus text format every family is first
// written in (sample_text.h).
//
// What differs from the text format: a counter's family is named without
// `_total` in HELP and TYPE while its samples end in `_total`; untyped is
// `unknown`; HELP escapes `"` too; a family's samples come series by
// series (a histogram's buckets in `le` order, then _sum and _count); and
// OpenMetrics asks more of values than the text format does (counters not
// negative or NaN, histograms with a +Inf bucket, integer counts, an
// info's value 1, a stateset's 0 or 1 and its state label...).
//
// A family whose samples OpenMetrics would refuse is written instead as
// one `unknown` family per sample name, its samples exactly as in the text
// format: every value is kept and the exposition stays valid. Which form
// a family takes is decided once, when it is admitted.

#include <string>
#include <string_view>
#include <vector>

#include "common/metrics/sample.h"

namespace gleaner::metrics {

enum class TextFormat { prometheus, openmetrics };

// How a family's samples are written in OpenMetrics.
enum class OpenMetricsForm {
  same_text,         // the sample lines of the text format, unchanged
  own_text,          // lines of their own (renamed, reordered)
  unknown_per_name,  // not valid as its type: `unknown` families, one per sample name
};

// The family's name in OpenMetrics: a counter's without `_total`.
std::string openmetrics_family_name(std::string_view name, MetricType type);

// "unknown" for untyped, else the type's name.
std::string_view openmetrics_type(MetricType type);

// "# HELP …\n# TYPE …\n" and "# UNIT …\n" when unit is not empty.
std::string openmetrics_header(std::string_view name, std::string_view type, std::string_view help,
                               std::string_view unit = {});

// Whether the name ends in `_` and the unit, with a name before them: what
// OpenMetrics asks of a family with a UNIT.
bool ends_in_unit(std::string_view name, std::string_view unit);

// Whether a command's `# UNIT` may stand for the family: OpenMetrics asks
// that the family's name (its OpenMetrics name: a counter's without
// `_total`) end in `_` and the unit, and gives info and stateset none.
bool unit_fits(std::string_view openmetrics_name, MetricType type, std::string_view unit);

// The unit its name ends with, for gleaner's own families: "seconds",
// "bytes", or "".
std::string_view unit_of(std::string_view openmetrics_name);

// Checks and writes one family's samples as they are admitted (the
// collector's labels added).
class OpenMetricsSamples {
 public:
  OpenMetricsSamples(std::string_view family, MetricType type);
  void add(const Sample& sample, const Labels& labels);
  struct Result {
    OpenMetricsForm form = OpenMetricsForm::same_text;
    std::string text;     // the lines, for own_text
    std::string problem;  // why not valid, for unknown_per_name
  };
  Result finish();

 private:
  std::string family_;
  MetricType type_;
  bool renamed_counter_ = false;
  std::string problem_;
  std::string text_;
  std::vector<Sample> kept_;  // histograms, summaries, statesets: written at finish
};

// Appends the families of one name that several collectors may share:
// `parts` are each one's sample lines in the text format, with their form
// and OpenMetrics lines. Typed when every part is valid, else as unknown
// families per sample name.
struct OpenMetricsPart {
  OpenMetricsForm form;
  const std::string* text;
  const std::string* openmetrics_text;
};
// `unit` goes into the typed form's header (gleaner's own families).
void append_openmetrics_group(std::string& out, std::string_view name, MetricType type, std::string_view help,
                              const std::vector<OpenMetricsPart>& parts, std::string_view unit = {});

inline constexpr std::string_view kOpenMetricsEnd = "# EOF\n";

}  // namespace gleaner::metrics
