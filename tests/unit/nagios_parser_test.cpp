#include "common/parsers/nagios_parser.h"

#include <gtest/gtest.h>

#include "tests/support/fixtures.h"
#include "tests/support/hostile_inputs.h"
#include "tests/support/parser_checks.h"
#include "common/parsers/perfdata.h"

namespace gleaner::parsers {
namespace {

using testing::find_family;
using testing::find_sample;
using testing::parsed_valid;
using testing::value_of;

constexpr double kKi = 1024.0;

ParseOutput parse(std::string_view text, int exit_code, std::string metric = "check") {
  return NagiosParser(NagiosOptions{std::move(metric)}).parse(ParseInput{text, exit_code});
}

ParseOutput parse_fixture(const std::string& name, int exit_code) {
  return parse(testing::read_fixture("parsers/nagios/" + name), exit_code);
}

metrics::Labels item(std::string label, std::string unit) {
  return {{"label", std::move(label)}, {"unit", std::move(unit)}};
}

TEST(NagiosParser, StatusComesFromTheExitCode) {
  for (int code : {0, 1, 2, 3}) {
    const auto output = parse("OK", code);
    ASSERT_TRUE(parsed_valid(output));
    ASSERT_EQ(output.families.size(), 1u);
    EXPECT_EQ(output.families[0].name, "check_status");
    EXPECT_DOUBLE_EQ(output.families[0].samples[0].value, code);
  }
  EXPECT_DOUBLE_EQ(value_of(parse("", 4).families, "check_status"), 3);
  EXPECT_DOUBLE_EQ(value_of(parse("", 127).families, "check_status"), 3);
  EXPECT_DOUBLE_EQ(value_of(parse("", -1).families, "check_status"), 3);
}

TEST(NagiosParser, CheckDisk) {
  const auto output = parse_fixture("check_disk_ok.txt", 0);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(find_family(output.families, "check_perfdata")->samples.size(), 5u);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("/", "bytes")), 17690525696);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_warning", item("/", "bytes")), 216442024755);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_critical", item("/", "bytes")), 243497277849);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_min", item("/", "bytes")), 0);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_max", item("/boot", "bytes")), 509412864);
  // "inode=97%" in the text before '|' is not perfdata.
  EXPECT_EQ(find_sample(output.families, "check_perfdata", {{"label", "inode"}}), nullptr);
}

TEST(NagiosParser, CheckDiskCritical) {
  const auto output = parse_fixture("check_disk_gb_critical.txt", 2);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_status"), 2);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("/", "bytes")), 17179869184);
}

TEST(NagiosParser, CheckLoadWithTrailingSemicolonsAndSpace) {
  const auto output = parse_fixture("check_load_ok.txt", 0);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("load1", "")), 0.22);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_warning", item("load5", "")), 4);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_critical", item("load15", "")), 6);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_min", item("load15", "")), 0);
  EXPECT_EQ(find_family(output.families, "check_perfdata_max"), nullptr);
}

TEST(NagiosParser, CheckLoadEmptyThresholdFields) {
  const auto output = parse_fixture("check_load_scaled_critical.txt", 2);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(find_family(output.families, "check_perfdata")->samples.size(), 6u);
  EXPECT_EQ(find_sample(output.families, "check_perfdata_warning", item("load1", "")), nullptr);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_warning", item("scaled_load1", "")), 0.01);
}

TEST(NagiosParser, CheckHttpSecondsAndBytes) {
  const auto output = parse_fixture("check_http_ok.txt", 0);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("time", "seconds")), 0.001447);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_max", item("time", "seconds")), 10);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("size", "bytes")), 420);
  const auto warning = parse_fixture("check_http_not_found_warning.txt", 1);
  ASSERT_TRUE(parsed_valid(warning));
  EXPECT_DOUBLE_EQ(value_of(warning.families, "check_status"), 1);
}

TEST(NagiosParser, OutputWithoutPerfdata) {
  const std::pair<const char*, int> runs[] = {{"check_http_refused_critical.txt", 2}, {"check_dummy_unknown.txt", 3}};
  for (const auto& [name, exit_code] : runs) {
    const auto output = parse_fixture(name, exit_code);
    ASSERT_TRUE(parsed_valid(output)) << name;
    ASSERT_EQ(output.families.size(), 1u) << name;
    EXPECT_EQ(output.families[0].name, "check_status");
    EXPECT_DOUBLE_EQ(output.families[0].samples[0].value, exit_code);
  }
}

TEST(NagiosParser, CheckPingMillisecondsAndPercent) {
  const auto output = parse_fixture("check_ping_ok.txt", 0);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("rta", "seconds")), 0.000077);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_warning", item("rta", "seconds")), 0.1);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_critical", item("rta", "seconds")), 0.5);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("pl", "ratio")), 0);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_warning", item("pl", "ratio")), 0.2);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_critical", item("pl", "ratio")), 0.6);
}

TEST(NagiosParser, UnknownValuesGiveNoSeries) {
  const auto output = parse_fixture("check_ping_unreachable_critical.txt", 2);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(find_sample(output.families, "check_perfdata", {{"label", "rta"}}), nullptr);
  EXPECT_EQ(find_sample(output.families, "check_perfdata_warning", {{"label", "rta"}}), nullptr);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("pl", "ratio")), 1);
}

TEST(NagiosParser, MoreRealPlugins) {
  const auto procs = parse_fixture("check_procs_warning.txt", 1);
  ASSERT_TRUE(parsed_valid(procs));
  EXPECT_DOUBLE_EQ(value_of(procs.families, "check_perfdata", item("procs", "")), 8);
  const auto swap = parse_fixture("check_swap_critical.txt", 2);
  ASSERT_TRUE(parsed_valid(swap));
  EXPECT_DOUBLE_EQ(value_of(swap.families, "check_perfdata_max", item("swap", "bytes")), 0);
  const auto age = parse_fixture("check_file_age_critical.txt", 2);
  ASSERT_TRUE(parsed_valid(age));
  EXPECT_DOUBLE_EQ(value_of(age.families, "check_perfdata", item("age", "seconds")), 1179);
  EXPECT_DOUBLE_EQ(value_of(age.families, "check_perfdata", item("size", "bytes")), 3);
  for (const char* name : {"check_tcp_ok.txt", "check_users_ok.txt"}) {
    EXPECT_TRUE(parsed_valid(parse_fixture(name, 0))) << name;
  }
}

TEST(NagiosParser, PerfdataInLongOutputOverSeveralLines) {
  const auto output = parse_fixture("check_disk_long_output.txt", 0);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(find_family(output.families, "check_perfdata")->samples.size(), 4u);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("/", "bytes")), 2643 * kKi * kKi);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("/boot", "bytes")), 68 * kKi * kKi);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_warning", item("/home", "bytes")), 253404 * kKi * kKi);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_max", item("/var/log", "bytes")), 980 * kKi * kKi);
}

TEST(NagiosParser, QuotedLabelsWithSpacesAndLowercaseByteUnits) {
  const auto output = parse_fixture("check_nt_disk_warning.txt", 1);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("c:\\ Used Space", "bytes")),
                   35.28 * kKi * kKi * kKi);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_max", item("c:\\ Used Space", "bytes")),
                   39.06 * kKi * kKi * kKi);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("c:\\ Used %", "ratio")), 0.9);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_max", item("c:\\ Used %", "ratio")), 1);
}

TEST(NagiosParser, DecimalCommaOtherUnitsEscapedQuotesAndRanges) {
  const auto output = parse_fixture("check_sensors_decimal_comma.txt", 0);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("temperature", "°C")), 21.5);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_max", item("temperature", "°C")), 80);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("fan speed", "rpm")), 2400);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("it's quoted", "")), 1);
  // @10:20 and ~:30 are ranges: not one number, so not exported.
  EXPECT_EQ(find_sample(output.families, "check_perfdata_warning", {{"label", "it's quoted"}}), nullptr);
  EXPECT_EQ(find_sample(output.families, "check_perfdata_critical", {{"label", "it's quoted"}}), nullptr);
}

TEST(NagiosParser, UnitsAreConverted) {
  const auto output = parse("OK | a=1500us b=2KB c=3MB d=1TB e=7c f=0.5 g=1,5s h=-2ms i=1e3B", 0);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("a", "seconds")), 0.0015);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("b", "bytes")), 2048);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("c", "bytes")), 3 * kKi * kKi);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("d", "bytes")), kKi * kKi * kKi * kKi);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("e", "counter")), 7);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("f", "")), 0.5);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("g", "seconds")), 1.5);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("h", "seconds")), -0.002);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("i", "bytes")), 1000);
}

TEST(NagiosParser, ThresholdsMayRepeatTheUnit) {
  const auto output = parse("OK | /=2643MB;5948MB;5958MB;0MB;5968MB", 0);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_warning", item("/", "bytes")), 5948 * kKi * kKi);
}

TEST(NagiosParser, UnreadablePerfdataIsAnErrorWhenOnErrorIsFail) {
  const auto parse = [](std::string_view text, int exit_code) {
    return NagiosParser(NagiosOptions{"check", OnError::fail}).parse(ParseInput{text, exit_code});
  };
  EXPECT_EQ(parse("OK | load", 0).error, "perfdata item \"load\" has no '=' after its label");
  EXPECT_EQ(parse("OK | disk usage=5", 0).error, "perfdata item \"disk\" has no '=' after its label");
  EXPECT_EQ(parse("OK | =5", 0).error, "perfdata item \"=5\" has an empty label");
  EXPECT_EQ(parse("OK | a=", 0).error, "perfdata item \"a=\": cannot read the value \"\"");
  EXPECT_EQ(parse("OK | a=x", 0).error, "perfdata item \"a=x\": cannot read the value \"x\"");
  EXPECT_EQ(parse("OK | a=1.2.3", 0).error, "perfdata item \"a=1.2.3\": cannot read the value \"1.2.3\"");
  EXPECT_EQ(parse("OK | a=1;x", 0).error, "perfdata item \"a=1;x\": cannot read the threshold \"x\"");
  EXPECT_EQ(parse("OK | a=1;;;0;big", 0).error, "perfdata item \"a=1;;;0;big\": cannot read the min/max \"big\"");
  EXPECT_EQ(parse("OK | a=1;;;;;6", 0).error, "perfdata item \"a=1;;;;;6\": more than five ';'-separated fields");
  EXPECT_EQ(parse("OK | 'open=1", 0).error, "perfdata: a quoted label has no closing quote: \"'open=1\"");
  EXPECT_EQ(parse("OK | 'a'5", 0).error, "perfdata item \"'a'5\" has no '=' after its label");
  EXPECT_EQ(parse("OK | a=1 a=2", 0).error, "duplicate series from perfdata label \"a\", which appears twice");
}

TEST(NagiosParser, ExtraEmptyFieldsAreFine) {
  const auto output = parse("OK | a=1;;;;; b=2;;;;;;", 0);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(find_family(output.families, "check_perfdata")->samples.size(), 2u);
}

TEST(NagiosParser, CrlfAndTabs) {
  const auto output = parse("OK |\ta=1;2;3\r\nlong text\r\n| b=2\r\nc=3\r\n", 0);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(find_family(output.families, "check_perfdata")->samples.size(), 3u);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata_critical", item("a", "")), 3);
}

TEST(NagiosParser, InvalidUtf8AndNulInLabelsAreReplaced) {
  static constexpr char kText[] = "OK | caf\xe9=1 'x\0y'=2";
  const auto output = parse(std::string(kText, sizeof kText - 1), 0);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("caf\xEF\xBF\xBD", "")), 1);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("x\xEF\xBF\xBDy", "")), 2);
}

TEST(NagiosParser, InvalidOptions) {
  EXPECT_EQ(check_options(NagiosOptions{"check disk"}),
            "metric: \"check disk\" is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
  EXPECT_FALSE(parse("OK", 0, "").ok());
}

TEST(NagiosParser, HostileInputsGiveAnErrorOrValidFamilies) {
  for (const auto& input : testing::hostile_inputs()) {
    for (int code : {0, 2, 255}) {
      const auto output = parse(input.text, code);
      EXPECT_TRUE(testing::error_or_valid(output)) << input.name;
      EXPECT_LT(output.error.size(), 200u) << input.name;
    }
  }
}

TEST(Perfdata, ReadsEveryField) {
  std::vector<PerfdataItem> items;
  ASSERT_EQ(read_perfdata("'a b'=10%;80;90;0;100 c=U", items), "");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].label, "a b");
  EXPECT_EQ(items[0].unit, "ratio");
  EXPECT_DOUBLE_EQ(*items[0].value, 0.1);
  EXPECT_DOUBLE_EQ(*items[0].warning, 0.8);
  EXPECT_DOUBLE_EQ(*items[0].critical, 0.9);
  EXPECT_DOUBLE_EQ(*items[0].min, 0);
  EXPECT_DOUBLE_EQ(*items[0].max, 1);
  EXPECT_EQ(items[1].label, "c");
  EXPECT_FALSE(items[1].value.has_value());
}

TEST(Perfdata, RangesAreRecognisedAndSkipped) {
  for (const char* range : {"10:20", "10:", "~:5", "@1:2", "@~:0", ":5"}) {
    std::vector<PerfdataItem> items;
    ASSERT_EQ(read_perfdata(std::string("a=1;") + range + ";" + range, items), "") << range;
    EXPECT_FALSE(items[0].warning.has_value()) << range;
    EXPECT_FALSE(items[0].critical.has_value()) << range;
  }
}

}  // namespace
}  // namespace gleaner::parsers

namespace gleaner::parsers {
namespace {

// As Nagios and Telegraf do: a bad item is skipped, the status is kept.
TEST(NagiosParserSkip, AMalformedPerfdataItemIsSkippedAndCounted) {
  const auto output = parse("OK - fine | =3;;;; x=;;;; good=5s", 0);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_status"), 0);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("good", "seconds")), 5);
  EXPECT_EQ(output.skipped, 2u);
  EXPECT_EQ(output.first_skipped, "perfdata item \"=3;;;;\" has an empty label");
}

TEST(NagiosParserSkip, TheStatusAloneIsValidOutput) {
  const auto output = parse("OK - fine | =3;;;; x=;;;;", 2);
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 1u);
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_status"), 2);
  EXPECT_EQ(output.skipped, 2u);
}

TEST(NagiosParserSkip, ARepeatedLabelDropsTheLaterItem) {
  const auto output = parse("OK | a=1 b=2 a=3", 0);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "check_perfdata", item("a", "")), 1);
  EXPECT_EQ(output.skipped, 1u);
  EXPECT_EQ(output.first_skipped, "duplicate series from perfdata label \"a\", which appears twice");
}

TEST(NagiosParserSkip, FailModeFailsOnTheFirstBadItem) {
  const auto output =
      NagiosParser(NagiosOptions{"check", OnError::fail}).parse(ParseInput{"OK - fine | =3;;;; x=;;;;", 0});
  EXPECT_EQ(output.error, "perfdata item \"=3;;;;\" has an empty label");
}

TEST(NagiosParser, EveryFamilyHasAHelpText) {
  const auto output = parse("OK | a=1;2;3;0;10", 0);
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 6u);
  for (const auto& family : output.families) EXPECT_FALSE(family.help.empty()) << family.name;
}

}  // namespace
}  // namespace gleaner::parsers
