#pragma once
// Reading `chronyc -c tracking` (one line of 14 comma-separated fields) into
// the series of Debian's chrony.py (prometheus-node-exporter-collectors, as
// Debian 12 ships it). Pure.

#include <string>
#include <string_view>

#include "common/metrics/sample.h"

namespace gleaner::plugins::chrony {

struct Tracking {
  std::string ref_id;    // "7F7F0101"
  std::string ref_host;  // the reference's name or address; may be empty
  double stratum = 0;
  double system_offset = 0;   // seconds: system time minus true time
  double last_offset = 0;     // seconds, at the last clock update
  double root_dispersion = 0;
  std::string error;  // empty when the line was read
  bool ok() const { return error.empty(); }
};

Tracking parse_tracking(std::string_view text);

// chrony_tracking_reference_info, chrony_tracking_stratum,
// chrony_tracking_system_offset_seconds, chrony_tracking_last_offset_seconds,
// chrony_tracking_root_dispersion_seconds.
metrics::Families tracking_families(const Tracking& tracking);

}  // namespace gleaner::plugins::chrony
