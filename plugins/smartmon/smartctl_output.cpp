#include "plugins/smartmon/smartctl_output.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

namespace gleaner::plugins::smartmon {
namespace {

using metrics::Label;
using metrics::Labels;
using metrics::MetricType;
using metrics::Sample;
using nlohmann::json;

// smartmon.sh's list of ATA attributes, which its `grep -E` finds anywhere
// in a lowercased line: "erase_fail_count" also keeps
// "erase_fail_count_total", "power_on_hours" "power_on_hours_and_msec".
constexpr std::string_view kKeptAttributes[] = {
    "airflow_temperature_cel", "command_timeout",        "current_pending_sector", "end_to_end_error",
    "erase_fail_count",        "g_sense_error_rate",     "hardware_ecc_recovered", "host_reads_32mib",
    "host_reads_mib",          "host_writes_32mib",      "host_writes_mib",        "load_cycle_count",
    "media_wearout_indicator", "nand_writes_1gib",       "offline_uncorrectable",  "power_cycle_count",
    "power_on_hours",          "program_fail_cnt_total", "program_fail_count",     "raw_read_error_rate",
    "reallocated_event_count", "reallocated_sector_ct",  "reported_uncorrect",     "runtime_bad_block",
    "sata_downshift_count",    "seek_error_rate",        "spin_retry_count",       "spin_up_time",
    "start_stop_count",        "temperature_case",       "temperature_celsius",    "temperature_internal",
    "total_lbas_read",         "total_lbas_written",     "udma_crc_error_count",   "unsafe_shutdown_count",
    "unused_rsvd_blk_cnt_tot", "wear_leveling_count",    "workld_host_reads_perc", "workld_media_wear_indic",
    "workload_minutes",
};

// The series smartmon.sh makes of SCSI (and, meant to, NVMe) devices, with
// the smart_id it gives each. Its total_lbas_read (242) and
// total_lbas_written (241) come from a Seagate cache log that smartctl's
// JSON does not carry.
const std::map<std::string, std::string, std::less<>> kScsiLikeIds = {
    {"power_on_hours", "9"},
    {"temperature_celsius", "194"},
    {"power_cycle_count", "12"},
    {"grown_defects_count", "-1"},
};

std::optional<json> parse_json(std::string_view text, std::string& error) {
  json document = json::parse(text.begin(), text.end(), nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    error = "not smartctl --json output: not a JSON object";
    return std::nullopt;
  }
  if (!document.contains("smartctl") || !document["smartctl"].is_object()) {
    error = "not smartctl --json output: no \"smartctl\" object";
    return std::nullopt;
  }
  return document;
}

// A string field, or "" (also for one holding a NUL, which no label value may).
std::string string_at(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  auto value = it->get<std::string>();
  return value.find('\0') == std::string::npos ? value : std::string();
}

std::optional<double> number_at(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

bool bool_at(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

// An integer in [min, max], or nullopt: never a cast of whatever a JSON
// number holds.
std::optional<int> small_integer_at(const json& object, const char* key, int min, int max) {
  const auto value = number_at(object, key);
  if (!value || *value < min || *value > max || *value != static_cast<double>(static_cast<int>(*value))) {
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

// The leading number of a printed raw value, as awk's %e reads the field:
// "36 (Min/Max 24/40)" → 36, "12345h+30m+10.123s" → 12345.
std::optional<double> leading_number(const std::string& text) {
  if (text.empty() || !(std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '-')) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return std::nullopt;
  return value;
}

std::string first_error_message(const json& smartctl) {
  const auto messages = smartctl.find("messages");
  if (messages == smartctl.end() || !messages->is_array()) return {};
  for (const auto& message : *messages) {
    if (message.is_object() && string_at(message, "severity") == "error") return string_at(message, "string");
  }
  return {};
}

// --nocheck=standby left the disk asleep: smartctl says so (ataprint.cpp,
// scsiprint.cpp: "Device is in STANDBY mode, exit(2)") and exits with its
// power exit status, bit 1.
bool left_in_low_power(const json& smartctl) {
  const auto messages = smartctl.find("messages");
  if (messages == smartctl.end() || !messages->is_array()) return false;
  return std::any_of(messages->begin(), messages->end(), [](const json& message) {
    if (!message.is_object()) return false;
    const auto text = string_at(message, "string");
    return text.starts_with("Device is in ") && text.find(" mode, exit(") != std::string::npos;
  });
}

void read_info(const json& document, DeviceReport& report) {
  // smartctl 7.3 prefixes SCSI's identification with scsi_; 7.0 to 7.2 did not.
  const auto either = [&](const char* newer, const char* older) {
    auto value = string_at(document, newer);
    return value.empty() ? string_at(document, older) : value;
  };
  const auto put = [&](const char* label, std::string value) {
    if (!value.empty()) report.info[label] = std::move(value);
  };
  put("vendor", either("scsi_vendor", "vendor"));
  put("product", either("scsi_product", "product"));
  put("revision", either("scsi_revision", "revision"));
  put("lun_id", string_at(document, "logical_unit_id"));
  put("model_family", string_at(document, "model_family"));
  // ATA's "Device Model"; for SCSI, vendor and product name the model.
  if (report.protocol != "SCSI") put("device_model", string_at(document, "model_name"));
  put("serial_number", string_at(document, "serial_number"));
  put("firmware_version", string_at(document, "firmware_version"));
}

void read_ata_attributes(const json& document, DeviceReport& report) {
  const auto attributes = document.find("ata_smart_attributes");
  if (attributes == document.end() || !attributes->is_object()) return;
  const auto table = attributes->find("table");
  if (table == attributes->end() || !table->is_array()) return;
  for (const auto& row : *table) {
    if (!row.is_object()) continue;
    Attribute attribute;
    attribute.id = small_integer_at(row, "id", 1, 255).value_or(0);  // ATA's attribute numbers
    attribute.name = string_at(row, "name");
    attribute.value = number_at(row, "value").value_or(0);
    attribute.worst = number_at(row, "worst").value_or(0);
    attribute.threshold = number_at(row, "thresh").value_or(0);
    const auto raw = row.find("raw");
    if (raw != row.end() && raw->is_object()) {
      // The script reads the printed raw value's first number; smartctl's
      // raw.value packs more (a temperature's min and max) into 48 bits.
      attribute.raw = leading_number(string_at(*raw, "string")).value_or(number_at(*raw, "value").value_or(0));
    }
    if (attribute.id > 0 && !attribute.name.empty()) report.attributes.push_back(std::move(attribute));
  }
}

// SCSI's and NVMe's values under the names smartmon.sh's SCSI reader gives
// them, from the fields smartctl fills for every protocol (temperature,
// power_on_time, power_cycle_count) and SCSI's own.
void read_scsi_like(const json& document, DeviceReport& report) {
  const auto nested = [&](const char* object, const char* key) -> std::optional<double> {
    const auto it = document.find(object);
    if (it == document.end() || !it->is_object()) return std::nullopt;
    return number_at(*it, key);
  };
  const auto put = [&](const char* name, std::optional<double> value) {
    if (value) report.scsi_like.emplace_back(name, *value);
  };
  put("power_on_hours", nested("power_on_time", "hours"));
  put("temperature_celsius", nested("temperature", "current"));
  if (report.protocol == "SCSI") {
    put("power_cycle_count", nested("scsi_start_stop_cycle_counter", "accumulated_start_stop_cycles"));
    put("grown_defects_count", number_at(document, "scsi_grown_defect_list"));
  } else {
    put("power_cycle_count", number_at(document, "power_cycle_count"));
  }
}

Labels device_labels(const DeviceRun& run) {
  const auto& type = run.device.type.empty() ? run.report.type : run.device.type;
  return {Label{"disk", run.device.name}, Label{"type", type}};
}

// Every family is a gauge with the script's HELP, "SMART metric NAME".
class SmartmonBuilder {
 public:
  void add(const std::string& name, Labels labels, double value, const char* help = nullptr) {
    const auto full = "smartmon_" + name;
    builder_.family(full, MetricType::gauge, help ? std::string(help) : "SMART metric " + name);
    builder_.add(full, MetricType::gauge, Sample{full, std::move(labels), value});
  }
  metrics::Families take() {
    auto families = builder_.take();
    std::stable_sort(families.begin(), families.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return families;
  }

 private:
  metrics::FamilyBuilder builder_;
};

}  // namespace

Scan parse_scan(std::string_view text) {
  Scan scan;
  const auto document = parse_json(text, scan.error);
  if (!document) return scan;
  const auto& smartctl = (*document)["smartctl"];
  const auto version = smartctl.find("version");
  if (version != smartctl.end() && version->is_array() && version->size() >= 2 && (*version)[0].is_number_integer() &&
      (*version)[1].is_number_integer()) {
    scan.version =
        std::to_string((*version)[0].get<long long>()) + "." + std::to_string((*version)[1].get<long long>());
  } else {
    scan.error = "not smartctl --json output: no smartctl.version";
    return scan;
  }
  const auto devices = document->find("devices");
  if (devices == document->end()) return scan;  // none found
  if (!devices->is_array()) {
    scan.error = "\"devices\" is not a list";
    return scan;
  }
  for (const auto& device : *devices) {
    ScannedDevice scanned{device.is_object() ? string_at(device, "name") : "", {}, {}};
    if (scanned.name.empty()) {
      scan.error = "a device without a name in \"devices\"";
      return scan;
    }
    scanned.type = string_at(device, "type");
    scanned.open_error = string_at(device, "open_error");
    scan.devices.push_back(std::move(scanned));
  }
  return scan;
}

DeviceReport parse_device(std::string_view text, std::optional<int> exit_status) {
  DeviceReport report;
  const auto document = parse_json(text, report.error);
  if (!document) return report;
  const auto& smartctl = (*document)["smartctl"];
  report.exit_status = exit_status.value_or(small_integer_at(smartctl, "exit_status", 0, 255).value_or(0));
  report.message = first_error_message(smartctl);
  report.standby = (report.exit_status & kDeviceOpenFailed) && left_in_low_power(smartctl);
  if (const auto device = document->find("device"); device != document->end() && device->is_object()) {
    report.type = string_at(*device, "type");
    report.protocol = string_at(*device, "protocol");
  }
  if (report.unreadable()) return report;
  read_info(*document, report);
  if (const auto support = document->find("smart_support"); support != document->end() && support->is_object()) {
    report.smart_available = bool_at(*support, "available");
    report.smart_enabled = bool_at(*support, "enabled");
  } else if (report.protocol == "NVMe") {
    // smartctl before 7.3 did not say so for NVMe, whose health log is mandatory.
    report.smart_available = report.smart_enabled = true;
  }
  if (const auto status = document->find("smart_status"); status != document->end() && status->is_object()) {
    if (const auto passed = status->find("passed"); passed != status->end() && passed->is_boolean()) {
      report.healthy = passed->get<bool>();
    }
  }
  read_ata_attributes(*document, report);
  if (report.protocol == "SCSI" || report.protocol == "NVMe") read_scsi_like(*document, report);
  return report;
}

std::optional<std::string> kept_attribute_name(std::string_view smartctl_name) {
  // The script's awk takes names of [a-zA-Z0-9_-] only, then maps - to _.
  std::string name;
  for (const char c : smartctl_name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return std::nullopt;
    name += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (name.empty()) return std::nullopt;
  for (const auto kept : kKeptAttributes) {
    if (name.find(kept) != std::string::npos) return name;
  }
  return std::nullopt;
}

metrics::Families smartmon_families(const std::string& version, const std::vector<DeviceRun>& runs) {
  SmartmonBuilder out;
  out.add("smartctl_version", {Label{"version", version}}, 1);
  // A disk listed twice (a scan of one device under two names that smartctl
  // names alike) or an attribute twice would be the same series twice: the
  // first is kept.
  std::set<std::pair<std::string, std::string>> devices_seen;
  for (const auto& run : runs) {
    const auto labels = device_labels(run);
    if (!devices_seen.emplace(labels[0].value, labels[1].value).second) continue;
    const auto& report = run.report;
    out.add("smartctl_run", labels, run.run_time);
    out.add("smartctl_exit_status", labels, report.exit_status,
            "smartctl's exit status for the device, a bit mask (man smartctl, RETURN VALUES): 1 and 2 mean it "
            "could not be read, 4 to 128 report the disk's state");
    out.add("device_active", labels, report.unreadable() ? 0 : 1);
    if (report.unreadable()) continue;
    Labels info = labels;
    for (const char* key : {"vendor", "product", "revision", "lun_id", "model_family", "device_model", "serial_number",
                            "firmware_version"}) {
      const auto it = report.info.find(key);
      info.push_back(Label{key, it == report.info.end() ? "" : it->second});
    }
    out.add("device_info", std::move(info), 1);
    out.add("device_smart_available", labels, report.smart_available ? 1 : 0);
    out.add("device_smart_enabled", labels, report.smart_enabled ? 1 : 0);
    if (report.healthy) out.add("device_smart_healthy", labels, *report.healthy ? 1 : 0);
    std::set<std::pair<std::string, int>> attributes_seen;
    for (const auto& attribute : report.attributes) {
      const auto name = kept_attribute_name(attribute.name);
      if (!name || !attributes_seen.emplace(*name, attribute.id).second) continue;
      auto with_id = labels;
      with_id.push_back(Label{"smart_id", std::to_string(attribute.id)});
      out.add(*name + "_value", with_id, attribute.value);
      out.add(*name + "_worst", with_id, attribute.worst);
      out.add(*name + "_threshold", with_id, attribute.threshold);
      out.add(*name + "_raw_value", with_id, attribute.raw);
    }
    for (const auto& [name, value] : report.scsi_like) {
      auto with_id = labels;
      with_id.push_back(Label{"smart_id", kScsiLikeIds.at(name)});
      out.add(name + "_raw_value", with_id, value);
    }
  }
  return out.take();
}

}  // namespace gleaner::plugins::smartmon
