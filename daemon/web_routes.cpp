#include "daemon/web_routes.h"

#include "daemon/status_page.h"

namespace gleaner::daemon {

std::string render_exposition(const metrics::MetricStore& store, const Scheduler& scheduler, const DaemonState& state) {
  std::string body;
  store.render(self_metrics(scheduler.statuses(), state, scheduler.lateness().family()), body);
  return body;
}

http::HttpResponse handle_request(const WebContext& context, const http::HttpRequest& request) {
  http::HttpResponse response;
  if (request.path == context.metrics_path) {
    response.content_type = kExpositionContentType;
    response.body = render_exposition(*context.store, *context.scheduler, context.state());
    response.compressible = true;
  } else if (request.path == "/-/healthy") {
    response.body = "OK\n";
  } else if (request.path == "/") {
    response.content_type = "text/html; charset=utf-8";
    response.body = render_status_page(context.scheduler->statuses(), context.metrics_path);
    response.compressible = true;
  } else {
    response.status = 404;
    response.body = "not found; the metrics are at " + context.metrics_path + "\n";
  }
  return response;
}

}  // namespace gleaner::daemon
