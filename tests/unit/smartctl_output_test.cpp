// Reading smartctl's JSON into smartmon.sh's series: real outputs of
// smartctl 7.3 for ATA, NVMe and SCSI disks, a failing one and ones whose
// exit status reports their state, and what the real smartctl 7.3 of
// Debian 12 prints here, where no disk is to be found (see
// fixtures/smartmon/SOURCES.md).

#include "plugins/smartmon/smartctl_output.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/family_series.h"
#include "tests/support/fixtures.h"
#include "common/metrics/validate.h"

namespace gleaner::plugins::smartmon {
namespace {

using gleaner::testing::read_fixture;
using gleaner::testing::series_of;
using ::testing::Contains;
using ::testing::Key;
using ::testing::Not;
using ::testing::Pair;

DeviceRun run_of(const std::string& fixture, ScannedDevice device, std::optional<int> exit_status = std::nullopt) {
  return {std::move(device), parse_device(read_fixture("smartmon/" + fixture), exit_status), 1796019935};
}

const metrics::MetricFamily* family(const metrics::Families& families, const std::string& name) {
  for (const auto& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

TEST(SmartctlOutput, TheRealScanOfAHostWithoutDisksHasTheVersionAndNoDevice) {
  const auto scan = parse_scan(read_fixture("smartmon/real-scan-open-no-devices.json"));
  ASSERT_TRUE(scan.ok()) << scan.error;
  EXPECT_EQ(scan.version, "7.3");
  EXPECT_TRUE(scan.devices.empty());
  const auto version = parse_scan(read_fixture("smartmon/real-version.json"));
  ASSERT_TRUE(version.ok()) << version.error;
  EXPECT_EQ(version.version, "7.3");
}

TEST(SmartctlOutput, AScanListsEveryDeviceWithItsTypeAndOpenError) {
  const auto scan = parse_scan(read_fixture("smartmon/scan-open-three-devices.json"));
  ASSERT_TRUE(scan.ok()) << scan.error;
  ASSERT_EQ(scan.devices.size(), 3u);
  EXPECT_EQ(scan.devices[0].name, "/dev/sda");
  EXPECT_EQ(scan.devices[0].type, "sat");
  EXPECT_EQ(scan.devices[1].type, "nvme");
  EXPECT_EQ(scan.devices[2].name, "/dev/sdb");
  EXPECT_EQ(scan.devices[2].open_error, "Permission denied");
}

TEST(SmartctlOutput, OutputThatIsNotSmartctlsIsAnError) {
  EXPECT_FALSE(parse_scan("").ok());
  EXPECT_FALSE(parse_scan("/dev/sda -d sat # /dev/sda [SAT], ATA device\n").ok());
  EXPECT_FALSE(parse_scan("{\"devices\": []}").ok());
  EXPECT_FALSE(parse_device("[1, 2]", 0).ok());
  EXPECT_FALSE(parse_device("{\"smartctl\": {\"version\": [7, 3]", 0).ok());  // cut short
}

TEST(SmartctlOutput, FieldsOfTheWrongTypeAreLeftOutNotTrusted) {
  const auto report = parse_device(
      R"({"smartctl": {"version": [7, 3], "exit_status": 1e300}, "device": {"type": 3, "protocol": "ATA"},
          "smart_support": {"available": "yes", "enabled": 1}, "smart_status": {"passed": "PASSED"},
          "model_name": ["x"], "ata_smart_attributes": {"table": [
            {"id": 1e300, "name": "Power_On_Hours", "value": 1, "raw": {"string": 7}},
            {"id": 9, "name": "Power_On_Hours", "value": "1", "raw": {"value": 12}}, 5]}})",
      std::nullopt);
  ASSERT_TRUE(report.ok()) << report.error;
  EXPECT_EQ(report.exit_status, 0);
  EXPECT_FALSE(report.smart_available);
  EXPECT_FALSE(report.healthy.has_value());
  EXPECT_TRUE(report.info.empty());
  ASSERT_EQ(report.attributes.size(), 1u);
  EXPECT_EQ(report.attributes[0].id, 9);
  EXPECT_EQ(report.attributes[0].value, 0);
  EXPECT_EQ(report.attributes[0].raw, 12);  // no printed value: smartctl's raw.value
}

TEST(SmartctlOutput, AnAtaDiskGivesTheScriptsSeries) {
  const auto run = run_of("ata-Seagate_ST1000NM0008.json", {"/dev/sda", "sat", {}}, 0);
  ASSERT_TRUE(run.report.ok()) << run.report.error;
  const auto series = series_of(smartmon_families("7.3", {run}));
  EXPECT_THAT(series, Contains(Pair("smartmon_smartctl_version{version=\"7.3\"}", 1)));
  EXPECT_THAT(series, Contains(Pair("smartmon_smartctl_run{disk=\"/dev/sda\",type=\"sat\"}", 1796019935)));
  EXPECT_THAT(series, Contains(Pair("smartmon_smartctl_exit_status{disk=\"/dev/sda\",type=\"sat\"}", 0)));
  EXPECT_THAT(series, Contains(Pair("smartmon_device_active{disk=\"/dev/sda\",type=\"sat\"}", 1)));
  EXPECT_THAT(series, Contains(Pair("smartmon_device_info{disk=\"/dev/sda\",type=\"sat\",vendor=\"\",product=\"\","
                                    "revision=\"\",lun_id=\"\",model_family=\"Seagate Enterprise Capacity 3.5 HDD\","
                                    "device_model=\"ST1000NM0008-2F2100\",serial_number=\"REDACTED\","
                                    "firmware_version=\"REDACTED\"}",
                                    1)));
  EXPECT_THAT(series, Contains(Pair("smartmon_device_smart_available{disk=\"/dev/sda\",type=\"sat\"}", 1)));
  EXPECT_THAT(series, Contains(Pair("smartmon_device_smart_enabled{disk=\"/dev/sda\",type=\"sat\"}", 1)));
  EXPECT_THAT(series, Contains(Pair("smartmon_device_smart_healthy{disk=\"/dev/sda\",type=\"sat\"}", 1)));
  const std::string id9 = "{disk=\"/dev/sda\",type=\"sat\",smart_id=\"9\"}";
  EXPECT_THAT(series, Contains(Pair("smartmon_power_on_hours_value" + id9, 47)));
  EXPECT_THAT(series, Contains(Pair("smartmon_power_on_hours_worst" + id9, 47)));
  EXPECT_THAT(series, Contains(Pair("smartmon_power_on_hours_threshold" + id9, 0)));
  // "47060h+35m+00.858s": its first number, as the script's awk reads it.
  EXPECT_THAT(series, Contains(Pair("smartmon_power_on_hours_raw_value" + id9, 47060)));
  // "24 (Min/Max 20/33)": 24, not smartctl's packed raw.value.
  EXPECT_THAT(series, Contains(Pair("smartmon_airflow_temperature_cel_raw_value{disk=\"/dev/sda\",type=\"sat\","
                                    "smart_id=\"190\"}",
                                    24)));
  EXPECT_THAT(series, Contains(Pair("smartmon_temperature_celsius_raw_value{disk=\"/dev/sda\",type=\"sat\","
                                    "smart_id=\"194\"}",
                                    24)));
  // Exact, where the script's %e keeps 7 digits (7.181873e+10).
  EXPECT_THAT(series, Contains(Pair("smartmon_total_lbas_read_raw_value{disk=\"/dev/sda\",type=\"sat\","
                                    "smart_id=\"242\"}",
                                    71818734117)));
  // Dashes become underscores, as the script's gsub does.
  EXPECT_THAT(series, Contains(Pair("smartmon_end_to_end_error_threshold{disk=\"/dev/sda\",type=\"sat\","
                                    "smart_id=\"184\"}",
                                    99)));
  EXPECT_THAT(series, Contains(Pair("smartmon_g_sense_error_rate_value{disk=\"/dev/sda\",type=\"sat\","
                                    "smart_id=\"191\"}",
                                    100)));
  // Not on the script's list: High_Fly_Writes, Power-Off_Retract_Count, Head_Flying_Hours.
  EXPECT_THAT(series, Not(Contains(Key(::testing::HasSubstr("high_fly")))));
  EXPECT_THAT(series, Not(Contains(Key(::testing::HasSubstr("power_off_retract")))));
  EXPECT_THAT(series, Not(Contains(Key(::testing::HasSubstr("head_flying")))));
  // 21 of its 25 attributes are on the list, 4 series each; the version and
  // the device's 7 others.
  EXPECT_EQ(series.size(), 21u * 4 + 8);
}

TEST(SmartctlOutput, EveryFamilyHasTheScriptsHelpAndIsAGauge) {
  const auto families = smartmon_families("7.3", {run_of("ata-Seagate_ST1000NM0008.json", {"/dev/sda", "sat", {}}, 0)});
  std::string previous;
  for (const auto& f : families) {
    EXPECT_EQ(f.type, metrics::MetricType::gauge) << f.name;
    EXPECT_LT(previous, f.name) << "sorted by name, as the script prints them";
    previous = f.name;
    if (f.name == "smartmon_smartctl_exit_status") continue;  // gleaner's own
    EXPECT_EQ(f.help, "SMART metric " + f.name.substr(9)) << f.name;
  }
  ASSERT_NE(family(families, "smartmon_smartctl_exit_status"), nullptr);
  EXPECT_THAT(family(families, "smartmon_smartctl_exit_status")->help, ::testing::HasSubstr("bit mask"));
}

TEST(SmartctlOutput, AnAtaDiskWithErrorsInItsLogIsReportedNotFailed) {
  // Exit status 64: the error log holds records. Data about the disk.
  const auto run = run_of("ata-HGST_HUS724020ALE640-error-log.json", {"/dev/sdb", "sat", {}});
  ASSERT_TRUE(run.report.ok()) << run.report.error;
  EXPECT_EQ(run.report.exit_status, 64);
  EXPECT_FALSE(run.report.unreadable());
  const auto series = series_of(smartmon_families("7.3", {run}));
  EXPECT_THAT(series, Contains(Pair("smartmon_smartctl_exit_status{disk=\"/dev/sdb\",type=\"sat\"}", 64)));
  EXPECT_THAT(series, Contains(Pair("smartmon_device_active{disk=\"/dev/sdb\",type=\"sat\"}", 1)));
  // "423 (Average 428)"
  EXPECT_THAT(series,
              Contains(Pair("smartmon_spin_up_time_raw_value{disk=\"/dev/sdb\",type=\"sat\",smart_id=\"3\"}", 423)));
}

TEST(SmartctlOutput, AFailedSmartCommandIsStillTheDisksData) {
  // Exit status 4: some SMART command failed; what was read is reported.
  const auto run = run_of("ata-KINGSTON_SA400M8120G-command-failed.json", {"/dev/sda", "sat", {}});
  EXPECT_EQ(run.report.exit_status, 4);
  const auto series = series_of(smartmon_families("7.3", {run}));
  EXPECT_THAT(series, Contains(Pair("smartmon_device_smart_healthy{disk=\"/dev/sda\",type=\"sat\"}", 1)));
  EXPECT_THAT(series,
              Contains(Pair("smartmon_power_on_hours_raw_value{disk=\"/dev/sda\",type=\"sat\",smart_id=\"9\"}", 4994)));
}

TEST(SmartctlOutput, AnNvmeDiskGivesInfoHealthAndItsScsiLikeValues) {
  const auto run = run_of("nvme-Samsung_SSD_970_EVO_Plus_250GB.json", {"/dev/nvme0", "nvme", {}}, 0);
  const auto series = series_of(smartmon_families("7.3", {run}));
  const std::string labels = "{disk=\"/dev/nvme0\",type=\"nvme\"";
  EXPECT_THAT(series, Contains(Pair("smartmon_device_info" + labels +
                                        ",vendor=\"\",product=\"\",revision=\"\",lun_id=\"\",model_family=\"\","
                                        "device_model=\"Samsung SSD 970 EVO Plus 250GB\",serial_number=\"REDACTED\","
                                        "firmware_version=\"REDACTED\"}",
                                    1)));
  EXPECT_THAT(series, Contains(Pair("smartmon_device_smart_available" + labels + "}", 1)));
  EXPECT_THAT(series, Contains(Pair("smartmon_device_smart_healthy" + labels + "}", 1)));
  EXPECT_THAT(series, Contains(Pair("smartmon_power_on_hours_raw_value" + labels + ",smart_id=\"9\"}", 3149)));
  EXPECT_THAT(series, Contains(Pair("smartmon_temperature_celsius_raw_value" + labels + ",smart_id=\"194\"}", 35)));
  EXPECT_THAT(series, Contains(Pair("smartmon_power_cycle_count_raw_value" + labels + ",smart_id=\"12\"}", 16)));
  EXPECT_EQ(series.size(), 1u + 7 + 3);  // the version, 7 of the device, 3 values
}

TEST(SmartctlOutput, AFailingNvmeDiskIsUnhealthyNotAFailedRun) {
  // Exit status 8: "DISK FAILING" (its volatile memory backup failed).
  const auto run = run_of("nvme-SAMSUNG_MZWLL3T2HAJQ-failing.json", {"/dev/nvme0", "nvme", {}});
  ASSERT_TRUE(run.report.ok()) << run.report.error;
  EXPECT_EQ(run.report.exit_status, 8);
  EXPECT_FALSE(run.report.unreadable());
  const auto series = series_of(smartmon_families("7.3", {run}));
  EXPECT_THAT(series, Contains(Pair("smartmon_device_smart_healthy{disk=\"/dev/nvme0\",type=\"nvme\"}", 0)));
  EXPECT_THAT(series, Contains(Pair("smartmon_smartctl_exit_status{disk=\"/dev/nvme0\",type=\"nvme\"}", 8)));
  EXPECT_THAT(series, Contains(Pair("smartmon_device_active{disk=\"/dev/nvme0\",type=\"nvme\"}", 1)));
}

TEST(SmartctlOutput, AScsiDiskGivesVendorProductAndTheScriptsScsiSeries) {
  const auto run = run_of("scsi-HITACHI_H109060SESUN600G.json", {"/dev/sdb", "scsi", {}}, 0);
  const auto series = series_of(smartmon_families("7.3", {run}));
  const std::string labels = "{disk=\"/dev/sdb\",type=\"scsi\"";
  EXPECT_THAT(series, Contains(Pair("smartmon_device_info" + labels +
                                        ",vendor=\"HITACHI\",product=\"H109060SESUN600G\",revision=\"A31A\","
                                        "lun_id=\"0x1234567890abcdef\",model_family=\"\",device_model=\"\","
                                        "serial_number=\"REDACTED\",firmware_version=\"\"}",
                                    1)));
  EXPECT_THAT(series, Contains(Pair("smartmon_device_smart_healthy" + labels + "}", 1)));
  EXPECT_THAT(series, Contains(Pair("smartmon_power_on_hours_raw_value" + labels + ",smart_id=\"9\"}", 22364)));
  EXPECT_THAT(series, Contains(Pair("smartmon_temperature_celsius_raw_value" + labels + ",smart_id=\"194\"}", 26)));
  EXPECT_THAT(series, Contains(Pair("smartmon_power_cycle_count_raw_value" + labels + ",smart_id=\"12\"}", 70)));
  EXPECT_THAT(series, Contains(Pair("smartmon_grown_defects_count_raw_value" + labels + ",smart_id=\"-1\"}", 0)));
}

TEST(SmartctlOutput, ADeviceThatCannotBeOpenedKeepsTheOthersSeries) {
  // The real smartctl's answer for a device that is not there: exit 2.
  const auto missing = run_of("real-open-failed-nvme0.json", {"/dev/nvme0", "nvme", {}}, 2);
  ASSERT_TRUE(missing.report.ok()) << missing.report.error;
  EXPECT_TRUE(missing.report.unreadable());
  EXPECT_FALSE(missing.report.standby);
  EXPECT_EQ(missing.report.message, "Smartctl open device: /dev/nvme0 failed: No such device");
  // And for one whose type it cannot tell: exit 1.
  const auto unknown = run_of("real-unknown-type-dev-null.json", {"/dev/null", "", {}}, 1);
  EXPECT_TRUE(unknown.report.unreadable());
  const auto ata = run_of("ata-Seagate_ST1000NM0008.json", {"/dev/sda", "sat", {}}, 0);
  const auto series = series_of(smartmon_families("7.3", {missing, ata, unknown}));
  EXPECT_THAT(series, Contains(Pair("smartmon_device_active{disk=\"/dev/nvme0\",type=\"nvme\"}", 0)));
  EXPECT_THAT(series, Contains(Pair("smartmon_smartctl_exit_status{disk=\"/dev/nvme0\",type=\"nvme\"}", 2)));
  EXPECT_THAT(series, Not(Contains(Key("smartmon_device_smart_healthy{disk=\"/dev/nvme0\",type=\"nvme\"}"))));
  EXPECT_THAT(series, Contains(Pair("smartmon_device_active{disk=\"/dev/null\",type=\"\"}", 0)));
  EXPECT_THAT(series, Contains(Pair("smartmon_smartctl_exit_status{disk=\"/dev/null\",type=\"\"}", 1)));
  EXPECT_THAT(series, Contains(Pair("smartmon_device_smart_healthy{disk=\"/dev/sda\",type=\"sat\"}", 1)));
  EXPECT_THAT(series, Contains(Pair("smartmon_power_on_hours_raw_value{disk=\"/dev/sda\",type=\"sat\",smart_id=\"9\"}",
                                    47060)));
}

TEST(SmartctlOutput, ASleepingDiskIsInactiveAndLeftAlone) {
  // smartctl's answer under --nocheck=standby for a disk in standby
  // (ataprint.cpp: "Device is in %s mode, exit(%d)", the power exit status 2).
  const auto run = run_of("standby-sat.json", {"/dev/sdc", "sat", {}}, 2);
  ASSERT_TRUE(run.report.ok()) << run.report.error;
  EXPECT_TRUE(run.report.standby);
  const auto series = series_of(smartmon_families("7.3", {run}));
  EXPECT_THAT(series, Contains(Pair("smartmon_device_active{disk=\"/dev/sdc\",type=\"sat\"}", 0)));
  EXPECT_THAT(series, Not(Contains(Key(::testing::StartsWith("smartmon_device_info")))));
}

TEST(SmartctlOutput, ADiskOrAnAttributeTwiceIsOneSeries) {
  auto run = run_of("ata-Seagate_ST1000NM0008.json", {"/dev/sda", "sat", {}}, 0);
  run.report.attributes.push_back(run.report.attributes.front());
  const auto families = smartmon_families("7.3", {run, run});
  EXPECT_TRUE(metrics::check_families(families).empty()) << metrics::check_families(families);
  EXPECT_EQ(series_of(families).size(), 21u * 4 + 8);
}

TEST(SmartctlOutput, ADeviceWithoutAScannedTypeIsLabelledWithTheDetectedOne) {
  const auto run = run_of("ata-Seagate_ST1000NM0008.json", {"/dev/sda", "", {}}, 0);
  const auto series = series_of(smartmon_families("7.3", {run}));
  EXPECT_THAT(series, Contains(Key("smartmon_device_active{disk=\"/dev/sda\",type=\"sat\"}")));
}

TEST(SmartctlOutput, TheScriptsAttributeListMatchesAnywhereInTheName) {
  EXPECT_EQ(kept_attribute_name("Temperature_Celsius"), "temperature_celsius");
  EXPECT_EQ(kept_attribute_name("Power_On_Hours_and_Msec"), "power_on_hours_and_msec");
  EXPECT_EQ(kept_attribute_name("Erase_Fail_Count_Total"), "erase_fail_count_total");
  EXPECT_EQ(kept_attribute_name("End-to-End_Error"), "end_to_end_error");
  EXPECT_EQ(kept_attribute_name("High_Fly_Writes"), std::nullopt);
  EXPECT_EQ(kept_attribute_name("Unknown_SSD_Attribute"), std::nullopt);
  EXPECT_EQ(kept_attribute_name("Bad Name Power_On_Hours"), std::nullopt);  // awk's [a-zA-Z0-9_-]+ only
}

}  // namespace
}  // namespace gleaner::plugins::smartmon
