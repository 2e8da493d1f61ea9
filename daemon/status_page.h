#pragma once
// GET /: a small self-contained HTML page with every collector's state.

#include <string>
#include <vector>

#include "daemon/scheduler/collector_status.h"

namespace gleaner::daemon {

std::string render_status_page(const std::vector<const CollectorStatus*>& collectors, const std::string& metrics_path);

}  // namespace gleaner::daemon
