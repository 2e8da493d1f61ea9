#include "common/parsers/influx_parser.h"

#include <gtest/gtest.h>

#include "tests/support/fixtures.h"
#include "tests/support/hostile_inputs.h"
#include "tests/support/parser_checks.h"

// Examples marked "reference" are those of the InfluxDB v2 "Line protocol"
// reference: https://docs.influxdata.com/influxdb/v2/reference/syntax/line-protocol/

namespace gleaner::parsers {
namespace {

using metrics::Labels;
using metrics::MetricType;
using testing::find_family;
using testing::find_sample;
using testing::parsed_valid;
using testing::sample_count;
using testing::value_of;

ParseOutput parse(std::string_view text, OnError on_error = OnError::fail) {
  return InfluxParser(InfluxOptions{on_error}).parse(ParseInput{text});
}

// The value of the one series a one-line input gives.
double only_value(std::string_view text) {
  const auto output = parse(text);
  EXPECT_TRUE(parsed_valid(output)) << text;
  EXPECT_EQ(sample_count(output.families), 1u) << text;
  return output.families.empty() || output.families[0].samples.empty() ? -12345.0
                                                                        : output.families[0].samples[0].value;
}

TEST(InfluxParser, EveryFieldIsASeriesNamedMeasurementUnderscoreField) {
  const auto output = parse("weather,location=us-midwest,season=summer temperature=82,humidity=71i 1465839830100400200\n");
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 2u);
  EXPECT_EQ(output.families[0].name, "weather_temperature");
  EXPECT_EQ(output.families[1].name, "weather_humidity");
  const Labels labels{{"location", "us-midwest"}, {"season", "summer"}};
  EXPECT_EQ(output.families[0].samples[0].labels, labels);
  EXPECT_DOUBLE_EQ(value_of(output.families, "weather_temperature"), 82);
  EXPECT_DOUBLE_EQ(value_of(output.families, "weather_humidity"), 71);
}

TEST(InfluxParser, AFieldNamedValueKeepsItsName) {
  const auto output = parse("cpu value=1\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].name, "cpu_value");
}

TEST(InfluxParser, TheMeasurementPrometheusGivesTheFieldAlone) {
  // What Telegraf's prometheus input read, named by its serializer as it was.
  const auto output = parse("prometheus,job=node http_requests_total=1027\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].name, "http_requests_total");
}

TEST(InfluxParser, FamiliesAreUntypedWithoutHelp) {
  const auto output = parse("net bytes_recv=1u\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].type, MetricType::untyped);
  EXPECT_EQ(output.families[0].help, "");
}

TEST(InfluxParser, NamesAreSanitizedAsEverywhereInGleaner) {
  const auto output = parse("disk-io,dev.name=sda,2nd=x read.bytes=1,µs=2\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].name, "disk_io_read_bytes");
  EXPECT_EQ(output.families[1].name, "disk_io___s");
  const Labels labels{{"_2nd", "x"}, {"dev_name", "sda"}};
  EXPECT_EQ(output.families[0].samples[0].labels, labels);
  EXPECT_EQ(parse("2xx value=1").families[0].name, "_2xx_value");
}

TEST(InfluxParser, LabelsAreSortedByName) {
  const auto output = parse("m,z=1,a=2 f=1\nm,a=2,z=1 f=2\n");
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(sample_count(output.families), 1u);
  const Labels labels{{"a", "2"}, {"z", "1"}};
  EXPECT_EQ(output.families[0].samples[0].labels, labels);
  EXPECT_DOUBLE_EQ(output.families[0].samples[0].value, 2);
}

// reference: "Float", "Integer", "UInteger", "Boolean" examples and bounds.
TEST(InfluxParser, TheReferencesValueExamples) {
  EXPECT_DOUBLE_EQ(only_value("myMeasurement fieldKey=1.0"), 1.0);
  EXPECT_DOUBLE_EQ(only_value("myMeasurement fieldKey=1"), 1.0);
  EXPECT_DOUBLE_EQ(only_value("myMeasurement fieldKey=-1.234456e+78"), -1.234456e+78);
  EXPECT_DOUBLE_EQ(only_value("myMeasurement fieldKey=1i"), 1);
  EXPECT_DOUBLE_EQ(only_value("myMeasurement fieldKey=12485903i"), 12485903);
  EXPECT_DOUBLE_EQ(only_value("myMeasurement fieldKey=-12485903i"), -12485903);
  EXPECT_DOUBLE_EQ(only_value("myMeasurement fieldKey=1u"), 1);
  EXPECT_DOUBLE_EQ(only_value("myMeasurement fieldKey=12485903u"), 12485903);
  EXPECT_DOUBLE_EQ(only_value("myMeasurement fieldKey=-9223372036854775808i"), -9223372036854775808.0);
  EXPECT_DOUBLE_EQ(only_value("myMeasurement fieldKey=9223372036854775807i"), 9223372036854775807.0);
  EXPECT_DOUBLE_EQ(only_value("myMeasurement fieldKey=0u"), 0);
  EXPECT_DOUBLE_EQ(only_value("myMeasurement fieldKey=18446744073709551615u"), 18446744073709551615.0);
}

TEST(InfluxParser, FloatForms) {
  EXPECT_DOUBLE_EQ(only_value("m f=.5"), 0.5);
  EXPECT_DOUBLE_EQ(only_value("m f=5."), 5);
  EXPECT_DOUBLE_EQ(only_value("m f=-0.25"), -0.25);
  EXPECT_DOUBLE_EQ(only_value("m f=1e3"), 1000);
  EXPECT_DOUBLE_EQ(only_value("m f=1E-3"), 0.001);
  EXPECT_DOUBLE_EQ(only_value("m f=2.5e+2"), 250);
  EXPECT_DOUBLE_EQ(only_value("m f=007.5"), 7.5);
  // Below the smallest double reads as zero, as Telegraf's ParseFloat reads it.
  EXPECT_DOUBLE_EQ(only_value("m f=1e-400"), 0);
  EXPECT_DOUBLE_EQ(only_value("m f=0.0000001e-330"), 0);
}

// reference: "Boolean": t, T, true, True, TRUE and f, F, false, False, FALSE.
TEST(InfluxParser, EveryBooleanSpellingIsOneOrZero) {
  for (const char* word : {"t", "T", "true", "True", "TRUE"}) {
    EXPECT_DOUBLE_EQ(only_value(std::string("myMeasurement fieldKey=") + word), 1) << word;
  }
  for (const char* word : {"f", "F", "false", "False", "FALSE"}) {
    EXPECT_DOUBLE_EQ(only_value(std::string("myMeasurement fieldKey=") + word), 0) << word;
  }
}

TEST(InfluxParser, StringFieldsAreNotExposed) {
  const auto output = parse("myMeasurement,tag1=value1,tag2=value2 fieldKey=\"fieldValue\" 1556813561098000000\n");
  ASSERT_TRUE(output.ok()) << output.error;
  EXPECT_TRUE(output.families.empty());
  const auto mixed = parse("service,name=web state=\"running\",pid=1234i\n");
  ASSERT_TRUE(parsed_valid(mixed));
  ASSERT_EQ(mixed.families.size(), 1u);
  EXPECT_EQ(mixed.families[0].name, "service_pid");
}

// reference: "Special characters", every element's escapes.
TEST(InfluxParser, MeasurementEscapesCommaAndSpace) {
  // reference: "my\ Measurement fieldKey="string value"", with a number.
  EXPECT_EQ(parse("my\\ Measurement fieldKey=1").families[0].name, "my_Measurement_fieldKey");
  EXPECT_EQ(parse("a\\,b f=1").families[0].name, "a_b_f");
  // An equals sign needs no escape in a measurement.
  EXPECT_EQ(parse("a=b f=1").families[0].name, "a_b_f");
}

TEST(InfluxParser, TagKeysAndValuesEscapeCommaEqualsAndSpace) {
  // reference: tag keys and values with spaces.
  const auto output = parse("myMeasurement,tag\\ Key1=tag\\ Value1,tag\\ Key2=tag\\ Value2 fieldKey=100\n");
  ASSERT_TRUE(parsed_valid(output));
  const Labels spaces{{"tag_Key1", "tag Value1"}, {"tag_Key2", "tag Value2"}};
  EXPECT_EQ(output.families[0].samples[0].labels, spaces);
  EXPECT_DOUBLE_EQ(output.families[0].samples[0].value, 100);

  const auto other = parse("m,k\\,1=a\\,b,k\\=2=c\\=d f=1\n");
  ASSERT_TRUE(parsed_valid(other));
  const Labels escaped{{"k_1", "a,b"}, {"k_2", "c=d"}};
  EXPECT_EQ(other.families[0].samples[0].labels, escaped);
}

TEST(InfluxParser, FieldKeysEscapeCommaEqualsAndSpace) {
  const auto output = parse("m a\\ b=1,c\\,d=2,e\\=f=3\n");
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 3u);
  EXPECT_EQ(output.families[0].name, "m_a_b");
  EXPECT_EQ(output.families[1].name, "m_c_d");
  EXPECT_EQ(output.families[2].name, "m_e_f");
}

TEST(InfluxParser, StringValuesEscapeDoubleQuoteAndBackslash) {
  // reference: "myMeasurement fieldKey="\"string\" within a string"": the
  // escaped quotes do not end the string, so the field after it is read.
  const auto output = parse("m s=\"\\\"string\\\" within a string\",n=1\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "m_n"), 1);
  // A string ending in an escaped backslash ends at the quote after it.
  const auto backslash = parse("m s=\"C:\\\\\",n=2\n");
  ASSERT_TRUE(parsed_valid(backslash));
  EXPECT_DOUBLE_EQ(value_of(backslash.families, "m_n"), 2);
  // Commas, spaces and equals signs inside a string are its own.
  const auto separators = parse("m s=\"a, b=c d\",n=3 1556813561098000000\n");
  ASSERT_TRUE(parsed_valid(separators));
  EXPECT_DOUBLE_EQ(value_of(separators.families, "m_n"), 3);
}

// reference: "Escaping backslashes": `\` and `\\` are one backslash, `\\\`
// and `\\\\` two, `\\\\\` and `\\\\\\` three.
TEST(InfluxParser, BackslashesAsTheReferenceCountsThem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"\\", "\\"},         {"\\\\", "\\"},         {"\\\\\\", "\\\\"},
      {"\\\\\\\\", "\\\\"}, {"\\\\\\\\\\", "\\\\\\"}, {"\\\\\\\\\\\\", "\\\\\\"},
  };
  for (const auto& [written, meant] : cases) {
    const auto output = parse("m,t=a" + written + "b f=1\n");
    ASSERT_TRUE(parsed_valid(output)) << written;
    EXPECT_EQ(output.families[0].samples[0].labels[0].value, "a" + meant + "b") << written;
  }
  // Any other backslash is itself.
  const auto other = parse("m,path=C:\\temp f=1\n");
  ASSERT_TRUE(parsed_valid(other));
  EXPECT_EQ(other.families[0].samples[0].labels[0].value, "C:\\temp");
}

TEST(InfluxParser, EmojisInTagValuesAndStrings) {
  // reference: "myMeasurement,tagKey=🍭 fieldKey="Launch 🚀" 1556813561098000000", with a number.
  const auto output = parse("myMeasurement,tagKey=🍭 fieldKey=1,s=\"Launch 🚀\" 1556813561098000000\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples[0].labels[0].value, "🍭");
}

// reference: "Comments"; blank lines, leading blanks and CRLF besides.
TEST(InfluxParser, CommentsBlankLinesAndCrlf) {
  const auto output = parse("# This is a comment\n\n   \n  # indented comment\r\nm f=1\r\n  m g=2  \r\n\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(sample_count(output.families), 2u);
  EXPECT_TRUE(parse("# only a comment\n").ok());
  EXPECT_TRUE(parse("").ok());
}

TEST(InfluxParser, TimestampsAreCheckedThenDropped) {
  // reference: the "Unix timestamp" bounds, and its element example of zeros.
  EXPECT_DOUBLE_EQ(only_value("m f=1 -9223372036854775806"), 1);
  EXPECT_DOUBLE_EQ(only_value("m f=1 9223372036854775806"), 1);
  EXPECT_DOUBLE_EQ(only_value("myTable,tag1=val1,tag2=val2 field1=\"v1\",field2=1i 0000000000000000000"), 1);
  EXPECT_DOUBLE_EQ(only_value("m f=1 1556813561098000000   "), 1);
  EXPECT_DOUBLE_EQ(only_value("m f=1\t1556813561"), 1);
}

TEST(InfluxParser, TheLaterValueOfASeriesWins) {
  const auto output = parse(
      "cpu,host=a usage=1 1700000000000000000\n"
      "cpu,host=b usage=5\n"
      "cpu,host=a usage=2,usage=3\n"
      "cpu,host=a,host=c usage=7\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.skipped, 0u);
  EXPECT_EQ(output.duplicates, 0u);
  ASSERT_EQ(sample_count(output.families), 3u);
  EXPECT_DOUBLE_EQ(value_of(output.families, "cpu_usage", {{"host", "a"}}), 3);
  EXPECT_DOUBLE_EQ(value_of(output.families, "cpu_usage", {{"host", "b"}}), 5);
  EXPECT_DOUBLE_EQ(value_of(output.families, "cpu_usage", {{"host", "c"}}), 7);
  // Names that sanitize alike are one series too.
  const auto alike = parse("m,a-b=1 x-y=1\nm,a_b=1 x_y=2\n");
  ASSERT_TRUE(parsed_valid(alike));
  ASSERT_EQ(sample_count(alike.families), 1u);
  EXPECT_DOUBLE_EQ(alike.families[0].samples[0].value, 2);
}

TEST(InfluxParser, TheWholeReferenceParses) {
  const auto output = parse(testing::read_fixture("parsers/influx/reference_examples.lp"));
  ASSERT_TRUE(parsed_valid(output));
  // The last number written to myMeasurement's fieldKey is FALSE; the
  // tagged lines are series of their own.
  EXPECT_DOUBLE_EQ(value_of(output.families, "myMeasurement_fieldKey", {}), 0);
  EXPECT_DOUBLE_EQ(value_of(output.families, "myMeasurement_fieldKey", {{"tag_Key1", "tag Value1"}}), 100);
  EXPECT_EQ(sample_count(output.families), 2u);
}

TEST(InfluxParser, TelegrafsCpuOutput) {
  const auto output = parse(testing::read_fixture("parsers/influx/telegraf_cpu.lp"));
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families.size(), 22u);  // 11 time_* and 11 usage_* fields
  EXPECT_EQ(sample_count(output.families), 44u);
  EXPECT_DOUBLE_EQ(value_of(output.families, "cpu_usage_idle", {{"cpu", "cpu-total"}, {"host", "loaner"}}),
                   82.3834196941197);
  EXPECT_DOUBLE_EQ(value_of(output.families, "cpu_time_user", {{"cpu", "cpu0"}}), 154324.34);
  ASSERT_NE(find_family(output.families, "cpu_time_guest_nice"), nullptr);
  EXPECT_NE(find_sample(output.families, "cpu_usage_active", {{"cpu", "cpu0"}}), nullptr);
}

// What Telegraf's parser rejects, each failing the run by default.
struct Rejected {
  std::string text;
  std::string error;
};

class InfluxRejects : public ::testing::TestWithParam<Rejected> {};

TEST_P(InfluxRejects, FailsTheRunNamingTheLine) {
  const auto output = parse("ok f=1\n" + GetParam().text + "\n");
  EXPECT_FALSE(output.ok());
  EXPECT_TRUE(output.families.empty());
  EXPECT_EQ(output.error, "line 2: " + GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    InfluxParser, InfluxRejects,
    ::testing::Values(
        // reference: "Points must have at least one field."
        Rejected{"cpu", "no field set after \"cpu\": a point needs at least one field"},
        Rejected{"cpu,host=a", "no field set after \"cpu\": a point needs at least one field"},
        Rejected{"cpu ", "no field set after \"cpu\": a point needs at least one field"},
        Rejected{"cpu,host=a 1556813561098000000",
                 "the field key \"1556813561098000000\" has no '=' and value"},
        // reference: "Tag values cannot be empty".
        Rejected{"cpu,host= f=1", "the tag \"host\" has an empty value (omit the tag instead)"},
        Rejected{"cpu,=a f=1", "expected a tag key after ','"},
        Rejected{"cpu, f=1", "expected a tag key after ','"},
        Rejected{"cpu,host f=1", "the tag key \"host\" has no '=' and value"},
        Rejected{"cpu,a=b=c f=1", "unescaped '=' in the value of the tag \"a\""},
        Rejected{",host=a f=1", "expected a measurement name, got \",\""},
        Rejected{"cpu f", "the field key \"f\" has no '=' and value"},
        Rejected{"cpu f=", "the field \"f\" has no value"},
        Rejected{"cpu =1", "expected a field key, got \"=\""},
        Rejected{"cpu f=1,", "expected a field key, got the end of the line"},
        Rejected{"cpu f=1,,g=2", "expected a field key, got \",\""},
        Rejected{"cpu f=1 g=2", "not a timestamp (an integer of at most 19 digits): \"g=2\""},
        // Integers: a trailing i or u, no leading zeros, within 64 bits.
        Rejected{"cpu f=1.5i", "the field \"f\": not an integer: \"1.5i\""},
        Rejected{"cpu f=01i", "the field \"f\": not an integer: \"01i\""},
        Rejected{"cpu f=i", "the field \"f\": not an integer: \"i\""},
        Rejected{"cpu f=-1u", "the field \"f\": not an unsigned integer: \"-1u\""},
        Rejected{"cpu f=9223372036854775808i",
                 "the field \"f\": integer out of the 64-bit range: \"9223372036854775808i\""},
        Rejected{"cpu f=-9223372036854775809i",
                 "the field \"f\": integer out of the 64-bit range: \"-9223372036854775809i\""},
        Rejected{"cpu f=18446744073709551616u",
                 "the field \"f\": unsigned integer out of the 64-bit range: \"18446744073709551616u\""},
        // Floats and booleans as the grammar has them; nothing else.
        Rejected{"cpu f=1e400", "the field \"f\": float out of the 64-bit range: \"1e400\""},
        Rejected{"cpu f=1e", "the field \"f\": not a number, boolean or quoted string: \"1e\""},
        Rejected{"cpu f=1.2.3", "the field \"f\": not a number, boolean or quoted string: \"1.2.3\""},
        Rejected{"cpu f=+1", "the field \"f\": not a number, boolean or quoted string: \"+1\""},
        Rejected{"cpu f=NaN", "the field \"f\": not a number, boolean or quoted string: \"NaN\""},
        Rejected{"cpu f=inf", "the field \"f\": not a number, boolean or quoted string: \"inf\""},
        Rejected{"cpu f=0x10", "the field \"f\": not a number, boolean or quoted string: \"0x10\""},
        Rejected{"cpu f=yes", "the field \"f\": not a number, boolean or quoted string: \"yes\""},
        Rejected{"cpu f=tRUE", "the field \"f\": not a number, boolean or quoted string: \"tRUE\""},
        // reference: "Field value: Strings only" in double quotes.
        Rejected{"cpu f='a'", "the field \"f\": not a number, boolean or quoted string: \"'a'\""},
        Rejected{"cpu f=\"unterminated", "the string value of the field \"f\" has no closing '\"'"},
        Rejected{"cpu f=\"a\"b", "unexpected \"b\" after the field set"},
        // Timestamps: an integer of 1 to 19 digits within the reference's bounds.
        Rejected{"cpu f=1 12345678901234567890", "not a timestamp (an integer of at most 19 digits): \"12345678901234567890\""},
        Rejected{"cpu f=1 1.5", "not a timestamp (an integer of at most 19 digits): \"1.5\""},
        Rejected{"cpu f=1 -", "not a timestamp (an integer of at most 19 digits): \"-\""},
        Rejected{"cpu f=1 9223372036854775807", "timestamp out of range: \"9223372036854775807\""},
        Rejected{"cpu f=1 -9223372036854775807", "timestamp out of range: \"-9223372036854775807\""},
        Rejected{"cpu f=1 9999999999999999999", "timestamp out of range: \"9999999999999999999\""},
        Rejected{"cpu f=1 1556813561098000000 extra", "unexpected text after the timestamp: \"extra\""},
        // A stray carriage return is not a line end.
        Rejected{"cpu f=1\rg=2", "unexpected \"\\r\" after the field set"},
        // Prometheus keeps this label name for the metric name.
        Rejected{"cpu,__name__=x f=1", "the tag \"__name__\" would be the reserved label \"__name__\""}),
    testing::ByIndex());

TEST(InfluxParser, AStringMaySpanLines) {
  // Telegraf reads a newline inside a quoted string as part of it.
  const auto output = parse("m s=\"two\nlines\",n=1\nm g=2\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "m_n"), 1);
  EXPECT_DOUBLE_EQ(value_of(output.families, "m_g"), 2);
  // An error in such a point names the line it began on.
  EXPECT_EQ(parse("m s=\"a\nb\nc\" x\n").error, "line 1: not a timestamp (an integer of at most 19 digits): \"x\"");
}

TEST(InfluxParserSkip, BadLinesAreLeftOutAndCounted) {
  const auto output = parse("m a=1\nm b=01i\nm c=3\nbad\nm d=\"open\nm e=5\n", OnError::skip);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.skipped, 3u);
  EXPECT_EQ(output.duplicates, 0u);
  EXPECT_EQ(output.first_skipped, "line 2: the field \"b\": not an integer: \"01i\"");
  EXPECT_DOUBLE_EQ(value_of(output.families, "m_a"), 1);
  EXPECT_DOUBLE_EQ(value_of(output.families, "m_c"), 3);
  // An unterminated string costs its own line only.
  EXPECT_DOUBLE_EQ(value_of(output.families, "m_e"), 5);
  EXPECT_EQ(sample_count(output.families), 3u);
}

TEST(InfluxParserSkip, ABadLineLeavesNothingOfItself) {
  const auto output = parse("m,__name__=x a=1\nm a=2,b=x\n", OnError::skip);
  EXPECT_FALSE(output.ok());
  EXPECT_EQ(output.error, "line 1: the tag \"__name__\" would be the reserved label \"__name__\" (and 1 more bad lines; nothing could be read)");
}

TEST(InfluxParser, FailIsTheDefault) {
  EXPECT_EQ(InfluxOptions{}.on_error, OnError::fail);
  const auto output = InfluxParser().parse(ParseInput{"m a=1\nm b=x\n"});
  EXPECT_EQ(output.error, "line 2: the field \"b\": not a number, boolean or quoted string: \"x\"");
}

TEST(InfluxParser, InvalidUtf8InTagValuesIsReplaced) {
  const auto output = parse("m,t=caf\xc3 f=1\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples[0].labels[0].value, "caf\xEF\xBF\xBD");
}

TEST(InfluxParser, HostileInputsGiveAnErrorOrValidFamilies) {
  for (const auto& input : testing::hostile_inputs()) {
    for (const auto mode : {OnError::fail, OnError::skip}) {
      const auto output = parse(input.text, mode);
      EXPECT_TRUE(testing::error_or_valid(output)) << input.name;
      EXPECT_LE(output.error.size(), 2048u) << input.name;
    }
  }
}

TEST(InfluxParser, ManyLines) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "load,host=h" + std::to_string(i % 100) + " v" + std::to_string(i % 7) + "=1i\n";
  const auto output = parse(text);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(sample_count(output.families), 700u);
}

TEST(InfluxParser, TagsTimesFieldsAreBounded) {
  // 1001 tags on 1000 fields would be a million labels from 20 KB of text.
  std::string line = "m";
  for (int i = 0; i <= 1000; ++i) line += ",t" + std::to_string(i) + "=v";
  line += " ";
  for (int i = 0; i < 1000; ++i) line += (i ? ",f" : "f") + std::to_string(i) + "=1";
  const auto output = parse("ok f=1\n" + line + "\n", OnError::skip);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.skipped, 1u);
  EXPECT_EQ(output.first_skipped, "line 2: 1001 tags on 1000 fields: more than 1000000 labels in one output");
  EXPECT_EQ(sample_count(output.families), 1u);
}

}  // namespace
}  // namespace gleaner::parsers
