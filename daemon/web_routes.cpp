#include "daemon/web_routes.h"

#include "daemon/status_page.h"
#include "daemon/http/accept_exposition.h"

namespace gleaner::daemon {

namespace {

metrics::MetricStore::Parts render_parts(const metrics::MetricStore& store, const Scheduler& scheduler,
                                         const DaemonState& state, metrics::TextFormat format) {
  std::string own;
  write_collector_metrics(own, scheduler.statuses(), format);
  return store.render_parts(self_metrics(state, scheduler.lateness().family()), format, std::move(own));
}

}  // namespace

std::string render_exposition(const metrics::MetricStore& store, const Scheduler& scheduler, const DaemonState& state) {
  const auto parts = render_parts(store, scheduler, state, metrics::TextFormat::prometheus);
  return *parts.stable + parts.rest;
}

http::HttpResponse handle_request(const WebContext& context, const http::HttpRequest& request) {
  http::HttpResponse response;
  if (request.path == context.metrics_path) {
    auto negotiated = request.headers ? http::negotiate_exposition(*request.headers)
                                      : http::negotiate_exposition(std::string_view{});
    const auto format = negotiated.format == http::ExpositionFormat::openmetrics ? metrics::TextFormat::openmetrics
                                                                                 : metrics::TextFormat::prometheus;
    response.content_type = std::move(negotiated.content_type);
    // Caches must know the body depends on Accept (and on Accept-Encoding,
    // which the server adds).
    response.headers.emplace_back("Vary", "Accept");
    auto parts = render_parts(*context.store, *context.scheduler, context.state(), format);
    if (parts.stable) {
      auto& cache = context.cache->by_format[static_cast<std::size_t>(format)];
      if (cache.source != parts.stable) {
        cache = {parts.stable, std::make_shared<http::StablePart>(parts.stable, std::move(cache.part))};
      }
      response.stable_prefix = cache.part;
    }
    response.body = std::move(parts.rest);
    response.compressible = true;
  } else if (request.path == "/-/healthy") {
    response.body = "OK\n";
  } else if (request.path == "/") {
    response.content_type = "text/html; charset=utf-8";
    response.body = render_status_page(context.scheduler->statuses(), context.metrics_path, context.state());
    response.compressible = true;
  } else {
    response.status = 404;
    response.body = "not found; the metrics are at " + context.metrics_path + "\n";
  }
  return response;
}

}  // namespace gleaner::daemon
