#include "common/metrics/validate.h"

#include <gtest/gtest.h>

namespace gleaner::metrics {
namespace {

MetricFamily gauge(std::string name, std::vector<Sample> samples) {
  return MetricFamily{std::move(name), MetricType::gauge, "", std::move(samples)};
}

TEST(CheckFamilies, AcceptsEmptyAndPlainFamilies) {
  EXPECT_EQ(check_families({}), "");
  EXPECT_EQ(check_families(
                {gauge("up", {{"up", {}, 1}}), gauge("node:cpu:ratio", {{"node:cpu:ratio", {{"cpu", "0"}}, 0.5},
                                                                        {"node:cpu:ratio", {{"cpu", "1"}}, 0.25}})}),
            "");
}

TEST(CheckFamilies, AcceptsHistogramAndSummaryExpositionSamples) {
  MetricFamily histogram{"latency_seconds", MetricType::histogram, "Latency.", {}};
  histogram.samples = {{"latency_seconds_bucket", {{"le", "0.1"}}, 3},
                       {"latency_seconds_bucket", {{"le", "+Inf"}}, 5},
                       {"latency_seconds_sum", {}, 1.5},
                       {"latency_seconds_count", {}, 5}};
  MetricFamily summary{"rpc_seconds", MetricType::summary, "", {}};
  summary.samples = {{"rpc_seconds", {{"quantile", "0.5"}}, 0.2},
                     {"rpc_seconds", {{"quantile", "0.99"}}, 0.9},
                     {"rpc_seconds_sum", {}, 12},
                     {"rpc_seconds_count", {}, 40}};
  EXPECT_EQ(check_families({histogram, summary}), "");
}

TEST(CheckFamilies, RejectsInvalidNames) {
  EXPECT_EQ(check_families({gauge("1up", {{"1up", {}, 1}})}), "invalid metric name \"1up\"");
  EXPECT_EQ(check_families({gauge("up", {{"up", {{"bad-label", "x"}}, 1}})}),
            "sample \"up\" has an invalid label name \"bad-label\"");
  EXPECT_EQ(check_families({gauge("up", {{"up", {{"a:b", "x"}}, 1}})}),
            "sample \"up\" has an invalid label name \"a:b\"");
  EXPECT_EQ(check_families({gauge("", {})}), "invalid metric name \"\"");
}

TEST(CheckFamilies, RejectsTheReservedLabelName) {
  EXPECT_EQ(check_families({gauge("up", {{"up", {{"__name__", "down"}}, 1}})}),
            "sample \"up\" has the reserved label name \"__name__\"");
  EXPECT_EQ(check_families({gauge("up", {{"up", {{"__meta", "x"}}, 1}})}), "");
}

TEST(CheckFamilies, RejectsInvalidUtf8InLabelValuesAndHelp) {
  EXPECT_EQ(check_families({gauge("up", {{"up", {{"path", "caf\xc3"}}, 1}})}),
            "sample \"up\" label \"path\" is not valid UTF-8");
  EXPECT_EQ(check_families({gauge("up", {{"up", {{"path", std::string("a\0b", 3)}}, 1}})}),
            "sample \"up\" label \"path\" is not valid UTF-8");
  EXPECT_EQ(check_families({MetricFamily{"up", MetricType::gauge, "\xff", {{"up", {}, 1}}}}),
            "HELP of \"up\" is not valid UTF-8");
  EXPECT_EQ(check_families({gauge("up", {{"up", {{"path", "café ✓ 𝄞"}}, 1}})}), "");
}

TEST(CheckFamilies, RejectsDuplicateSeriesWhateverTheLabelOrder) {
  EXPECT_EQ(check_families({gauge("up", {{"up", {{"a", "1"}, {"b", "2"}}, 1}, {"up", {{"b", "2"}, {"a", "1"}}, 0}})}),
            "duplicate series: \"up\" with the same labels twice");
  EXPECT_EQ(check_families({gauge("up", {{"up", {}, 1}, {"up", {}, 1}})}),
            "duplicate series: \"up\" with the same labels twice");
  EXPECT_EQ(check_families({gauge("up", {{"up", {{"a", "1"}}, 1}, {"up", {{"a", "2"}}, 1}})}), "");
}

TEST(CheckFamilies, LabelValuesDoNotRunIntoEachOther) {
  // "a"+"bc" and "ab"+"c" must stay different series.
  EXPECT_EQ(check_families({gauge("m", {{"m", {{"x", "a"}, {"y", "bc"}}, 1}, {"m", {{"x", "ab"}, {"y", "c"}}, 1}})}),
            "");
}

TEST(CheckFamilies, RejectsALabelTwiceOnOneSample) {
  EXPECT_EQ(check_families({gauge("up", {{"up", {{"a", "1"}, {"a", "2"}}, 1}})}),
            "sample \"up\" has the label \"a\" twice");
}

TEST(CheckFamilies, RejectsTwoFamiliesOfOneName) {
  EXPECT_EQ(check_families({gauge("up", {{"up", {{"a", "1"}}, 1}}), gauge("up", {{"up", {{"a", "2"}}, 1}})}),
            "family \"up\" appears twice");
}

TEST(CheckFamilies, RejectsSamplesOutsideTheirFamily) {
  EXPECT_EQ(check_families({gauge("up", {{"down", {}, 1}})}), "sample \"down\" does not belong to gauge \"up\"");
  EXPECT_EQ(check_families({gauge("up", {{"up_sum", {}, 1}})}), "sample \"up_sum\" does not belong to gauge \"up\"");
  MetricFamily histogram{"h", MetricType::histogram, "", {{"h", {}, 1}}};
  EXPECT_EQ(check_families({histogram}), "sample \"h\" does not belong to histogram \"h\"");
  MetricFamily summary{"s", MetricType::summary, "", {{"s_bucket", {{"le", "1"}}, 1}}};
  EXPECT_EQ(check_families({summary}), "sample \"s_bucket\" does not belong to summary \"s\"");
  // A prefix that only looks like the family's name.
  EXPECT_EQ(check_families({MetricFamily{"h", MetricType::histogram, "", {{"hx_sum", {}, 1}}}}),
            "sample \"hx_sum\" does not belong to histogram \"h\"");
}

TEST(CheckFamilies, HistogramBucketsNeedANumericLe) {
  EXPECT_EQ(check_families({MetricFamily{"h", MetricType::histogram, "", {{"h_bucket", {}, 1}}}}),
            "sample \"h_bucket\" needs a \"le\" label");
  EXPECT_EQ(check_families({MetricFamily{"h", MetricType::histogram, "", {{"h_bucket", {{"le", "big"}}, 1}}}}),
            "sample \"h_bucket\" has a non-numeric \"le\" label \"big\"");
}

TEST(CheckFamilies, SummaryQuantilesNeedANumericQuantile) {
  EXPECT_EQ(check_families({MetricFamily{"s", MetricType::summary, "", {{"s", {}, 1}}}}),
            "sample \"s\" needs a \"quantile\" label");
  EXPECT_EQ(check_families({MetricFamily{"s", MetricType::summary, "", {{"s", {{"quantile", ""}}, 1}}}}),
            "sample \"s\" has a non-numeric \"quantile\" label \"\"");
}

TEST(CheckFamilies, ReportsTheFirstProblemOnly) {
  const auto problem = check_families({gauge("a", {{"b", {}, 1}}), gauge("2", {})});
  EXPECT_EQ(problem, "sample \"b\" does not belong to gauge \"a\"");
}

TEST(CheckFamilies, QuotesHostileNamesSafely) {
  const std::string name = "\xff" + std::string(1000, 'x');
  const auto problem = check_families({gauge(name, {})});
  EXPECT_LT(problem.size(), 120u);
  EXPECT_EQ(problem.rfind("invalid metric name \"\xEF\xBF\xBD", 0), 0u);
}

}  // namespace
}  // namespace gleaner::metrics
