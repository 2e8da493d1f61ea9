#pragma once
// GET /: a small self-contained HTML page with every collector's state.

#include <string>
#include <vector>

#include "daemon/scheduler/collector_status.h"
#include "daemon/self_metrics.h"

namespace gleaner::daemon {

// Failing collectors come first, then those starting, then the rest, each
// group in the configuration's order; a failed reload is shown above them.
std::string render_status_page(const std::vector<const CollectorStatus*>& collectors, const std::string& metrics_path,
                               const DaemonState& state);

}  // namespace gleaner::daemon
