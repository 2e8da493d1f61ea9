#pragma once
// Reading what `smartctl --json` prints, and turning it into the series of
// Debian's smartmon.sh (prometheus-node-exporter-collectors
// 0.0~git20230203, the version Debian 12 ships and runs from
// prometheus-node-exporter-smartmon.service). Pure: the plugin runs the
// commands. See README "The smartmon plugin" for where it differs.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/metrics/sample.h"

namespace gleaner::plugins::smartmon {

// smartctl's exit status is a bit mask (man smartctl, RETURN VALUES).
inline constexpr int kCommandLineDidNotParse = 1 << 0;
// Device open failed, it did not identify itself, or it is in a low-power
// mode (with --nocheck).
inline constexpr int kDeviceOpenFailed = 1 << 1;
// Bits 2 to 7 report what smartctl found on the disk: a failed command,
// "DISK FAILING", attributes at or below their threshold now or in the
// past, errors in the error or self-test log. Data, not a failed run.

struct ScannedDevice {
  std::string name;        // "/dev/sda"
  std::string type;        // "sat", "nvme", "scsi", "sat+megaraid,0"; "" to let smartctl detect it
  std::string open_error;  // --scan-open: why smartctl could not open it
};

struct Scan {
  std::string version;  // "7.3", from the JSON's smartctl.version
  std::vector<ScannedDevice> devices;
  std::string error;  // empty when the output was read
  bool ok() const { return error.empty(); }
};

// `smartctl --json --scan-open` (or any smartctl --json output, for the
// version alone: a scan that finds no device has no "devices").
Scan parse_scan(std::string_view text);

struct Attribute {
  int id = 0;
  std::string name;  // as smartctl prints it: "Temperature_Celsius"
  double value = 0;
  double worst = 0;
  double threshold = 0;
  double raw = 0;  // the leading number of the printed raw value
};

// One device's `smartctl --json --info --health --attributes` answer.
struct DeviceReport {
  int exit_status = 0;
  std::string type;                                      // device.type as smartctl names it
  std::string protocol;                                  // device.protocol: "ATA", "SCSI", "NVMe"
  bool standby = false;                                  // --nocheck=standby found it asleep and left it so
  std::map<std::string, std::string, std::less<>> info;  // smartmon.sh's device_info labels that are known
  bool smart_available = false;
  bool smart_enabled = false;
  std::optional<bool> healthy;                            // smart_status.passed, when smartctl got an answer
  std::vector<Attribute> attributes;                      // ATA's table
  std::vector<std::pair<std::string, double>> scsi_like;  // SCSI's and NVMe's: (smartmon.sh's attribute, raw value)
  std::string message;                                    // smartctl's first error message, if any
  std::string error;                                      // empty when the output was read
  bool ok() const { return error.empty(); }
  // smartctl could not run on the device (bits 0-1): no state to report.
  bool unreadable() const { return standby || (exit_status & (kCommandLineDidNotParse | kDeviceOpenFailed)) != 0; }
};

// exit_status: the process's own (authoritative; the JSON's copy is only
// used when the process's is unknown).
DeviceReport parse_device(std::string_view text, std::optional<int> exit_status);

// Whether smartmon.sh keeps an ATA attribute (its list, matched anywhere in
// the lowercased name as its `grep -E` does); the name it uses for it
// ("temperature_celsius"), or nullopt.
std::optional<std::string> kept_attribute_name(std::string_view smartctl_name);

struct DeviceRun {
  ScannedDevice device;  // as scanned or configured
  DeviceReport report;
  double run_time = 0;  // seconds since the epoch, when smartctl answered
};

// smartmon_smartctl_version, and per device smartmon_smartctl_run,
// smartmon_smartctl_exit_status, smartmon_device_active and, for a device
// smartctl could read, smartmon_device_info, smartmon_device_smart_available,
// smartmon_device_smart_enabled, smartmon_device_smart_healthy and the
// attributes' smartmon_<name>_{value,worst,threshold,raw_value}. Families in
// name order, as the script sorts them.
metrics::Families smartmon_families(const std::string& version, const std::vector<DeviceRun>& runs);

}  // namespace gleaner::plugins::smartmon
