// The Nagios check parser, under on_error: skip and fail. The first byte is the exit status ('0' OK,
// '1' WARNING, '2' CRITICAL, '3' UNKNOWN; any other byte some status from
// -128 to 127), the rest the check's output.
// Seeds: the nagios/ fixtures, each with the status its name says.

#include "tests/fuzz/round_trip.h"
#include "common/parsers/nagios_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gleaner;
  static const parsers::NagiosParser skip(parsers::NagiosOptions{"check_disk", parsers::OnError::skip});
  static const parsers::NagiosParser fail(parsers::NagiosOptions{"check_disk", parsers::OnError::fail});
  if (size == 0) return 0;
  const int exit_code = static_cast<signed char>(data[0] - '0');
  const auto text = fuzz::as_text(data + 1, size - 1);
  fuzz::check_parse_round_trip(skip, text, exit_code);
  fuzz::check_parse_round_trip(fail, text, exit_code);
  fuzz::check_on_error_modes(skip, fail, text, exit_code);
  return 0;
}
