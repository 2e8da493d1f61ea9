#pragma once
// gleaner's own metrics, made at each scrape: the gleaner_collector_*
// series from the scheduler, the daemon's state (basic auth's counts among
// it), and the process metrics.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemon/http/auth_statistics.h"
#include "daemon/scheduler/collector_status.h"
#include "common/metrics/openmetrics.h"
#include "common/metrics/sample.h"

namespace gleaner::daemon {

struct DaemonState {
  std::size_t commands_running = 0;
  bool last_reload_successful = true;
  // When the last reload failed, and its first error (FILE:LINE:COLUMN: …).
  std::optional<std::chrono::system_clock::time_point> last_reload_failed_at;
  std::string last_reload_error;
  std::uint64_t orphans_killed = 0;
  // Set when basic auth is configured (web.basic_auth or basic_auth_users):
  // without it there is nothing to count, and no gleaner_basic_auth_* series.
  std::optional<http::AuthStatistics> basic_auth;
};

// The gleaner_collector_* families (a series or more per collector), written
// straight into `out` in `format`. With 1,000 collectors a scrape has some
// 19,000 of them: made as samples and then serialised, they cost about 8
// allocations each (1,921 a scrape at 10 collectors, 356 since), so some
// 150,000 a scrape, and the heap kept megabytes of the holes they left
// (README "Performance").
void write_collector_metrics(std::string& out, const std::vector<const CollectorStatus*>& collectors,
                             metrics::TextFormat format);

// The rest of gleaner's own families, a few series each: the daemon's
// state, the scheduler's lateness, basic auth's counts, the process.
metrics::Families self_metrics(const DaemonState& state, const metrics::MetricFamily& lateness);

// process_resident_memory_bytes, process_cpu_seconds_total, process_open_fds,
// process_start_time_seconds (and the limits), from /proc/self.
metrics::Families process_metrics();

}  // namespace gleaner::daemon
