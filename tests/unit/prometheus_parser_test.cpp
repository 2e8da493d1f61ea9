#include "common/parsers/prometheus_parser.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/fixtures.h"
#include "tests/support/hostile_inputs.h"
#include "tests/support/parser_checks.h"

namespace gleaner::parsers {
namespace {

using metrics::MetricType;
using testing::find_family;
using testing::find_sample;
using testing::parsed_valid;
using testing::value_of;

ParseOutput parse(std::string_view text) { return PrometheusParser().parse(ParseInput{text}); }

// With on_error: fail, the first bad line fails the parse.
ParseOutput parse_strict(std::string_view text) {
  return PrometheusParser(PrometheusOptions{OnError::fail}).parse(ParseInput{text});
}

TEST(PrometheusParser, CanRefuseClientSideTimestamps) {
  const std::string text = "# TYPE a gauge\na 1\na{x=\"y\"} 2 1700000000000\n";
  const auto strict = PrometheusParser(PrometheusOptions{.on_error = OnError::fail, .refuse_timestamps = true})
                          .parse(ParseInput{text});
  EXPECT_EQ(strict.error, "line 3: client-side timestamps are not supported");
  // By default the timestamp is read and dropped.
  const auto lenient = parse_strict(text);
  ASSERT_TRUE(lenient.ok()) << lenient.error;
  EXPECT_EQ(lenient.families.at(0).samples.size(), 2u);
}

TEST(PrometheusParser, ReadsNodeExporterOutput) {
  const auto text = testing::read_fixture("parsers/node_exporter.prom");
  const auto output = parse(text);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families.size(), 77u);
  EXPECT_EQ(testing::sample_count(output.families), 122u);

  const auto* gc = find_family(output.families, "go_gc_duration_seconds");
  ASSERT_NE(gc, nullptr);
  EXPECT_EQ(gc->type, MetricType::summary);
  EXPECT_EQ(gc->help, "A summary of the pause duration of garbage collection cycles.");
  ASSERT_EQ(gc->samples.size(), 7u);
  EXPECT_EQ(gc->samples[0].name, "go_gc_duration_seconds");
  EXPECT_EQ(gc->samples[0].labels, (metrics::Labels{{"quantile", "0"}}));
  EXPECT_EQ(gc->samples[5].name, "go_gc_duration_seconds_sum");
  EXPECT_EQ(gc->samples[6].name, "go_gc_duration_seconds_count");

  const auto* cpu = find_family(output.families, "node_cpu_seconds_total");
  ASSERT_NE(cpu, nullptr);
  EXPECT_EQ(cpu->type, MetricType::counter);
  EXPECT_EQ(cpu->samples.size(), 16u);
  EXPECT_DOUBLE_EQ(value_of(output.families, "node_cpu_seconds_total", {{"cpu", "1"}, {"mode", "user"}}), 83.73);
  EXPECT_DOUBLE_EQ(value_of(output.families, "node_boot_time_seconds"), 1.795690551e+09);
  EXPECT_DOUBLE_EQ(value_of(output.families, "process_virtual_memory_max_bytes"), 1.8446744073709552e+19);
  const auto* info = find_sample(output.families, "node_exporter_build_info");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->labels.size(), 6u);
  EXPECT_EQ(info->labels[0], (metrics::Label{"branch", "debian/sid"}));
}

TEST(PrometheusParser, ReadsATextfileWithHistogramAndSummary) {
  const auto text = testing::read_fixture("parsers/textfile_collector.prom");
  const auto output = parse(text);
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 6u);

  const auto& histogram = output.families[0];
  EXPECT_EQ(histogram.name, "backup_duration_seconds");
  EXPECT_EQ(histogram.type, MetricType::histogram);
  EXPECT_EQ(histogram.help, "How long each nightly backup took.\nOne series per job.");
  EXPECT_EQ(histogram.samples.size(), 12u);
  EXPECT_DOUBLE_EQ(value_of(output.families, "backup_duration_seconds_bucket", {{"job", "postgres"}, {"le", "+Inf"}}),
                   12);
  EXPECT_DOUBLE_EQ(value_of(output.families, "backup_duration_seconds_sum", {{"job", "postgres"}}), 5023.5);
  EXPECT_DOUBLE_EQ(value_of(output.families, "backup_duration_seconds_count", {{"job", "home"}}), 2);

  const auto& summary = output.families[1];
  EXPECT_EQ(summary.type, MetricType::summary);
  EXPECT_EQ(summary.samples.size(), 5u);
  EXPECT_TRUE(std::isnan(value_of(output.families, "backup_transfer_rate_bytes", {{"quantile", "0.99"}})));

  // Timestamps are dropped; tabs separate like spaces; spaces stay in values.
  EXPECT_DOUBLE_EQ(
      value_of(output.families, "backup_last_success_timestamp_seconds", {{"target", "/mnt/backup disk/home"}}),
      1.7138e+09);

  const auto& errors = output.families[3];
  EXPECT_EQ(errors.help, "Errors seen, by message. Paths use \\ as on the NAS.");
  ASSERT_EQ(errors.samples.size(), 3u);
  EXPECT_EQ(errors.samples[0].labels[1].value, "file \"a.txt\" vanished");
  EXPECT_EQ(errors.samples[1].labels[1].value, "share \\\\nas\\home unreachable");
  EXPECT_EQ(errors.samples[2].labels[1].value, "two\nlines");

  // Without TYPE: untyped families of their own.
  const auto* ratio = find_family(output.families, "backup_size_ratio");
  ASSERT_NE(ratio, nullptr);
  EXPECT_EQ(ratio->type, MetricType::untyped);
  EXPECT_EQ(value_of(output.families, "backup_size_ratio", {{"job", "postgres"}}), HUGE_VAL);
  EXPECT_EQ(value_of(output.families, "backup_size_ratio", {{"job", "home"}}), -HUGE_VAL);
  EXPECT_DOUBLE_EQ(value_of(output.families, "backup_files_checked"), 48213);
}

TEST(PrometheusParser, ToleratesCrlfBlankLinesAndLeadingBlanks) {
  const auto output = parse("\r\n# TYPE a gauge\r\n  a{x=\"1\"} 1\r\n\r\n\ta 2 \r\n");
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 1u);
  EXPECT_EQ(output.families[0].samples.size(), 2u);
  EXPECT_EQ(output.families[0].samples[0].labels[0].value, "1");
}

TEST(PrometheusParser, AcceptsTheFormatsCorners) {
  const auto output = parse(
      "# HELP\n# TYPE\n# HELP only_name\n# some comment\n#TYPE c counter\n"
      "c{a=\"1\",} 1\n"
      "c{ b = \"2\" } 2 -1234\n"
      "c{} 3\n"
      "colon:name 1\n"
      "e 1.5e-3\n"
      "n nan\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].type, MetricType::counter);
  EXPECT_EQ(output.families[0].samples.size(), 3u);
  EXPECT_DOUBLE_EQ(value_of(output.families, "e"), 0.0015);
  EXPECT_TRUE(std::isnan(value_of(output.families, "n")));
}

TEST(PrometheusParser, TypesAreCaseInsensitiveAndUntypedIsKept) {
  const auto output = parse("# TYPE a GAUGE\na 1\n# TYPE u untyped\nu 1\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].type, MetricType::gauge);
  EXPECT_EQ(output.families[1].type, MetricType::untyped);
}

TEST(PrometheusParser, UnknownEscapesKeepTheirBackslash) {
  const auto output = parse("# HELP a C:\\temp \\\\ \\n.\na{p=\"C:\\temp\"} 1\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].help, "C:\\temp \\ \n.");
  EXPECT_EQ(output.families[0].samples[0].labels[0].value, "C:\\temp");
}

TEST(PrometheusParser, ReplacesInvalidUtf8InLabelValuesAndHelp) {
  const auto output = parse("# HELP a caf\xe9\na{p=\"caf\xe9\",q=\"x\xc3\"} 1\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].help, "caf\xEF\xBF\xBD");
  EXPECT_EQ(output.families[0].samples[0].labels[0].value, "caf\xEF\xBF\xBD");
  EXPECT_EQ(output.families[0].samples[0].labels[1].value, "x\xEF\xBF\xBD");
}

TEST(PrometheusParser, NulBytesInLabelValuesAreReplaced) {
  static constexpr char kText[] = "a{p=\"x\0y\"} 1\n";
  const auto output = parse(std::string_view(kText, sizeof kText - 1));
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples[0].labels[0].value, "x\xEF\xBF\xBDy");
}

TEST(PrometheusParser, DropsFamiliesWithoutSamples) {
  const auto output = parse("# HELP lonely nobody\n# TYPE lonely gauge\n# TYPE b gauge\nb 1\n");
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 1u);
  EXPECT_EQ(output.families[0].name, "b");
}

TEST(PrometheusParser, EmptyInputGivesNoFamilies) {
  const auto output = parse("");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_TRUE(output.families.empty());
}

struct BadInput {
  const char* text;
  const char* error;
};

class PrometheusParserErrors : public ::testing::TestWithParam<BadInput> {};

TEST_P(PrometheusParserErrors, NameTheLine) {
  const auto output = parse_strict(GetParam().text);
  EXPECT_FALSE(output.ok());
  EXPECT_TRUE(output.families.empty());
  EXPECT_EQ(output.error, GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, PrometheusParserErrors,
    ::testing::Values(
        BadInput{"a 1\nb\n", "line 2: expected a value after \"b\""},
        BadInput{"a x\n", "line 1: expected a number as the value, got \"x\""},
        BadInput{"a +-1\n", "line 1: expected a number as the value, got \"+-1\""},
        // OpenMetrics' timestamps are seconds, with a fraction if need be.
        BadInput{"a 1 12.5.1\n", "line 1: expected a timestamp, got \"12.5.1\""},
        BadInput{"a 1 12 extra\n", "line 1: unexpected text after the timestamp: \"extra\""},
        BadInput{"1a 1\n", "line 1: expected a metric name, got \"1a 1\""},
        BadInput{"a-b 1\n", "line 1: invalid character in metric name: \"a-\""},
        BadInput{"a{x=\"1\" 1\n", "line 1: expected ',' or '}' after the value of label \"x\""},
        BadInput{"a{x=\"1\n", "line 1: label value has no closing quote"},
        BadInput{"a{x=1} 1\n", "line 1: expected '\"' to open the value of label \"x\""},
        BadInput{"a{x} 1\n", "line 1: expected '=' after label \"x\""},
        BadInput{"a{,} 1\n", "line 1: expected a label name or '}', got \",} 1\""},
        BadInput{"a{x=\"1\",x=\"2\"} 1\n", "line 1: label \"x\" appears twice"},
        BadInput{"a{__name__=\"b\"} 1\n", "line 1: label name \"__name__\" is reserved"},
        BadInput{"# TYPE a-b gauge\n", "line 1: invalid metric name in TYPE line: \"-b gauge\""},
        BadInput{"# TYPE a enum\n", "line 1: unknown metric type \"enum\""},
        BadInput{"# TYPE a Info\n", "line 1: unknown metric type \"Info\""},
        BadInput{"# TYPE a gauge\n# TYPE a counter\n", "line 2: TYPE counter for \"a\" differs from gauge on line 1"},
        BadInput{"# HELP a x\n# HELP a y\n", "line 2: HELP for \"a\" differs from the one on line 1"},
        BadInput{"a 1\n# TYPE a gauge\n", "line 2: TYPE line for \"a\" comes after its samples (line 1)"},
        BadInput{"a{x=\"1\"} 1\na{x=\"1\"} 2\n", "line 2: duplicate series a{x=\"1\"}"},
        BadInput{"a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\n", "line 2: duplicate series a{y=\"2\",x=\"1\"}"},
        BadInput{"# TYPE h histogram\nh_bucket 1\n",
                 "line 2: histogram bucket \"h_bucket\" has no numeric \"le\" label"},
        BadInput{"# TYPE h histogram\nh_bucket{le=\"x\"} 1\n",
                 "line 2: histogram bucket \"h_bucket\" has no numeric \"le\" label"},
        BadInput{"# TYPE h histogram\nh 1\n",
                 "line 2: sample \"h\" does not fit histogram \"h\" (expected _bucket, _sum or _count)"},
        BadInput{"# TYPE s summary\ns 1\n", "line 2: summary sample \"s\" has no numeric \"quantile\" label"},
        BadInput{"# TYPE s summary\ns_bucket{le=\"1\"} 1\ns 1\n",
                 "line 3: summary sample \"s\" has no numeric \"quantile\" label"}),
    testing::ByIndex());

TEST(PrometheusParser, LongLinesAreQuotedShortInErrors) {
  const std::string text = "metric " + std::string(5 * 1024 * 1024, 'x');
  const auto output = parse(text);
  ASSERT_FALSE(output.ok());
  EXPECT_LT(output.error.size(), 200u);
  EXPECT_EQ(output.error.rfind("line 1: expected a number as the value, got \"xxxx", 0), 0u);
}

TEST(PrometheusParser, HostileInputsGiveAnErrorOrValidFamilies) {
  for (const auto& input : testing::hostile_inputs()) {
    EXPECT_TRUE(testing::error_or_valid(parse(input.text))) << input.name;
  }
}

TEST(PrometheusParser, AHugeLabelValueIsKeptWhole) {
  const std::string value(5 * 1024 * 1024, 'v');
  const auto output = parse("m{l=\"" + value + "\"} 1\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples[0].labels[0].value.size(), value.size());
}

// Found by tests/fuzz/parser_scaling_probe: each label was compared with all
// before it, so one 1 MB line of 100k labels took a minute. No clock here
// (these machines are noisy): the quadratic version of this test takes many
// minutes and runs into ctest's timeout; tests/fuzz/parser_scaling_probe
// measures the growth.
TEST(PrometheusParser, ManyLabelsOnOneLineTakeLinearTime) {
  std::string labels;
  for (int i = 0; i < 200'000; ++i) labels += "l" + std::to_string(i) + "=\"\",";
  const auto output = parse("m{" + labels + "} 1\n");
  const auto twice = parse("m{" + labels + "l7=\"\"} 1\n");
  ASSERT_TRUE(output.ok()) << output.error;
  EXPECT_EQ(output.families[0].samples[0].labels.size(), 200'000u);
  EXPECT_EQ(twice.error, "line 1: label \"l7\" appears twice");
}

// Found by tests/fuzz/parser_scaling_probe: the message named every label of
// the series.
TEST(PrometheusParser, ADuplicateSeriesNamesOnlyItsFirstLabels) {
  std::string line = "m{";
  for (int i = 0; i < 1000; ++i) line += "l" + std::to_string(i) + "=\"v\",";
  line += "} 1\n";
  EXPECT_EQ(parse_strict(line + line).error,
            "line 2: duplicate series m{l0=\"v\",l1=\"v\",l2=\"v\",l3=\"v\",l4=\"v\",l5=\"v\",l6=\"v\",l7=\"v\",… 992 "
            "more}");
}

TEST(PrometheusParser, ManyFamiliesAndSamples) {
  std::string text;
  for (int family = 0; family < 1000; ++family) {
    text += "# TYPE f" + std::to_string(family) + " gauge\n";
    for (int i = 0; i < 20; ++i) text += "f" + std::to_string(family) + "{i=\"" + std::to_string(i) + "\"} 1\n";
  }
  const auto output = parse(text);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families.size(), 1000u);
  EXPECT_EQ(testing::sample_count(output.families), 20000u);
}

}  // namespace
}  // namespace gleaner::parsers

namespace gleaner::parsers {
namespace {

// on_error: skip (the default): a bad line costs that line, counted.
TEST(PrometheusParserSkip, ABadLineIsLeftOutAndCounted) {
  const auto output = parse("a 1\nb x\n# TYPE c enum\nc 2\n");
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 2u);
  EXPECT_EQ(output.families[0].name, "a");
  EXPECT_EQ(output.families[1].name, "c");
  EXPECT_EQ(output.skipped, 2u);
  EXPECT_EQ(output.first_skipped, "line 2: expected a number as the value, got \"x\"");
}

TEST(PrometheusParserSkip, FailModeFailsOnTheFirstBadLine) {
  const auto output = parse_strict("a 1\nb x\nc 2\n");
  EXPECT_EQ(output.error, "line 2: expected a number as the value, got \"x\"");
  EXPECT_TRUE(output.families.empty());
}

TEST(PrometheusParserSkip, NothingValidStillFailsInBothModes) {
  EXPECT_EQ(parse("a x\n").error, "line 1: expected a number as the value, got \"x\"");
  EXPECT_EQ(parse("# HELP a text\na x\nb\n").error,
            "line 2: expected a number as the value, got \"x\" (and 1 more bad lines; nothing could be read)");
  EXPECT_EQ(parse_strict("a x\n").error, "line 1: expected a number as the value, got \"x\"");
  // No bad line and no sample is not an error: an empty textfile.
  EXPECT_TRUE(parse("# HELP a text\n").ok());
}

TEST(PrometheusParserSkip, ADuplicateSeriesDropsTheLaterLine) {
  const auto output = parse("a{x=\"1\"} 1\na{x=\"2\"} 2\na{x=\"1\"} 3\n");
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families[0].samples.size(), 2u);
  EXPECT_DOUBLE_EQ(value_of(output.families, "a", {{"x", "1"}}), 1);
  EXPECT_EQ(output.skipped, 1u);
  EXPECT_EQ(output.first_skipped, "line 3: duplicate series a{x=\"1\"}");
  EXPECT_EQ(parse_strict("a{x=\"1\"} 1\na{x=\"1\"} 3\n").error, "line 2: duplicate series a{x=\"1\"}");
}

// As expfmt reads them: a family's lines apart join its first place.
TEST(PrometheusParserMerge, LinesOfAFamilyApartAreMergedInPrintedOrder) {
  for (const auto& output : {parse("a{x=\"1\"} 1\nb 1\na{x=\"2\"} 2\n# TYPE h histogram\nh_sum 1\nb2 1\nh_count 1\n"),
                             parse_strict("a{x=\"1\"} 1\nb 1\na{x=\"2\"} 2\n# TYPE h histogram\nh_sum 1\nb2 1\n"
                                          "h_count 1\n")}) {
    ASSERT_TRUE(parsed_valid(output));
    EXPECT_EQ(output.skipped, 0u);
    ASSERT_EQ(output.families.size(), 4u);
    EXPECT_EQ(output.families[0].name, "a");
    ASSERT_EQ(output.families[0].samples.size(), 2u);
    EXPECT_EQ(output.families[0].samples[1].labels[0].value, "2");
    EXPECT_EQ(output.families[1].name, "b");
    EXPECT_EQ(output.families[2].name, "h");
    ASSERT_EQ(output.families[2].samples.size(), 2u);
    EXPECT_EQ(output.families[2].samples[1].name, "h_count");
  }
}

// `cat a.prom b.prom` of two files sharing a family, as node_exporter's
// textfile collector merges them when HELP and TYPE agree.
TEST(PrometheusParserMerge, AgreeingHelpAndTypeLinesAreAccepted) {
  const std::string text =
      "# HELP jobs_total Jobs run.\n# TYPE jobs_total counter\njobs_total{file=\"a\"} 1\n"
      "# HELP other Other.\nother 1\n"
      "# HELP jobs_total Jobs run.\n# TYPE jobs_total counter\njobs_total{file=\"b\"} 2\n";
  const auto output = parse_strict(text);
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 2u);
  EXPECT_EQ(output.families[0].type, MetricType::counter);
  EXPECT_EQ(output.families[0].help, "Jobs run.");
  EXPECT_EQ(output.families[0].samples.size(), 2u);
}

// A later HELP or TYPE that disagrees leaves out itself and its block (up to
// the next line of another family), counted; the first block stays.
TEST(PrometheusParserMerge, ADisagreeingHelpOrTypeLeavesOutItsBlock) {
  const std::string text =
      "# HELP a First.\n# TYPE a gauge\na{f=\"1\"} 1\n"
      "# TYPE a counter\na{f=\"2\"} 2\na{f=\"3\"} 3\n"
      "# TYPE c gauge\nc 1\n"
      "# HELP a Another text.\na{f=\"4\"} 4\n"
      "a{f=\"5\"} 5\n";
  const auto output = parse(text);
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 2u);
  EXPECT_EQ(output.families[0].type, MetricType::gauge);
  EXPECT_EQ(output.families[0].help, "First.");
  ASSERT_EQ(output.families[0].samples.size(), 1u);
  EXPECT_EQ(output.skipped, 6u);
  EXPECT_EQ(output.first_skipped, "line 4: TYPE counter for \"a\" differs from gauge on line 2");
  EXPECT_EQ(parse_strict(text).error, "line 4: TYPE counter for \"a\" differs from gauge on line 2");
  EXPECT_EQ(parse_strict("# HELP a x\na 1\nb 1\n# HELP a y\n").error,
            "line 4: HELP for \"a\" differs from the one on line 1");
}

// le and quantile are numbers: le="1" and le="1.0" are one bucket. The
// printed text is kept.
TEST(PrometheusParserMerge, LeAndQuantileAreComparedAsNumbers) {
  const std::string text =
      "# TYPE h histogram\nh_bucket{le=\"1.0\"} 1\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 3\n"
      "h_bucket{le=\"Inf\"} 4\n"
      "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns{quantile=\"0.50\"} 2\ns{quantile=\"5e-1\"} 3\n";
  const auto output = parse(text);
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 2u);
  ASSERT_EQ(output.families[0].samples.size(), 2u);
  EXPECT_EQ(output.families[0].samples[0].labels[0].value, "1.0");
  EXPECT_EQ(output.families[0].samples[1].labels[0].value, "+Inf");
  ASSERT_EQ(output.families[1].samples.size(), 1u);
  EXPECT_EQ(output.skipped, 4u);
  EXPECT_EQ(output.first_skipped, "line 3: duplicate series h_bucket{le=\"1\"}");
  EXPECT_EQ(parse_strict(text).error, "line 3: duplicate series h_bucket{le=\"1\"}");
}

// Nothing is invented: no +Inf bucket, no _count; samples as printed.
TEST(PrometheusParserMerge, NoSampleIsInvented) {
  const auto output = parse("# TYPE h histogram\nh_sum 3\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\n");
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families[0].samples.size(), 3u);
  EXPECT_EQ(output.families[0].samples[0].name, "h_sum");
  EXPECT_EQ(output.families[0].samples[2].labels[0].value, "1");
}

}  // namespace
}  // namespace gleaner::parsers
