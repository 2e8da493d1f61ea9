#pragma once
// What one collector's result must pass before it joins the exposition
// (README "What a collector may expose"). This part needs nothing but the
// collector's own result: which families are gleaner's to make, which
// samples are well formed, the collector's labels added without ever
// repeating a label name, the same series never twice, and every sample
// written as text exactly as it was printed. What needs every collector
// (two collectors printing one name) is the metric store's part.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/metrics/openmetrics.h"
#include "common/metrics/sample.h"

namespace gleaner::metrics {

// Why a series printed by a command is not exposed.
enum class DropReason {
  reserved,   // a name of gleaner's own (gleaner_*, process_*)
  conflict,   // another collector, earlier in the configuration, has the name
  duplicate,  // the same series twice in one result
  malformed,  // a line or sample that could not be read or is invalid
};

inline constexpr DropReason kAllDropReasons[] = {DropReason::reserved, DropReason::conflict, DropReason::duplicate,
                                                 DropReason::malformed};

std::string_view to_string(DropReason reason);

struct DropCounts {
  std::array<std::size_t, std::size(kAllDropReasons)> by_reason{};

  std::size_t& operator[](DropReason reason) { return by_reason[static_cast<std::size_t>(reason)]; }
  std::size_t operator[](DropReason reason) const { return by_reason[static_cast<std::size_t>(reason)]; }
  std::size_t total() const;
};

// Names reserved for gleaner's own series.
bool is_reserved_name(std::string_view name);

// The names a family takes, in the text format and in OpenMetrics: a
// histogram or summary NAME also takes NAME_bucket, NAME_sum and NAME_count,
// since a reader files samples of those names under it, and NAME_created,
// which OpenMetrics reserves for it; a counter takes both NAME and
// NAME_total (whichever it was printed as: OpenMetrics names the family
// without the suffix and its samples with it) and NAME_created; an info
// NAME takes NAME and NAME_info (the text format's family); a
// gaugehistogram NAME takes what a histogram does but _created, and
// NAME_gsum and NAME_gcount (the text format's gauges).
std::vector<std::string> names_taken_by(std::string_view family, MetricType type);

// The names a family takes in the text format alone: NAME, and for a
// histogram or summary NAME_bucket, NAME_sum and NAME_count. What one
// textfile may hold, as node_exporter reads it.
std::vector<std::string> names_taken_in_text_format(std::string_view family, MetricType type);

// A family ready for the exposition: its header facts and its sample lines.
struct AdmittedFamily {
  std::string name;
  MetricType type = MetricType::untyped;
  std::string help;
  std::string text;  // sample lines, the collector's labels included
  std::size_t series = 0;
  // How the samples are written in OpenMetrics, and the lines when they
  // differ from `text` (see openmetrics.h).
  OpenMetricsForm openmetrics = OpenMetricsForm::same_text;
  std::string openmetrics_text;
  std::string unit = {};  // OpenMetrics' `# UNIT`, as printed, or ""
};

struct Admission {
  std::vector<AdmittedFamily> families;
  DropCounts dropped;
  std::string first_drop;  // what the first dropped series was and why
};

// `added` are the labels every sample gets, first: `collector` and the
// configured ones. A sample's own label whose name is taken is renamed
// "exported_<name>", and again until the name is free, as Prometheus does.
Admission admit(const Families& families, const Labels& added);

}  // namespace gleaner::metrics
