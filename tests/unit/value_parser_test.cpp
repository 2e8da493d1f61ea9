#include "common/parsers/value_parser.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/hostile_inputs.h"
#include "tests/support/parser_checks.h"

namespace gleaner::parsers {
namespace {

using metrics::MetricType;
using testing::parsed_valid;

ParseOutput parse(std::string_view text, ValueOptions options = {"open_files", MetricType::gauge, ""}) {
  return ValueParser(std::move(options)).parse(ParseInput{text});
}

TEST(ValueParser, ReadsOneNumberWithBlanksAround) {
  for (const char* text : {"42", "42\n", "  42  \n\n", "\t42\r\n", "\n\n42"}) {
    const auto output = parse(text);
    ASSERT_TRUE(parsed_valid(output)) << text;
    ASSERT_EQ(output.families.size(), 1u);
    EXPECT_EQ(output.families[0].name, "open_files");
    EXPECT_EQ(output.families[0].type, MetricType::gauge);
    ASSERT_EQ(output.families[0].samples.size(), 1u);
    EXPECT_EQ(output.families[0].samples[0], (metrics::Sample{"open_files", {}, 42}));
  }
}

TEST(ValueParser, ReadsSignsFractionsExponentsAndSpecialValues) {
  EXPECT_DOUBLE_EQ(parse("-1.5e3").families[0].samples[0].value, -1500);
  EXPECT_DOUBLE_EQ(parse("+0.25").families[0].samples[0].value, 0.25);
  EXPECT_TRUE(std::isnan(parse("NaN").families[0].samples[0].value));
  EXPECT_EQ(parse("+Inf").families[0].samples[0].value, HUGE_VAL);
  EXPECT_EQ(parse("-Inf").families[0].samples[0].value, -HUGE_VAL);
}

TEST(ValueParser, KeepsTypeAndHelp) {
  const auto output = parse("7", {"jobs_done_total", MetricType::counter, "Jobs done."});
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].type, MetricType::counter);
  EXPECT_EQ(output.families[0].help, "Jobs done.");
}

TEST(ValueParser, AnythingButOneNumberIsAnError) {
  EXPECT_EQ(parse("").error, "expected one number, got no output");
  EXPECT_EQ(parse(" \n\r\n").error, "expected one number, got no output");
  EXPECT_EQ(parse("1 2").error, "expected one number, got \"1 2\"");
  EXPECT_EQ(parse("1\n2\n").error, "expected one number, got \"1\\n2\"");
  EXPECT_EQ(parse("abc").error, "expected a number, got \"abc\"");
  EXPECT_EQ(parse("12%").error, "expected a number, got \"12%\"");
  EXPECT_EQ(parse("0x10").error, "expected a number, got \"0x10\"");
  EXPECT_EQ(parse(std::string("4\0", 2)).error, "expected a number, got \"4\\x00\"");
}

TEST(ValueParser, InvalidOptionsFailEveryParse) {
  EXPECT_EQ(check_options(ValueOptions{"1bad", MetricType::gauge, ""}),
            "metric: \"1bad\" is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
  EXPECT_EQ(check_options(ValueOptions{"ok", MetricType::histogram, ""}),
            "type must be gauge or counter, not histogram");
  const auto output = parse("1", {"", MetricType::gauge, ""});
  EXPECT_FALSE(output.ok());
  EXPECT_EQ(output.error, "invalid parser options: metric: \"\" is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
}

TEST(ValueParser, HelpFromOptionsIsMadeValidUtf8) {
  const auto output = parse("1", {"m", MetricType::gauge, "caf\xe9"});
  ASSERT_TRUE(parsed_valid(output));
}

TEST(ValueParser, HostileInputsGiveAnErrorOrValidFamilies) {
  for (const auto& input : testing::hostile_inputs()) {
    const auto output = parse(input.text);
    EXPECT_TRUE(testing::error_or_valid(output)) << input.name;
    EXPECT_LT(output.error.size(), 200u) << input.name;
  }
}

}  // namespace
}  // namespace gleaner::parsers
