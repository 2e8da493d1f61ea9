// Reading nvme-cli's outputs into nvme_metrics.sh's series: the real nvme
// binary of Debian 12 (nvme-cli 2.3) and netdata's nvme-cli fixtures,
// checked against what Debian's own nvme_metrics.sh printed for the same
// outputs (see fixtures/nvme/SOURCES.md).

#include "plugins/nvme/nvme_output.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "tests/support/family_series.h"
#include "tests/support/fixtures.h"

namespace gleaner::plugins::nvme {
namespace {

using gleaner::testing::help_texts;
using gleaner::testing::read_fixture;
using gleaner::testing::series_in;
using gleaner::testing::series_of;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The devices and logs nvme_metrics_sh.prom was made from.
std::vector<DeviceLog> script_devices() {
  const auto list = parse_device_list(read_fixture("nvme/netdata_v2.3_list.json"));
  EXPECT_TRUE(list.ok()) << list.error;
  std::vector<DeviceLog> logs;
  for (const auto& path : list.paths) {
    const auto log = parse_smart_log(read_fixture(path == "/dev/nvme0n1" ? "nvme/nvme_cli_2.3_smart_log_firecuda.json"
                                                                          : "nvme/nvme_cli_2.3_smart_log_worn.json"));
    EXPECT_TRUE(log.ok()) << log.error;
    logs.push_back(DeviceLog{device_label(path), log});
  }
  return logs;
}

// "# TYPE name type" lines: name → type.
std::map<std::string, std::string> types_in(const std::string& exposition) {
  std::map<std::string, std::string> types;
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("# TYPE ")) continue;
    std::istringstream words(line.substr(7));
    std::string name, type;
    words >> name >> type;
    types[name] = type;
  }
  return types;
}

TEST(NvmeOutput, VersionOfTheRealNvmeCli) {
  EXPECT_EQ(parse_version(read_fixture("nvme/nvme_version.txt")), "2.3");
  EXPECT_EQ(parse_version("libnvme version 1.3 (git 1.3)\n"), "");
}

TEST(NvmeOutput, DevicesOfNvmeCli23) {
  const auto list = parse_device_list(read_fixture("nvme/netdata_v2.3_list.json"));
  ASSERT_TRUE(list.ok()) << list.error;
  EXPECT_THAT(list.paths, ElementsAre("/dev/nvme0n1", "/dev/nvme1n1"));
}

TEST(NvmeOutput, DevicesOfALaterNvmeCli) {
  // nvme-cli 2.11 nests namespaces under subsystems and controllers.
  const auto list = parse_device_list(read_fixture("nvme/netdata_v2.11_list.json"));
  ASSERT_TRUE(list.ok()) << list.error;
  EXPECT_THAT(list.paths, ElementsAre("/dev/nvme0n1", "/dev/nvme1n1", "/dev/nvme2n1"));
}

TEST(NvmeOutput, ANamespaceListedTwiceIsReadOnce) {
  const auto list = parse_device_list(R"({"Devices": [{"Subsystems": [{
      "Controllers": [{"Namespaces": [{"NameSpace": "nvme0n1"}]}],
      "Namespaces": [{"NameSpace": "nvme0n1"}, {"NameSpace": "nvme0n2"}, {"Name": "no"}, 7]}]}]})");
  ASSERT_TRUE(list.ok()) << list.error;
  EXPECT_THAT(list.paths, ElementsAre("/dev/nvme0n1", "/dev/nvme0n2"));
}

TEST(NvmeOutput, NoDevices) {
  const auto list = parse_device_list(read_fixture("nvme/netdata_list_empty.json"));
  ASSERT_TRUE(list.ok()) << list.error;
  EXPECT_TRUE(list.paths.empty());
}

TEST(NvmeOutput, AListThatIsNotNvmeClisIsAnError) {
  EXPECT_THAT(parse_device_list("").error, HasSubstr("no object"));
  EXPECT_THAT(parse_device_list("Failed to scan topology\n").error, HasSubstr("no object"));
  EXPECT_THAT(parse_device_list(R"({"devices": []})").error, HasSubstr("no \"Devices\" array"));
}

TEST(NvmeOutput, SmartLogOfNvmeCli23) {
  // nvme-cli 2.3 prints the 128-bit counters as strings of digits.
  const auto log = parse_smart_log(read_fixture("nvme/nvme_cli_2.3_smart_log_firecuda.json"));
  ASSERT_TRUE(log.ok()) << log.error;
  EXPECT_EQ(log.temperature_kelvin, 310);
  EXPECT_EQ(log.spare_thresh, 5);
  EXPECT_EQ(log.data_units_written, 136157684);
  EXPECT_EQ(log.host_write_commands, 1928062610);
  EXPECT_EQ(log.controller_busy_time_minutes, 8284);
  EXPECT_EQ(log.num_err_log_entries, 110);
}

TEST(NvmeOutput, ACounterPastTwoToTheSixtyFour) {
  const auto log = parse_smart_log(read_fixture("nvme/nvme_cli_2.3_smart_log_worn.json"));
  ASSERT_TRUE(log.ok()) << log.error;
  EXPECT_EQ(log.data_units_read, std::ldexp(1.0, 64) + 5);  // the nearest double
  EXPECT_EQ(log.critical_warning, 9);
}

TEST(NvmeOutput, NumbersAndStringsGiveTheSameLog) {
  // netdata's fixtures: the same drive's log as numbers, as strings, and
  // nvme-cli 2.3 itself (the same values, through the real binary).
  const auto numbers = parse_smart_log(read_fixture("nvme/netdata_v2.3_smart_log.json"));
  const auto strings = parse_smart_log(read_fixture("nvme/netdata_v2.3_smart_log_string.json"));
  const auto real = parse_smart_log(read_fixture("nvme/nvme_cli_2.3_smart_log_firecuda.json"));
  for (const auto* log : {&numbers, &strings}) {
    ASSERT_TRUE(log->ok()) << log->error;
    EXPECT_EQ(series_of(nvme_families("2.3", {{"nvme0n1", *log}})),
              series_of(nvme_families("2.3", {{"nvme0n1", real}})));
  }
}

TEST(NvmeOutput, AVerboseCriticalWarningIsItsValue) {
  // nvme-cli 2.11 prints critical_warning as an object of its bits.
  const auto log = parse_smart_log(read_fixture("nvme/netdata_v2.11_smart_log.json"));
  ASSERT_TRUE(log.ok()) << log.error;
  EXPECT_EQ(log.critical_warning, 0);
  EXPECT_EQ(log.temperature_kelvin, 324);
  EXPECT_EQ(log.host_write_commands, 24273507789.0);
}

TEST(NvmeOutput, ALogThatIsNotNvmeClisIsAnError) {
  EXPECT_THAT(parse_smart_log("").error, HasSubstr("no object"));
  EXPECT_THAT(parse_smart_log(R"({"temperature": "hot"})").error, HasSubstr("\"temperature\" is not a number"));
  EXPECT_THAT(parse_smart_log(R"({"firmware": "1.0"})").error, HasSubstr("none of its fields"));
}

TEST(NvmeOutput, SeriesAreThoseOfDebiansNvmeMetricsSh) {
  const auto script = read_fixture("nvme/nvme_metrics_sh.prom");
  auto expected = series_in(script);
  auto actual = series_of(nvme_families(parse_version(read_fixture("nvme/nvme_version.txt")), script_devices()));
  // The one difference, on purpose: the busy time in seconds, where the
  // script shows the log's minutes (README "The nvme plugin").
  for (const char* device : {"nvme0n1", "nvme1n1"}) {
    const std::string busy = std::string("nvme_controller_busy_time_seconds{device=\"") + device + "\"}";
    ASSERT_TRUE(expected.contains(busy));
    EXPECT_EQ(actual[busy], expected[busy] * 60);
    expected.erase(busy);
    actual.erase(busy);
  }
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(expected.size(), 2u * 13 + 1);
}

TEST(NvmeOutput, HelpTextsAndTypesAreThoseOfDebiansNvmeMetricsSh) {
  const auto script = read_fixture("nvme/nvme_metrics_sh.prom");
  const auto families = nvme_families("2.3", script_devices());
  const auto helps = help_texts(script);
  const auto types = types_in(script);
  ASSERT_EQ(families.size(), helps.size());
  for (const auto& family : families) {
    ASSERT_TRUE(helps.contains(family.name)) << family.name;
    EXPECT_EQ(family.help, helps.at(family.name));
    EXPECT_EQ(metrics::to_string(family.type), types.at(family.name)) << family.name;
  }
}

TEST(NvmeOutput, NoDeviceIsTheVersionAlone) {
  const auto families = nvme_families("2.3", {});
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].name, "nvme_nvmecli");
}

}  // namespace
}  // namespace gleaner::plugins::nvme
