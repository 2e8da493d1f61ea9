// The one-number parser, with a HELP text, as `nproc` or `who | wc -l`
// would be read.

#include "tests/fuzz/round_trip.h"
#include "common/parsers/value_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gleaner;
  static const parsers::ValueParser parser(
      parsers::ValueOptions{"logged_in_users", metrics::MetricType::gauge, "Users logged in."});
  fuzz::check_parse_round_trip(parser, fuzz::as_text(data, size));
  return 0;
}
