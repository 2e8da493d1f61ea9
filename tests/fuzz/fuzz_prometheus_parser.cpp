// The Prometheus text format parser on any bytes, under on_error: skip (the
// default) and fail, and the promises between the two.
// Seeds: the node_exporter and textfile collector fixtures.

#include "round_trip.h"
#include "parsers/prometheus_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using gleaner::parsers::OnError;
  using gleaner::parsers::PrometheusOptions;
  using gleaner::parsers::PrometheusParser;
  static const PrometheusParser skip(PrometheusOptions{OnError::skip});
  static const PrometheusParser fail(PrometheusOptions{OnError::fail});
  const auto text = gleaner::fuzz::as_text(data, size);
  gleaner::fuzz::check_parse_round_trip(skip, text);
  gleaner::fuzz::check_parse_round_trip(fail, text);
  gleaner::fuzz::check_on_error_modes(skip, fail, text);
  return 0;
}
