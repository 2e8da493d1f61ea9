#include "plugins/ipmi/ipmitool_sensor.h"

#include <cstdlib>
#include <optional>
#include <vector>

namespace gleaner::plugins::ipmi {
namespace {

using metrics::Label;
using metrics::MetricType;
using metrics::Sample;

std::string_view trim(std::string_view text) {
  const auto start = text.find_first_not_of(" \t\r");
  if (start == std::string_view::npos) return {};
  return text.substr(start, text.find_last_not_of(" \t\r") - start + 1);
}

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> fields;
  while (true) {
    const auto bar = line.find('|');
    fields.push_back(trim(line.substr(0, bar)));
    if (bar == std::string_view::npos) break;
    line.remove_prefix(bar + 1);
  }
  return fields;
}

// The kind of the unit field, as the script's awk matches it (anywhere in
// the field); none for the units it does not report (percent, Amps, ...).
std::optional<Kind> kind_of(std::string_view unit) {
  if (unit.find("degrees C") != std::string_view::npos) return Kind::temperature;
  if (unit.find("Volts") != std::string_view::npos) return Kind::voltage;
  if (unit.find("Watts") != std::string_view::npos) return Kind::power;
  if (unit.find("RPM") != std::string_view::npos) return Kind::fan;
  if (unit.find("discrete") != std::string_view::npos) return Kind::discrete;
  return std::nullopt;
}

// A whole field as a number: decimal for a measure; "0x…" hexadecimal for
// a discrete sensor's state.
std::optional<double> number(std::string_view field, bool hexadecimal) {
  const std::string text(field);
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double value = 0;
  if (hexadecimal) {
    if (!text.starts_with("0x") || text.size() == 2) return std::nullopt;
    value = static_cast<double>(std::strtoull(text.c_str() + 2, &end, 16));
  } else {
    value = std::strtod(text.c_str(), &end);
  }
  if (end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

struct FamilyText {
  Kind kind;
  const char* name;
  const char* help;
};

// The script's order of output, names and HELP texts ("<what> sensor
// reading from ipmitool").
constexpr FamilyText kFamilies[] = {
    {Kind::temperature, "node_ipmi_temperature_celsius", "Temperature sensor reading from ipmitool"},
    {Kind::voltage, "node_ipmi_volts", "Voltage sensor reading from ipmitool"},
    {Kind::power, "node_ipmi_power_watts", "Power sensor reading from ipmitool"},
    {Kind::fan, "node_ipmi_speed_rpm", "Fan sensor reading from ipmitool"},
    {Kind::discrete, "node_ipmi_status", "Chassis status sensor reading from ipmitool"},
};

}  // namespace

Readings parse_sensors(std::string_view text) {
  Readings readings;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    const auto line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++line_number;
    const auto fields = fields_of(line);
    if (fields.size() < 3) continue;
    // The script skips any reading with "na" in it: no reading.
    if (fields[1].find("na") != std::string_view::npos) continue;
    const auto kind = kind_of(fields[2]);
    if (!kind) continue;
    const auto value = number(fields[1], *kind == Kind::discrete);
    if (!value) {
      if (readings.unreadable++ == 0) {
        readings.first_unreadable = "line " + std::to_string(line_number) + ": not a reading: \"" +
                                    std::string(trim(line)) + "\"";
      }
      continue;
    }
    readings.by_kind[*kind][std::string(fields[0])] = *value;
  }
  return readings;
}

metrics::Families ipmi_families(const Readings& readings) {
  metrics::FamilyBuilder builder;
  for (const auto& family : kFamilies) {
    const auto it = readings.by_kind.find(family.kind);
    if (it == readings.by_kind.end() || it->second.empty()) continue;
    builder.family(family.name, MetricType::gauge, family.help);
    for (const auto& [sensor, value] : it->second) {
      builder.add(family.name, MetricType::gauge, Sample{family.name, {Label{"sensor", sensor}}, value});
    }
  }
  return builder.take();
}

}  // namespace gleaner::plugins::ipmi
