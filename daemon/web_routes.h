#pragma once
// What the daemon serves: the exposition at metrics_path, /-/healthy, and
// the status page at /.

#include <functional>
#include <string>

#include "daemon/http/http_server.h"
#include "daemon/scheduler/scheduler.h"
#include "daemon/self_metrics.h"
#include "metrics/metric_store.h"

namespace gleaner::daemon {

struct WebContext {
  std::string metrics_path;
  const metrics::MetricStore* store;
  const Scheduler* scheduler;
  std::function<DaemonState()> state;
};

inline constexpr const char* kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

// The whole exposition: every collector's series and gleaner's own.
std::string render_exposition(const metrics::MetricStore& store, const Scheduler& scheduler, const DaemonState& state);

http::HttpResponse handle_request(const WebContext& context, const http::HttpRequest& request);

}  // namespace gleaner::daemon
