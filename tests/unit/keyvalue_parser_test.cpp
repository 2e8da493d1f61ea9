#include "common/parsers/keyvalue_parser.h"

#include <gtest/gtest.h>

#include "tests/support/hostile_inputs.h"
#include "tests/support/parser_checks.h"

namespace gleaner::parsers {
namespace {

using metrics::MetricType;
using testing::parsed_valid;
using testing::value_of;

ParseOutput parse(std::string_view text, KeyValueOptions options = {}) {
  return KeyValueParser(std::move(options)).parse(ParseInput{text});
}

TEST(KeyValueParser, ReadsBothSeparatorsCommentsAndBlankLines) {
  const auto output = parse(
      "# written by healthcheck.sh\n"
      "connections=12\n"
      "\n"
      "queue_depth: 1532\n"
      "  cache_hit_ratio : 97.3%  \n"
      "heap=1.5Gi\n");
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 4u);
  EXPECT_EQ(output.families[0].name, "connections");
  EXPECT_EQ(output.families[0].type, MetricType::gauge);
  EXPECT_DOUBLE_EQ(value_of(output.families, "connections"), 12);
  EXPECT_DOUBLE_EQ(value_of(output.families, "queue_depth"), 1532);
  EXPECT_DOUBLE_EQ(value_of(output.families, "cache_hit_ratio"), 0.973);
  EXPECT_DOUBLE_EQ(value_of(output.families, "heap"), 1.5 * 1024 * 1024 * 1024);
}

TEST(KeyValueParser, PrefixAndSanitizedKeys) {
  const auto output = parse("rx-bytes=10\n2xx.responses: 5\nMemTotal: 7\n", {"app_", MetricType::counter, ""});
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].name, "app_rx_bytes");
  EXPECT_EQ(output.families[0].type, MetricType::counter);
  EXPECT_EQ(output.families[1].name, "app_2xx_responses");
  EXPECT_EQ(output.families[2].name, "app_MemTotal");
}

TEST(KeyValueParser, KeysWithoutPrefixStartingWithADigit) {
  const auto output = parse("2xx=5\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].name, "_2xx");
}

TEST(KeyValueParser, TheFirstOfEqualsOrColonSplits) {
  const auto output = parse("a:b=1\n");
  EXPECT_EQ(output.error, "line 1: the value of \"a\" is not a number: \"b=1\"");
  const auto other = parse("a=b:1\n");
  EXPECT_EQ(other.error, "line 1: the value of \"a\" is not a number: \"b:1\"");
}

TEST(KeyValueParser, AConfiguredSeparator) {
  const auto output = parse("uptime -> 3600\nload -> 0.5\n", {"", MetricType::gauge, "->"});
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "uptime"), 3600);
  EXPECT_DOUBLE_EQ(value_of(output.families, "load"), 0.5);
  EXPECT_EQ(parse("a=1\n", {"", MetricType::gauge, "->"}).error, "line 1: expected key->value, got \"a=1\"");
}

// Found by tests/fuzz: the separator went into the message as it was
// configured, invalid UTF-8 and line breaks included.
TEST(KeyValueParser, AnUnprintableSeparatorIsEscapedInMessages) {
  EXPECT_EQ(parse("a=1\n", {"", MetricType::gauge, "\xb4"}).error, "line 1: expected key\xEF\xBF\xBDvalue, got \"a=1\"");
  EXPECT_EQ(parse("a=1\n", {"", MetricType::gauge, "\t\n"}).error, "line 1: expected key\\t\\nvalue, got \"a=1\"");
}

TEST(KeyValueParser, ToleratesCrlf) {
  const auto output = parse("a=1\r\nb: 2\r\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "b"), 2);
}

TEST(KeyValueParser, ErrorsNameTheLine) {
  const auto parse = [](std::string_view text) {
    KeyValueOptions options;
    options.on_error = OnError::fail;
    return KeyValueParser(options).parse(ParseInput{text});
  };
  EXPECT_EQ(parse("a=1\nnothing here\n").error, "line 2: expected key=value or key: value, got \"nothing here\"");
  EXPECT_EQ(parse("=1\n").error, "line 1: empty key in \"=1\"");
  EXPECT_EQ(parse("a=\n").error, "line 1: the value of \"a\" is not a number: \"\"");
  EXPECT_EQ(parse("a=one\n").error, "line 1: the value of \"a\" is not a number: \"one\"");
  EXPECT_EQ(parse("MemTotal:       16318412 kB\n").error,
            "line 1: the value of \"MemTotal\" is not a number: \"16318412 kB\"");
  EXPECT_EQ(parse("a=1\n\na=2\n").error, "line 3: duplicate series \"a\": key \"a\" gives it a second time");
  EXPECT_EQ(parse("a-b=1\na_b=2\n").error, "line 2: duplicate series \"a_b\": key \"a_b\" gives it a second time");
}

TEST(KeyValueParser, InvalidUtf8KeysBecomeValidNames) {
  const auto output = parse("caf\xe9=1\n\xff\xfe: 2\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].name, "caf_");
  EXPECT_EQ(output.families[1].name, "__");
}

TEST(KeyValueParser, InvalidOptions) {
  EXPECT_EQ(check_options(KeyValueOptions{"9x", MetricType::gauge, ""}),
            "prefix: \"9x\" is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
  EXPECT_EQ(check_options(KeyValueOptions{"", MetricType::summary, ""}), "type must be gauge or counter, not summary");
  EXPECT_FALSE(parse("a=1", {"9x", MetricType::gauge, ""}).ok());
}

TEST(KeyValueParser, HostileInputsGiveAnErrorOrValidFamilies) {
  for (const auto& input : testing::hostile_inputs()) {
    const auto output = parse(input.text);
    EXPECT_TRUE(testing::error_or_valid(output)) << input.name;
    EXPECT_LT(output.error.size(), 200u) << input.name;
  }
}

TEST(KeyValueParser, ManyKeys) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "key" + std::to_string(i) + "=" + std::to_string(i) + "\n";
  const auto output = parse(text);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families.size(), 10000u);
}

}  // namespace
}  // namespace gleaner::parsers

namespace gleaner::parsers {
namespace {

TEST(KeyValueParserSkip, BadLinesAreLeftOutAndCounted) {
  const auto output = parse("a=1\nnothing here\nb=x\nc: 3\n");
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 2u);
  EXPECT_DOUBLE_EQ(value_of(output.families, "c"), 3);
  EXPECT_EQ(output.skipped, 2u);
  EXPECT_EQ(output.first_skipped, "line 2: expected key=value or key: value, got \"nothing here\"");
}

TEST(KeyValueParserSkip, FailModeFailsOnTheFirstBadLine) {
  KeyValueOptions options;
  options.on_error = OnError::fail;
  EXPECT_EQ(parse("a=1\nb=x\n", options).error, "line 2: the value of \"b\" is not a number: \"x\"");
}

TEST(KeyValueParserSkip, ARepeatedKeyDropsTheLaterLine) {
  const auto output = parse("a=1\nb=2\na=3\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "a"), 1);
  EXPECT_EQ(output.skipped, 1u);
  EXPECT_EQ(output.first_skipped, "line 3: duplicate series \"a\": key \"a\" gives it a second time");
}

TEST(KeyValueParserSkip, NothingValidStillFails) {
  EXPECT_EQ(parse("x\n").error, "line 1: expected key=value or key: value, got \"x\"");
  EXPECT_EQ(parse("x\ny=z\n").error,
            "line 1: expected key=value or key: value, got \"x\" (and 1 more bad lines; nothing could be read)");
  EXPECT_TRUE(parse("# only a comment\n").ok());
}

TEST(KeyValueParser, OneHelpForEverySeries) {
  KeyValueOptions options;
  options.help = "Read from the app's status page.";
  const auto output = parse("a=1\nb=2\n", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].help, "Read from the app's status page.");
  EXPECT_EQ(output.families[1].help, "Read from the app's status page.");
  EXPECT_EQ(parse("a=1\n").families[0].help, "");
}

}  // namespace
}  // namespace gleaner::parsers
