// The Prometheus text format parser on any bytes, under on_error: skip (the
// default) and fail, and the promises between the two; OpenMetrics read too
// (the default) and not (the textfile plugin's text format alone).
// Seeds: the node_exporter and textfile collector fixtures, and OpenMetrics.

#include "tests/fuzz/round_trip.h"
#include "common/parsers/prometheus_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using gleaner::parsers::OnError;
  using gleaner::parsers::PrometheusOptions;
  using gleaner::parsers::PrometheusParser;
  static const PrometheusParser skip(PrometheusOptions{OnError::skip});
  static const PrometheusParser fail(PrometheusOptions{OnError::fail});
  static const PrometheusParser text_only(PrometheusOptions{.on_error = OnError::skip, .openmetrics = false});
  const auto text = gleaner::fuzz::as_text(data, size);
  gleaner::fuzz::check_parse_round_trip(skip, text);
  gleaner::fuzz::check_parse_round_trip(fail, text);
  gleaner::fuzz::check_on_error_modes(skip, fail, text);
  gleaner::fuzz::check_parse(text_only, text);
  return 0;
}
