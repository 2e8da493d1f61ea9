// The chrony plugin's reader (plugins/chrony/chrony_tracking.h) on any bytes
// as `chronyc -c tracking`. Asserts: parse_tracking returns and never
// throws; its error is short, valid UTF-8 and one line; the same input
// reads the same twice; a line it reads gives families that pass
// check_families, five of one series each.

#include <cmath>
#include <cstdint>
#include <exception>
#include <string>

#include "tests/fuzz/fuzz_checks.h"
#include "plugins/chrony/chrony_tracking.h"

namespace {

namespace chrony = gleaner::plugins::chrony;
using gleaner::fuzz::same_value;
using gleaner::fuzz::violated;

bool same(const chrony::Tracking& a, const chrony::Tracking& b) {
  return a.error == b.error && a.ref_id == b.ref_id && a.ref_host == b.ref_host && same_value(a.stratum, b.stratum) &&
         same_value(a.system_offset, b.system_offset) && same_value(a.last_offset, b.last_offset) &&
         same_value(a.root_dispersion, b.root_dispersion);
}

void check(std::string_view text) {
  const auto tracking = chrony::parse_tracking(text);
  gleaner::fuzz::check_reader_error("parse_tracking", tracking.error);
  if (!same(tracking, chrony::parse_tracking(text))) violated("parse_tracking is pure", tracking.error);
  if (!tracking.ok()) return;
  const auto families = chrony::tracking_families(tracking);
  gleaner::fuzz::check_reader_families("tracking_families", families);
  if (families.size() != 5) violated("five families", std::to_string(families.size()));
  for (const auto& family : families) {
    if (family.samples.size() != 1) violated("one series each", family.name);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    check(gleaner::fuzz::as_text(data, size));
  } catch (const std::exception& error) {
    violated("parse_tracking never throws", error.what());
  }
  return 0;
}
