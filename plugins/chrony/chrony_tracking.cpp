#include "plugins/chrony/chrony_tracking.h"

#include <cstdlib>
#include <vector>

#include "common/metrics/names.h"
#include "common/parsers/parse_error.h"

namespace gleaner::plugins::chrony {
namespace {

using metrics::Label;
using metrics::MetricType;
using metrics::Sample;

// The fields of `chronyc -c tracking`, in chronyc's order.
enum Field {
  kRefId = 0,
  kRefHost = 1,
  kStratum = 2,
  kSystemOffset = 4,
  kLastOffset = 5,
  kRootDispersion = 11,
  kFieldCount = 14,
};

bool to_double(const std::string& text, double& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

}  // namespace

Tracking parse_tracking(std::string_view text) {
  Tracking tracking;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (text.find('\n') != std::string_view::npos) {
    tracking.error = "expected one line from chronyc -c tracking";
    return tracking;
  }
  std::vector<std::string> fields;
  for (std::size_t start = 0;;) {
    const auto comma = text.find(',', start);
    fields.emplace_back(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (fields.size() != kFieldCount) {
    tracking.error = "expected " + std::to_string(kFieldCount) + " comma-separated fields, got " +
                     std::to_string(fields.size()) + " in " + parsers::quote(text);
    return tracking;
  }
  tracking.ref_id = fields[kRefId];
  tracking.ref_host = fields[kRefHost];
  if (!to_double(fields[kStratum], tracking.stratum) || !to_double(fields[kSystemOffset], tracking.system_offset) ||
      !to_double(fields[kLastOffset], tracking.last_offset) ||
      !to_double(fields[kRootDispersion], tracking.root_dispersion)) {
    tracking.error = "expected numbers in " + parsers::quote(text);
  }
  return tracking;
}

metrics::Families tracking_families(const Tracking& tracking) {
  metrics::FamilyBuilder builder;
  const auto gauge = [&](const char* name, const char* help, metrics::Labels labels, double value) {
    builder.family(name, MetricType::gauge, help);
    builder.add(name, MetricType::gauge, Sample{name, std::move(labels), value});
  };
  gauge("chrony_tracking_reference_info", "The current reference of chronyd, by ID and host name.",
        {Label{"ref_id", metrics::sanitize_utf8(tracking.ref_id)},
         Label{"ref_host", metrics::sanitize_utf8(tracking.ref_host)}},
        1);
  gauge("chrony_tracking_stratum", "The stratum of the current preferred source", {}, tracking.stratum);
  gauge("chrony_tracking_system_offset_seconds", "The current estimated drift of system time from true time", {},
        tracking.system_offset);
  gauge("chrony_tracking_last_offset_seconds", "The estimated local offset on the last clock update.", {},
        tracking.last_offset);
  gauge("chrony_tracking_root_dispersion_seconds", "The absolute bound on the computer’s clock accuracy", {},
        tracking.root_dispersion);
  return builder.take();
}

}  // namespace gleaner::plugins::chrony
