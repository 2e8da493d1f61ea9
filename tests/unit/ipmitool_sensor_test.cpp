// Reading `ipmitool sensor` into the ipmitool script's series: outputs of
// three servers (Linuxfabrik's monitoring-plugins test data), checked
// against what Debian's own ipmitool awk script printed for the same
// outputs (see fixtures/ipmi/SOURCES.md).

#include "plugins/ipmi/ipmitool_sensor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/family_series.h"
#include "tests/support/fixtures.h"

namespace gleaner::plugins::ipmi {
namespace {

using gleaner::testing::help_texts;
using gleaner::testing::read_fixture;
using gleaner::testing::series_in;
using gleaner::testing::series_of;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;

const char* const kOutputs[] = {
    "linuxfabrik_thirtyone-sensors-ok",
    "linuxfabrik_thirtyeight-sensors-ok",
    "linuxfabrik_thirtyeight-sensors-with-critical",
};

TEST(IpmitoolSensor, SeriesAreThoseOfDebiansIpmitoolScript) {
  for (const std::string output : kOutputs) {
    const auto readings = parse_sensors(read_fixture("ipmi/" + output + ".txt"));
    EXPECT_EQ(readings.unreadable, 0u) << readings.first_unreadable;
    const auto script = series_in(read_fixture("ipmi/" + output + "_ipmitool_script.prom"));
    EXPECT_FALSE(script.empty());
    EXPECT_EQ(series_of(ipmi_families(readings)), script) << output;
  }
}

TEST(IpmitoolSensor, RealIpmitoolAgainstASimulatedBmc) {
  // Debian 12's ipmitool 1.8.19 reading OpenIPMI's simulated BMC: the same
  // series as the script but for two discrete states past 0x9, which the
  // script misreads (README "The ipmi plugin").
  const auto readings = parse_sensors(read_fixture("ipmi/ipmi_sim_sensor.txt"));
  EXPECT_EQ(readings.unreadable, 0u) << readings.first_unreadable;
  auto actual = series_of(ipmi_families(readings));
  auto expected = series_in(read_fixture("ipmi/ipmi_sim_sensor_ipmitool_script.prom"));
  const std::string drive1 = R"(node_ipmi_status{sensor="Drive 1 Status"})";
  const std::string drive2 = R"(node_ipmi_status{sensor="Drive 2 Status"})";
  EXPECT_EQ(expected[drive1], 0);   // 0xa
  EXPECT_EQ(expected[drive2], 10);  // 0x10
  EXPECT_EQ(actual[drive1], 10);
  EXPECT_EQ(actual[drive2], 16);
  for (const auto& drive : {drive1, drive2}) {
    expected.erase(drive);
    actual.erase(drive);
  }
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(expected.size(), 8u);  // not the absent FAN2, nor the current in Amps
}

TEST(IpmitoolSensor, HelpTextsAreThoseOfDebiansIpmitoolScript) {
  // The server with a reading of every kind.
  const auto script = read_fixture("ipmi/linuxfabrik_thirtyeight-sensors-with-critical_ipmitool_script.prom");
  const auto helps = help_texts(script);
  const auto families =
      ipmi_families(parse_sensors(read_fixture("ipmi/linuxfabrik_thirtyeight-sensors-with-critical.txt")));
  ASSERT_EQ(families.size(), 5u);
  ASSERT_EQ(helps.size(), 5u);
  for (const auto& family : families) {
    ASSERT_TRUE(helps.contains(family.name)) << family.name;
    EXPECT_EQ(family.help, helps.at(family.name));
    EXPECT_EQ(family.type, metrics::MetricType::gauge);
  }
}

TEST(IpmitoolSensor, NoReadingAndOtherUnitsAreLeftOut) {
  // An absent CPU's "na", a percentage and a current: none reported.
  const auto readings = parse_sensors(
      "03-CPU 2         | na         |            | na    | na        | na        | na        | na        | 70.000    | na\n"
      "P1 Therm Ctrl %  | 0.000      | percent    | ok    | na        | na        | na        | 29.640    | 49.530    | na\n"
      "VR_P0_IOUT       | 103.000    | Amps       | ok    | na        | na        | na        | 228.000   | 248.000   | na\n"
      "SEL              | na         | discrete   | na    | na        | na        | na        | na        | na        | na\n");
  EXPECT_TRUE(ipmi_families(readings).empty());
  EXPECT_EQ(readings.unreadable, 0u);
}

TEST(IpmitoolSensor, ADiscreteStateIsHexadecimal) {
  // The script reads the two digits after 0x as a decimal number: 0x1 is
  // 1 there too, but 0x10 would be 10 and 0xa 0 (README "The ipmi plugin").
  const auto readings = parse_sensors(
      "PS1 Status       | 0x1        | discrete   | 0x0100| na        | na        | na        | na        | na        | na\n"
      "Drive 4 Status   | 0x10       | discrete   | 0x1080| na        | na        | na        | na        | na        | na\n"
      "VBAT             | 0xa        | discrete   | 0x0a80| na        | na        | na        | na        | na        | na\n");
  const auto series = series_of(ipmi_families(readings));
  EXPECT_THAT(series, Contains(Pair(R"(node_ipmi_status{sensor="PS1 Status"})", 1.0)));
  EXPECT_THAT(series, Contains(Pair(R"(node_ipmi_status{sensor="Drive 4 Status"})", 16.0)));
  EXPECT_THAT(series, Contains(Pair(R"(node_ipmi_status{sensor="VBAT"})", 10.0)));
}

TEST(IpmitoolSensor, AReadingThatIsNotANumberIsCountedAndTheOthersKept) {
  const auto readings = parse_sensors(
      "CPU Temp         | 52.000     | degrees C  | ok    | 0.000     | 0.000     | 0.000     | 96.000    | 101.000   | 101.000\n"
      "FAN1             | fast       | RPM        | ok    | 300.000   | 500.000   | 700.000   | 25300.000 | 25400.000 | 25500.000\n"
      "Chassis Intru    | 0x         | discrete   | 0x0000| na        | na        | na        | na        | na        | na\n");
  EXPECT_EQ(readings.unreadable, 2u);
  EXPECT_THAT(readings.first_unreadable, HasSubstr("line 2: not a reading: \"FAN1"));
  EXPECT_EQ(series_of(ipmi_families(readings)),
            (gleaner::testing::SeriesValues{{R"(node_ipmi_temperature_celsius{sensor="CPU Temp"})", 52.0}}));
}

TEST(IpmitoolSensor, NothingPrintedIsNoSeries) {
  EXPECT_TRUE(ipmi_families(parse_sensors("")).empty());
  EXPECT_TRUE(ipmi_families(parse_sensors(read_fixture("ipmi/ipmitool_no_bmc.stderr"))).empty());
}

}  // namespace
}  // namespace gleaner::plugins::ipmi
