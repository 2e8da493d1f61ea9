#pragma once
// Reading `ipmitool sensor`, and turning it into the series of Debian's
// ipmitool awk script (prometheus-node-exporter-collectors 0.0~git20230203,
// the version Debian 12 ships). Pure: the plugin runs the command.
//
// ipmitool prints one line a sensor, fields separated by '|' and padded
// with spaces: name | reading | unit | status | six thresholds.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "common/metrics/sample.h"

namespace gleaner::plugins::ipmi {

// The script's five kinds of sensor, by the unit field: "degrees C",
// "Volts", "Watts", "RPM", and "discrete" (a state, not a measure).
enum class Kind { temperature, voltage, power, fan, discrete };

struct Readings {
  // Sensor name → value, for each kind. A name seen twice keeps its last
  // reading, as the script's awk array does.
  std::map<Kind, std::map<std::string, double>> by_kind;
  // Lines with a reading of a reported kind that is not a number.
  std::size_t unreadable = 0;
  std::string first_unreadable;  // "line 3: ..."
};

// Lines of fewer than three fields, readings "na" (no reading: the sensor
// is absent or could not be read) and other units are left out, as the
// script leaves them out.
Readings parse_sensors(std::string_view text);

// node_ipmi_temperature_celsius, node_ipmi_volts, node_ipmi_power_watts,
// node_ipmi_speed_rpm, node_ipmi_status: labelled `sensor`; a family only
// when it has a reading, as the script.
metrics::Families ipmi_families(const Readings& readings);

}  // namespace gleaner::plugins::ipmi
