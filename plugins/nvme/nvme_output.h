#pragma once
// Reading what nvme-cli prints, and turning it into the series of Debian's
// nvme_metrics.sh (prometheus-node-exporter-collectors 0.0~git20230203, the
// version Debian 12 ships). Pure: the plugin runs the commands.
//
// nvme_metrics.sh asks `nvme version` for nvme-cli's version, `nvme list -o
// json` for the devices, and `nvme smart-log -o json DEVICE` for each one's
// SMART / health log; so does gleaner (README "The nvme plugin").

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/metrics/sample.h"

namespace gleaner::plugins::nvme {

// `nvme version`: "nvme version 2.3 (git 2.3)" → "2.3" (the script's
// awk '$1 == "nvme" {print $3}'); empty when no line says it.
std::string parse_version(std::string_view text);

struct DeviceList {
  std::vector<std::string> paths;  // "/dev/nvme0n1", as DevicePath says
  std::string error;               // empty when the output was read
  bool ok() const { return error.empty(); }
};

// `nvme list -o json`: nvme-cli 2.3's {"Devices": [{"DevicePath":
// "/dev/nvme0n1", ...}]}, or later nvme-cli's (2.11) Devices → Subsystems →
// Controllers → Namespaces, each {"NameSpace": "nvme0n1"}.
DeviceList parse_device_list(std::string_view text);

// The fields of one SMART / health log the script reports, as nvme-cli
// gives them: nvme-cli 2.x prints the 128-bit counters as JSON strings of
// digits, 1.x as numbers; a verbose critical_warning is an object whose
// "value" is the byte. A field the log lacks stays empty.
struct SmartLog {
  std::optional<double> critical_warning, temperature_kelvin, avail_spare, spare_thresh, percent_used,
      data_units_read, data_units_written, host_read_commands, host_write_commands, controller_busy_time_minutes,
      power_cycles, power_on_hours, media_errors, num_err_log_entries;
  std::string error;  // empty when the output was read
  bool ok() const { return error.empty(); }
};

// `nvme smart-log -o json DEVICE`.
SmartLog parse_smart_log(std::string_view text);

struct DeviceLog {
  std::string device;  // the label: the path's last part, "nvme0n1"
  SmartLog log;
};

// The label the script gives a device path: what follows the last '/'.
std::string device_label(std::string_view path);

// nvme_nvmecli{version} 1, then each device's nvme_* series, with the
// script's names, labels, HELP texts and types.
metrics::Families nvme_families(const std::string& version, const std::vector<DeviceLog>& devices);

}  // namespace gleaner::plugins::nvme
