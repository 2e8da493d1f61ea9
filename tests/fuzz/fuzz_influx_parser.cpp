// The InfluxDB line protocol parser on any bytes, under on_error: fail (its
// default) and skip, and the promises between the two.
// Seeds: the line protocol reference's examples and Telegraf's cpu output.

#include "tests/fuzz/round_trip.h"
#include "common/parsers/influx_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using gleaner::parsers::InfluxOptions;
  using gleaner::parsers::InfluxParser;
  using gleaner::parsers::OnError;
  static const InfluxParser skip(InfluxOptions{OnError::skip});
  static const InfluxParser fail(InfluxOptions{OnError::fail});
  const auto text = gleaner::fuzz::as_text(data, size);
  gleaner::fuzz::check_parse_round_trip(skip, text);
  gleaner::fuzz::check_parse_round_trip(fail, text);
  gleaner::fuzz::check_on_error_modes(skip, fail, text);
  return 0;
}
