// The admission of one collector's result: reserved names, labels added
// without repeating a name, one series once, values written exactly.

#include "common/metrics/admission.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/promtool.h"
#include "common/metrics/sample_text.h"

namespace gleaner::metrics {
namespace {

using ::testing::HasSubstr;

MetricFamily family(std::string name, MetricType type, std::vector<Sample> samples) {
  return MetricFamily{std::move(name), type, "", std::move(samples)};
}

const Labels kAdded = {{"collector", "evil"}};

std::string text_of(const Admission& admission) {
  std::string text;
  for (const auto& family : admission.families) text += family.text;
  return text;
}

TEST(Admission, APrintedLabelNamedLikeAnAddedOneIsRenamedUntilItsNameIsFree) {
  const auto admission =
      admit({family("foo", MetricType::gauge, {{"foo", {{"collector", "a"}, {"exported_collector", "b"}}, 1}})}, kAdded);
  EXPECT_EQ(text_of(admission), "foo{collector=\"evil\",exported_exported_collector=\"a\",exported_collector=\"b\"} 1\n");
  EXPECT_EQ(admission.dropped.total(), 0u);
}

TEST(Admission, AConfiguredLabelRenamesThePrintedOneAndItsExportedTwin) {
  const Labels added = {{"collector", "c"}, {"team", "infra"}};
  const auto admission =
      admit({family("m", MetricType::gauge, {{"m", {{"team", "a"}, {"exported_team", "b"}}, 1}})}, added);
  EXPECT_EQ(text_of(admission), "m{collector=\"c\",team=\"infra\",exported_exported_team=\"a\",exported_team=\"b\"} 1\n");
}

TEST(Admission, SeriesThatRenamingMakesEqualAreKeptOnce) {
  const auto admission = admit({family("foo", MetricType::gauge,
                                       {{"foo", {{"collector", "x"}}, 1}, {"foo", {{"exported_collector", "x"}}, 2}})},
                               kAdded);
  EXPECT_EQ(text_of(admission), "foo{collector=\"evil\",exported_collector=\"x\"} 1\n");
  EXPECT_EQ(admission.dropped[DropReason::duplicate], 1u);
}

TEST(Admission, GleanersOwnNamesAreDroppedAndCounted) {
  const auto admission = admit({family("gleaner_collector_up", MetricType::untyped, {{"gleaner_collector_up", {}, 1}}),
                                family("process_open_fds", MetricType::gauge, {{"process_open_fds", {}, 3}}),
                                // A histogram named "gleaner" would take gleaner_bucket, _sum and _count.
                                family("gleaner", MetricType::histogram, {{"gleaner_sum", {}, 1}}),
                                family("mine", MetricType::gauge, {{"mine", {}, 1}})},
                               kAdded);
  EXPECT_EQ(text_of(admission), "mine{collector=\"evil\"} 1\n");
  EXPECT_EQ(admission.dropped[DropReason::reserved], 3u);
  EXPECT_THAT(admission.first_drop, HasSubstr("gleaner_collector_up"));
}

TEST(Admission, FloatCountsPassThroughExactly) {
  const auto admission = admit({family("x", MetricType::histogram,
                                       {{"x_bucket", {{"le", "100"}}, 123.5},
                                        {"x_bucket", {{"le", "+Inf"}}, 2693.9},
                                        {"x_sum", {}, 0.1 + 0.2},
                                        {"x_count", {}, 2693.9}}),
                                family("s", MetricType::summary, {{"s_count", {}, 1e300}, {"s_sum", {}, 9007199254740993.0}})},
                               kAdded);
  const auto text = text_of(admission);
  EXPECT_THAT(text, HasSubstr("x_bucket{collector=\"evil\",le=\"100\"} 123.5\n"));
  EXPECT_THAT(text, HasSubstr("x_count{collector=\"evil\"} 2693.9\n"));
  EXPECT_THAT(text, HasSubstr("x_sum{collector=\"evil\"} 0.30000000000000004\n"));
  EXPECT_THAT(text, HasSubstr("s_count{collector=\"evil\"} 1e+300\n"));
  // Every value reads back as the very same double.
  for (double value : {123.5, 2693.9, 0.1 + 0.2, 1e-300, 5e-324, 1.7976931348623157e308, -0.0, 9007199254740993.0}) {
    EXPECT_EQ(std::strtod(format_value(value).c_str(), nullptr), value) << format_value(value);
  }
  EXPECT_EQ(format_value(NAN), "NaN");
  EXPECT_EQ(format_value(-INFINITY), "-Inf");
}

TEST(Admission, BoundsAreComparedAsNumbersAndKeptAsPrinted) {
  const auto admission = admit({family("h", MetricType::histogram,
                                       {{"h_bucket", {{"le", "1"}}, 1}, {"h_bucket", {{"le", "1.0"}}, 2},
                                        {"h_bucket", {{"le", "1e3"}}, 3}}),
                                family("q", MetricType::summary,
                                       {{"q", {{"quantile", "0.5"}}, 1}, {"q", {{"quantile", "0.50"}}, 2}})},
                               kAdded);
  EXPECT_EQ(text_of(admission),
            "h_bucket{collector=\"evil\",le=\"1\"} 1\nh_bucket{collector=\"evil\",le=\"1e3\"} 3\n"
            "q{collector=\"evil\",quantile=\"0.5\"} 1\n");
  EXPECT_EQ(admission.dropped[DropReason::duplicate], 2u);
}

TEST(Admission, AnIncompleteHistogramIsPublishedAsPrinted) {
  const auto admission = admit({family("h", MetricType::histogram, {{"h_bucket", {{"le", "5"}}, 5}})}, kAdded);
  EXPECT_EQ(text_of(admission), "h_bucket{collector=\"evil\",le=\"5\"} 5\n");
}

TEST(Admission, MalformedSamplesAreDroppedNotPublished) {
  const auto admission = admit({family("ok", MetricType::gauge,
                                       {{"ok", {{"bad-name", "x"}}, 1}, {"other", {}, 2}, {"ok", {{"a", "1"}, {"a", "2"}}, 3},
                                        {"ok", {}, 4}}),
                                family("9bad", MetricType::gauge, {{"9bad", {}, 1}}),
                                family("h", MetricType::histogram, {{"h_bucket", {{"le", "big"}}, 1}})},
                               kAdded);
  EXPECT_EQ(text_of(admission), "ok{collector=\"evil\"} 4\n");
  EXPECT_EQ(admission.dropped[DropReason::malformed], 5u);
}

TEST(Admission, TheOutputPassesPromtool) {
  const auto admission = admit({family("foo", MetricType::counter, {{"foo", {{"collector", "a"}, {"exported_collector", "b"}}, 1}})},
                               kAdded);
  const auto text = "# HELP foo x.\n# TYPE foo counter\n" + text_of(admission);
  const auto verdict = gleaner::testing::promtool_check_metrics(text);
  EXPECT_TRUE(verdict.valid) << verdict.output << text;
}

}  // namespace
}  // namespace gleaner::metrics
