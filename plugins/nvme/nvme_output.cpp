#include "plugins/nvme/nvme_output.h"

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace gleaner::plugins::nvme {
namespace {

using metrics::Label;
using metrics::MetricType;
using metrics::Sample;
using nlohmann::json;

// A number nvme-cli printed: a JSON number, a string of digits (2.x's
// 128-bit counters; thousands separators, which a locale other than C would
// add, are dropped), or a verbose critical_warning's {"value": n}.
std::optional<double> number_in(const json& value) {
  if (value.is_number()) return value.get<double>();
  if (value.is_object() && value.contains("value")) return number_in(value.at("value"));
  if (!value.is_string()) return std::nullopt;
  std::string digits;
  for (const char c : value.get<std::string>()) {
    if (c != ',') digits += c;
  }
  if (digits.empty()) return std::nullopt;
  char* end = nullptr;
  const double parsed = std::strtod(digits.c_str(), &end);
  if (end != digits.c_str() + digits.size()) return std::nullopt;
  return parsed;
}

// object[key] when that is an array; an empty one otherwise (a missing key,
// or an entry that is no object: nothing to read there).
const json& array_in(const json& object, const char* key) {
  static const json kNone = json::array();
  if (!object.is_object()) return kNone;
  const auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : kNone;
}

// A namespace's "/dev/NAME" from a later nvme-cli's {"NameSpace": "nvme0n1"}.
// Once each: a namespace is read once, however many ways it is listed.
void add_namespace(const json& ns, std::vector<std::string>& paths) {
  if (!ns.is_object()) return;
  const auto name = ns.find("NameSpace");
  if (name == ns.end() || !name->is_string()) return;
  std::string path = "/dev/" + name->get<std::string>();
  if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(std::move(path));
}

// One series of the script: its name without "nvme_", where its value
// comes from, and how the script turns it into the exposed value.
struct Series {
  const char* name;
  std::optional<double> SmartLog::*field;
  double multiplier;
  double divisor;  // a division, as jq's: 7 / 100 is not 7 * 0.01
  double offset;
};

// In the script's order of output (it sorts its lines). The controller's
// busy time is in minutes in the log; the script exposes the minutes under
// a name in seconds, gleaner the seconds (README "The nvme plugin").
constexpr Series kSeries[] = {
    {"available_spare_ratio", &SmartLog::avail_spare, 1, 100, 0},
    {"available_spare_threshold_ratio", &SmartLog::spare_thresh, 1, 100, 0},
    {"controller_busy_time_seconds", &SmartLog::controller_busy_time_minutes, 60, 1, 0},
    {"critical_warning_total", &SmartLog::critical_warning, 1, 1, 0},
    {"data_units_read_total", &SmartLog::data_units_read, 1, 1, 0},
    {"data_units_written_total", &SmartLog::data_units_written, 1, 1, 0},
    {"host_read_commands_total", &SmartLog::host_read_commands, 1, 1, 0},
    {"host_write_commands_total", &SmartLog::host_write_commands, 1, 1, 0},
    {"media_errors_total", &SmartLog::media_errors, 1, 1, 0},
    {"num_err_log_entries_total", &SmartLog::num_err_log_entries, 1, 1, 0},
    {"percentage_used_ratio", &SmartLog::percent_used, 1, 100, 0},
    {"power_cycles_total", &SmartLog::power_cycles, 1, 1, 0},
    {"power_on_hours_total", &SmartLog::power_on_hours, 1, 1, 0},
    {"temperature_celsius", &SmartLog::temperature_kelvin, 1, 1, -273},
};

// The script's awk: a name ending in _total is a counter, any other a gauge;
// the HELP is "SMART metric " and the name without "nvme_".
MetricType type_of(std::string_view name) { return name.ends_with("_total") ? MetricType::counter : MetricType::gauge; }

}  // namespace

std::string parse_version(std::string_view text) {
  while (!text.empty()) {
    const auto newline = text.find('\n');
    const auto line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    // awk's fields: runs of blanks separate them.
    std::vector<std::string_view> fields;
    std::size_t at = 0;
    while (fields.size() < 3) {
      at = line.find_first_not_of(" \t", at);
      if (at == std::string_view::npos) break;
      const auto end = line.find_first_of(" \t", at);
      fields.push_back(line.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
      at = end;
    }
    if (fields.size() == 3 && fields[0] == "nvme") return std::string(fields[2]);
  }
  return {};
}

DeviceList parse_device_list(std::string_view text) {
  DeviceList list;
  const auto root = json::parse(text, nullptr, false);
  if (root.is_discarded() || !root.is_object()) {
    list.error = "not nvme list's JSON: no object";
    return list;
  }
  const auto devices = root.find("Devices");
  if (devices == root.end() || !devices->is_array()) {
    list.error = "not nvme list's JSON: no \"Devices\" array";
    return list;
  }
  for (const auto& device : *devices) {
    if (!device.is_object()) continue;
    // nvme-cli up to 2.x of Debian 12: one entry a namespace, its path.
    if (const auto path = device.find("DevicePath"); path != device.end() && path->is_string()) {
      list.paths.push_back(path->get<std::string>());
      continue;
    }
    // Later nvme-cli (2.11 of Debian 13): a host's subsystems, their
    // controllers and namespaces, named without /dev/.
    for (const auto& subsystem : array_in(device, "Subsystems")) {
      for (const auto& controller : array_in(subsystem, "Controllers")) {
        for (const auto& ns : array_in(controller, "Namespaces")) add_namespace(ns, list.paths);
      }
      for (const auto& ns : array_in(subsystem, "Namespaces")) add_namespace(ns, list.paths);
    }
  }
  return list;
}

SmartLog parse_smart_log(std::string_view text) {
  SmartLog log;
  const auto root = json::parse(text, nullptr, false);
  if (root.is_discarded() || !root.is_object()) {
    log.error = "not nvme smart-log's JSON: no object";
    return log;
  }
  const std::pair<const char*, std::optional<double> SmartLog::*> fields[] = {
      {"critical_warning", &SmartLog::critical_warning},
      {"temperature", &SmartLog::temperature_kelvin},
      {"avail_spare", &SmartLog::avail_spare},
      {"spare_thresh", &SmartLog::spare_thresh},
      {"percent_used", &SmartLog::percent_used},
      {"data_units_read", &SmartLog::data_units_read},
      {"data_units_written", &SmartLog::data_units_written},
      {"host_read_commands", &SmartLog::host_read_commands},
      {"host_write_commands", &SmartLog::host_write_commands},
      {"controller_busy_time", &SmartLog::controller_busy_time_minutes},
      {"power_cycles", &SmartLog::power_cycles},
      {"power_on_hours", &SmartLog::power_on_hours},
      {"media_errors", &SmartLog::media_errors},
      {"num_err_log_entries", &SmartLog::num_err_log_entries},
  };
  bool any = false;
  for (const auto& [key, field] : fields) {
    const auto it = root.find(key);
    if (it == root.end()) continue;
    log.*field = number_in(*it);
    if (!(log.*field)) {
      log.error = std::string("\"") + key + "\" is not a number: " + it->dump();
      return log;
    }
    any = true;
  }
  if (!any) log.error = "not nvme smart-log's JSON: none of its fields";
  return log;
}

std::string device_label(std::string_view path) {
  const auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

metrics::Families nvme_families(const std::string& version, const std::vector<DeviceLog>& devices) {
  metrics::FamilyBuilder builder;
  builder.family("nvme_nvmecli", MetricType::gauge, "SMART metric nvmecli");
  builder.add("nvme_nvmecli", MetricType::gauge, Sample{"nvme_nvmecli", {Label{"version", version}}, 1});
  for (const auto& series : kSeries) {
    const std::string name = std::string("nvme_") + series.name;
    bool announced = false;
    for (const auto& device : devices) {
      const auto& value = device.log.*(series.field);
      if (!value) continue;
      // As the script: no family without a series.
      if (!announced) builder.family(name, type_of(name), std::string("SMART metric ") + series.name);
      announced = true;
      builder.add(name, type_of(name),
                  Sample{name, {Label{"device", device.device}}, *value * series.multiplier / series.divisor + series.offset});
    }
  }
  return builder.take();
}

}  // namespace gleaner::plugins::nvme
