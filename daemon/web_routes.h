#pragma once
// What the daemon serves: the exposition at metrics_path (in the format the
// Accept field asks for, see http/accept_exposition.h), /-/healthy, and the
// status page at /.

#include <array>
#include <functional>
#include <string>

#include "daemon/http/http_server.h"
#include "daemon/scheduler/scheduler.h"
#include "daemon/self_metrics.h"
#include "common/metrics/metric_store.h"

namespace gleaner::daemon {

// The collectors' part of the last exposition served, with its compressed
// form: reused by every scrape until a collector publishes again. One per
// format, so that scrapers asking for different formats never undo each
// other's compression.
struct ExpositionCache {
  struct Entry {
    std::shared_ptr<const std::string> source;
    std::shared_ptr<const http::StablePart> part;
  };
  std::array<Entry, 2> by_format;  // by metrics::TextFormat
};

struct WebContext {
  std::string metrics_path;
  const metrics::MetricStore* store;
  const Scheduler* scheduler;
  std::function<DaemonState()> state;
  std::shared_ptr<ExpositionCache> cache = std::make_shared<ExpositionCache>();
};

// The whole exposition: every collector's series and gleaner's own.
std::string render_exposition(const metrics::MetricStore& store, const Scheduler& scheduler, const DaemonState& state);

http::HttpResponse handle_request(const WebContext& context, const http::HttpRequest& request);

}  // namespace gleaner::daemon
