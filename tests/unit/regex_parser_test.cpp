#include "common/parsers/regex_parser.h"

#include <gtest/gtest.h>

#include "tests/support/fixtures.h"
#include "tests/support/hostile_inputs.h"
#include "tests/support/parser_checks.h"

namespace gleaner::parsers {
namespace {

using metrics::MetricType;
using testing::find_sample;
using testing::parsed_valid;
using testing::value_of;

ParseOutput parse(std::string_view text, RegexOptions options) {
  return RegexParser(std::move(options)).parse(ParseInput{text});
}

TEST(RegexParser, ReadsMeminfoOneSeriesPerMatch) {
  RegexOptions options;
  options.pattern = R"((?m)^(?P<field>[\w()]+):\s+(?P<kib>\d+) kB$)";
  options.labels = {"field"};
  options.values = {{"kib", "meminfo_kib"}};
  const auto output = parse(testing::read_fixture("parsers/meminfo.txt"), options);
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 1u);
  EXPECT_EQ(output.families[0].samples.size(), 20u);
  EXPECT_DOUBLE_EQ(value_of(output.families, "meminfo_kib", {{"field", "MemTotal"}}), 24684084);
  EXPECT_DOUBLE_EQ(value_of(output.families, "meminfo_kib", {{"field", "Active(anon)"}}), 1540);
}

TEST(RegexParser, SeveralValuesFromOneMatch) {
  RegexOptions options;
  options.pattern = R"(load average: (?P<one>[\d.]+), (?P<five>[\d.]+), (?P<fifteen>[\d.]+))";
  options.values = {{"one", "load1"}, {"five", "load5"}, {"fifteen", "load15"}};
  const auto output = parse(testing::read_fixture("parsers/uptime.txt"), options);
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 3u);
  EXPECT_DOUBLE_EQ(value_of(output.families, "load1"), 1.51);
  EXPECT_DOUBLE_EQ(value_of(output.families, "load5"), 1.64);
  EXPECT_DOUBLE_EQ(value_of(output.families, "load15"), 0.84);
}

TEST(RegexParser, ValuesWithUnitsAndCounters) {
  RegexOptions options;
  options.pattern = R"((?P<disk>\w+) used (?P<used>\S+))";
  options.labels = {"disk"};
  options.values = {{"used", "disk_used_bytes"}};
  options.type = MetricType::counter;
  const auto output = parse("sda used 1.5K\nsdb used 48%\n", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].type, MetricType::counter);
  EXPECT_DOUBLE_EQ(value_of(output.families, "disk_used_bytes", {{"disk", "sda"}}), 1536);
  EXPECT_DOUBLE_EQ(value_of(output.families, "disk_used_bytes", {{"disk", "sdb"}}), 0.48);
}

TEST(RegexParser, CrlfIsReadAsLf) {
  RegexOptions options;
  options.pattern = R"((?m)^(?P<k>\w+) (?P<v>\d+)$)";
  options.labels = {"k"};
  options.values = {{"v", "m"}};
  const auto output = parse("a 1\r\nb 2\r\n", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples.size(), 2u);
}

TEST(RegexParser, AnOptionalValueGroupThatDidNotMatchGivesNoSample) {
  RegexOptions options;
  options.pattern = R"((?m)^(?P<name>\w+)(?: (?P<v>\d+))?$)";
  options.labels = {"name"};
  options.values = {{"v", "m"}};
  const auto output = parse("a 1\nb\nc 3\n", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples.size(), 2u);
  EXPECT_EQ(find_sample(output.families, "m", {{"name", "b"}}), nullptr);
}

TEST(RegexParser, AnUnmatchedLabelGroupIsEmpty) {
  RegexOptions options;
  options.pattern = R"((?P<v>\d+)(?P<unit>[a-z]+)?)";
  options.labels = {"unit"};
  options.values = {{"v", "m"}};
  const auto output = parse("5 7s", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples[0].labels, (metrics::Labels{{"unit", ""}}));
  EXPECT_EQ(output.families[0].samples[1].labels, (metrics::Labels{{"unit", "s"}}));
}

TEST(RegexParser, EmptyMatchesAreSkippedWithoutLoopingForever) {
  RegexOptions options;
  options.pattern = R"((?P<v>\d*))";
  options.labels = {};
  options.values = {{"v", "m"}};
  const auto output = parse("ab", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_TRUE(output.families.empty());
  const auto one = parse("ab12cd", options);
  ASSERT_TRUE(parsed_valid(one));
  EXPECT_DOUBLE_EQ(value_of(one.families, "m"), 12);
}

TEST(RegexParser, NoMatchGivesNoFamilies) {
  RegexOptions options;
  options.pattern = R"(temp=(?P<t>\d+))";
  options.values = {{"t", "temperature"}};
  const auto output = parse("nothing to see", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_TRUE(output.families.empty());
}

TEST(RegexParser, ErrorsNameTheLine) {
  RegexOptions options;
  options.pattern = R"((?m)^(?P<k>\w+)=(?P<v>\S+)$)";
  options.labels = {"k"};
  options.values = {{"v", "m"}};
  EXPECT_EQ(parse("a=1\nb=2\nc=x\n", options).error, "line 3: group \"v\": expected a number, got \"x\"");
  EXPECT_EQ(parse("a=1\n\na=2\n", options).error, "line 3: duplicate series m{k=\"a\"}");
}

TEST(RegexParser, InvalidUtf8AndNulInLabelsAreReplaced) {
  RegexOptions options;
  options.labels = {"k"};
  options.values = {{"v", "m"}};
  // RE2 reads UTF-8: an invalid byte matches only \C (any byte), not . or [^=].
  options.pattern = R"((?P<k>caf\C)=(?P<v>\d+))";
  const auto invalid = parse("caf\xe9=1\n", options);
  ASSERT_TRUE(parsed_valid(invalid));
  ASSERT_EQ(invalid.families[0].samples.size(), 1u);
  EXPECT_EQ(invalid.families[0].samples[0].labels[0].value, "caf\xEF\xBF\xBD");
  options.pattern = R"((?m)^(?P<k>[^=\n]+)=(?P<v>\d+))";
  const auto skipped = parse("caf\xe9=1\nok=2\n", options);
  ASSERT_TRUE(parsed_valid(skipped));
  ASSERT_EQ(skipped.families[0].samples.size(), 1u);
  EXPECT_EQ(skipped.families[0].samples[0].labels[0].value, "ok");
  static constexpr char kNul[] = "x\0y=2";
  const auto nul = parse(std::string_view(kNul, sizeof kNul - 1), options);
  ASSERT_TRUE(parsed_valid(nul));
  ASSERT_EQ(nul.families[0].samples.size(), 1u);
  EXPECT_EQ(nul.families[0].samples[0].labels[0].value, "x\xEF\xBF\xBDy");
}

TEST(RegexParser, InspectPattern) {
  const auto info = inspect_pattern(R"((?P<a>x)(y)(?P<b>z))");
  EXPECT_EQ(info.error, "");
  EXPECT_EQ(info.group_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(inspect_pattern("(unclosed").error, "pattern does not compile: missing ): (unclosed");
  // Perl's look-arounds are not RE2: they cannot be linear.
  EXPECT_EQ(inspect_pattern("(?=x)").error, "pattern does not compile: invalid perl operator: (?=");
}

TEST(RegexParser, InvalidOptions) {
  RegexOptions options;
  options.pattern = "(?P<a>x)(?P<1b>y)";
  EXPECT_EQ(check_options(options), "values must map at least one group to a metric");
  options.values = {{"zz", "m"}};
  EXPECT_EQ(check_options(options), "values: the pattern has no group \"zz\"");
  options.values = {{"a", "m-1"}};
  EXPECT_EQ(check_options(options), "values.a: \"m-1\" is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
  options.values = {{"a", "m"}};
  options.labels = {"1b"};
  EXPECT_EQ(check_options(options), "labels: \"1b\" is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)");
  options.labels = {"q"};
  EXPECT_EQ(check_options(options), "labels: the pattern has no group \"q\"");
  options.pattern = "(?P<a>x)(?P<__name__>y)";
  options.labels = {"__name__"};
  EXPECT_EQ(check_options(options), "labels: the label name \"__name__\" is reserved");
  options.labels = {};
  options.pattern = "(?P<a>";
  EXPECT_EQ(check_options(options), "pattern does not compile: missing ): (?P<a>");
  const auto output = parse("x", options);
  EXPECT_EQ(output.error, "invalid parser options: pattern does not compile: missing ): (?P<a>");
}

TEST(RegexParser, HostileInputsGiveAnErrorOrValidFamilies) {
  RegexOptions options;
  options.pattern = R"((?m)^(?P<k>[^=:\s]*)\s*[=:]\s*(?P<v>\S*))";
  options.labels = {"k"};
  options.values = {{"v", "m"}};
  const RegexParser parser(options);
  for (const auto& input : testing::hostile_inputs()) {
    const auto output = parser.parse(ParseInput{input.text});
    EXPECT_TRUE(testing::error_or_valid(output)) << input.name;
    EXPECT_LT(output.error.size(), 200u) << input.name;
  }
}

TEST(RegexParser, ManyMatchesInLinearTime) {
  RegexOptions options;
  options.pattern = R"((?m)^item(?P<i>\d+) (?P<v>\d+)$)";
  options.labels = {"i"};
  options.values = {{"v", "m"}};
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "item" + std::to_string(i) + " " + std::to_string(i) + "\n";
  const auto output = parse(text, options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples.size(), 20000u);
}

}  // namespace
}  // namespace gleaner::parsers

namespace gleaner::parsers {
namespace {

TEST(RegexParser, HelpPerMetric) {
  RegexOptions options;
  options.pattern = R"((?P<k>\w+)=(?P<v>\d+) (?P<w>\d+))";
  options.labels = {"k"};
  options.values = {{"v", "v_total"}, {"w", "w_total"}};
  options.help = {{"w_total", "Ws seen."}};
  const auto output = parse("a=1 2\n", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].help, "");
  EXPECT_EQ(output.families[1].help, "Ws seen.");
  options.help = {{"x_total", "?"}};
  EXPECT_EQ(check_options(options), "help: \"x_total\" is none of the parser's metrics");
}

}  // namespace
}  // namespace gleaner::parsers
