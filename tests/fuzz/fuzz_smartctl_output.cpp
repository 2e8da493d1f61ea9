// The smartmon plugin's reader (plugins/smartmon/smartctl_output.h) on any
// bytes as smartctl's JSON: the first part as a scan, the second as a
// device's answer (cut at a line "--8<--", fuzz_checks.h), with an exit
// status from the first byte. Asserts: neither reader throws; their errors
// are short, valid UTF-8 and one line; the same input reads the same twice;
// what they read gives families that pass check_families, the device's
// under both its scanned name and a second, identical entry.

#include <cstdint>
#include <exception>
#include <string>

#include "tests/fuzz/fuzz_checks.h"
#include "plugins/smartmon/smartctl_output.h"

namespace {

namespace smartmon = gleaner::plugins::smartmon;
using gleaner::fuzz::violated;

void check(const std::uint8_t* data, std::size_t size) {
  const int exit_status = size > 0 ? data[0] : 0;
  const auto parts = gleaner::fuzz::split_parts(gleaner::fuzz::as_text(data, size), 2);
  const auto scan = smartmon::parse_scan(parts[0]);
  gleaner::fuzz::check_reader_error("parse_scan", scan.error);
  const auto again = smartmon::parse_scan(parts[0]);
  if (again.error != scan.error || again.version != scan.version || again.devices.size() != scan.devices.size()) {
    violated("parse_scan is pure", scan.error);
  }
  const auto report = smartmon::parse_device(parts[1], exit_status);
  gleaner::fuzz::check_reader_error("parse_device", report.error);
  if (smartmon::parse_device(parts[1], exit_status).info != report.info) violated("parse_device is pure", report.error);
  std::vector<smartmon::DeviceRun> runs;
  for (const auto& device : scan.devices) runs.push_back({device, report, 1796019935});
  runs.push_back({{"/dev/sda", "", {}}, report, 1796019935});
  runs.push_back(runs.back());
  gleaner::fuzz::check_reader_families("smartmon_families", smartmon::smartmon_families(scan.version, runs));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    check(data, size);
  } catch (const std::exception& error) {
    violated("the smartctl readers never throw", error.what());
  }
  return 0;
}
