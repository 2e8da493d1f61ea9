// The Prometheus text format parser on any bytes (it has no options).
// Seeds: the node_exporter and textfile collector fixtures.

#include "fuzz_checks.h"
#include "parsers/prometheus_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const gleaner::parsers::PrometheusParser parser;
  gleaner::fuzz::check_parse(parser, gleaner::fuzz::as_text(data, size));
  return 0;
}
