// OpenMetrics printed by a command (README "Parsers", "What a collector may
// expose"): the prometheus parser reads info, stateset, gaugehistogram,
// unknown, `# UNIT`, `# EOF`, counters as `x_total`, `_created` and
// exemplars; the store serves those types as they are in OpenMetrics (the
// strict parser of the Prometheus Python client judges) and as the Python
// client writes them in the text format (promtool judges). Values that
// OpenMetrics refuses for their type cost what the README says and leave
// both expositions valid.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/openmetrics_parser.h"
#include "tests/support/parser_checks.h"
#include "tests/support/promtool.h"
#include "common/metrics/admission.h"
#include "common/metrics/metric_store.h"
#include "common/parsers/prometheus_parser.h"

namespace gleaner::parsers {
namespace {

using metrics::MetricType;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::find_family;
using testing::parsed_valid;

ParseOutput parse(std::string_view text, OnError on_error = OnError::skip) {
  return PrometheusParser(PrometheusOptions{.on_error = on_error}).parse(ParseInput{text});
}

// What a command may print in OpenMetrics, every feature once.
constexpr std::string_view kOpenMetricsOutput = R"(# TYPE build info
# HELP build Build information.
build_info{version="1.2",revision="abc"} 1
# TYPE service_state stateset
# HELP service_state State of the service.
service_state{service_state="running",unit="a"} 1
service_state{service_state="stopped",unit="a"} 0
service_state{service_state="running",unit="b"} 0
service_state{service_state="stopped",unit="b"} 1
# TYPE queue_wait_seconds gaugehistogram
# UNIT queue_wait_seconds seconds
# HELP queue_wait_seconds Time the queued jobs have waited.
queue_wait_seconds_bucket{le="0.5"} 2
queue_wait_seconds_bucket{le="+Inf"} 5
queue_wait_seconds_gcount 5
queue_wait_seconds_gsum 7.5
# TYPE jobs_seconds counter
# UNIT jobs_seconds seconds
# HELP jobs_seconds Time spent on jobs.
jobs_seconds_total 12.5 # {trace_id="0a"} 1.5 1700000000.5
jobs_seconds_created 1700000000.25
# TYPE latency histogram
latency_bucket{le="1"} 1 1700000000.125
latency_bucket{le="+Inf"} 2 1700000000.125 # {trace_id="0b"} 3
latency_sum 4 1700000000.125
latency_count 2 1700000000.125
latency_created 1700000000 1700000000.125
# TYPE spool unknown
spool 3
# EOF
)";

TEST(OpenMetricsInput, TheParserReadsEveryOpenMetricsType) {
  const auto output = parse(kOpenMetricsOutput, OnError::fail);
  ASSERT_TRUE(parsed_valid(output)) << output.error;
  EXPECT_EQ(output.skipped, 0u);

  const auto* info = find_family(output.families, "build");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->type, MetricType::info);
  EXPECT_EQ(info->help, "Build information.");
  ASSERT_EQ(info->samples.size(), 1u);
  EXPECT_EQ(info->samples[0].name, "build_info");

  const auto* stateset = find_family(output.families, "service_state");
  ASSERT_NE(stateset, nullptr);
  EXPECT_EQ(stateset->type, MetricType::stateset);
  EXPECT_EQ(stateset->samples.size(), 4u);

  const auto* gauge_histogram = find_family(output.families, "queue_wait_seconds");
  ASSERT_NE(gauge_histogram, nullptr);
  EXPECT_EQ(gauge_histogram->type, MetricType::gaugehistogram);
  EXPECT_EQ(gauge_histogram->unit, "seconds");
  ASSERT_EQ(gauge_histogram->samples.size(), 4u);
  EXPECT_EQ(gauge_histogram->samples[2].name, "queue_wait_seconds_gcount");
  EXPECT_EQ(gauge_histogram->samples[3].name, "queue_wait_seconds_gsum");

  // OpenMetrics' counter `x` with samples `x_total` is the text format's
  // `x_total`; its unit kept, its exemplar and `_created` not.
  EXPECT_EQ(find_family(output.families, "jobs_seconds"), nullptr);
  const auto* counter = find_family(output.families, "jobs_seconds_total");
  ASSERT_NE(counter, nullptr);
  EXPECT_EQ(counter->type, MetricType::counter);
  EXPECT_EQ(counter->unit, "seconds");
  EXPECT_EQ(counter->help, "Time spent on jobs.");
  ASSERT_EQ(counter->samples.size(), 1u);
  EXPECT_EQ(counter->samples[0].value, 12.5);

  // Timestamps in seconds with a fraction are read and dropped, as are
  // exemplars and the histogram's _created.
  const auto* histogram = find_family(output.families, "latency");
  ASSERT_NE(histogram, nullptr);
  EXPECT_EQ(histogram->samples.size(), 4u);
  EXPECT_EQ(find_family(output.families, "latency_created"), nullptr);

  const auto* unknown = find_family(output.families, "spool");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->type, MetricType::untyped);
  EXPECT_EQ(output.families.size(), 6u);
}

TEST(OpenMetricsInput, EveryLineAfterEofIsABadLine) {
  const std::string text = "# TYPE a gauge\na 1\n# EOF\na 2\nb 3\n\n# TYPE c gauge\n";
  const auto lenient = parse(text);
  ASSERT_TRUE(parsed_valid(lenient));
  EXPECT_EQ(lenient.skipped, 3u);
  EXPECT_EQ(lenient.first_skipped, "line 4: text after # EOF (line 3)");
  ASSERT_EQ(lenient.families.size(), 1u);
  EXPECT_EQ(lenient.families[0].samples.size(), 1u);
  EXPECT_EQ(parse(text, OnError::fail).error, "line 4: text after # EOF (line 3)");
  // Blank lines after it cost nothing.
  EXPECT_EQ(parse("a 1\n# EOF\n\n  \n").skipped, 0u);
}

TEST(OpenMetricsInput, AUnitMustBeTheEndOfTheName) {
  const auto wrong = parse("# TYPE disk_used gauge\n# UNIT disk_used bytes\ndisk_used 3\n");
  ASSERT_TRUE(parsed_valid(wrong));
  EXPECT_EQ(wrong.skipped, 1u);
  EXPECT_EQ(wrong.first_skipped, "line 2: UNIT \"bytes\" is not the end of the name \"disk_used\"");
  EXPECT_EQ(wrong.families.at(0).unit, "");
  EXPECT_EQ(wrong.families.at(0).samples.size(), 1u);
  // `_bytes`, not just `bytes`.
  EXPECT_EQ(parse("# UNIT diskbytes bytes\ndiskbytes 3\n").skipped, 1u);
  // A second UNIT must agree, as a second HELP must.
  const auto twice = parse("# TYPE a_bytes gauge\n# UNIT a_bytes bytes\n# UNIT a_bytes bytes\na_bytes 1\n");
  EXPECT_EQ(twice.skipped, 0u);
  EXPECT_EQ(twice.families.at(0).unit, "bytes");
  // Info and stateset have none: it is left out, the family kept.
  const auto info = parse("# TYPE x_seconds info\n# UNIT x_seconds seconds\nx_seconds_info 1\n");
  ASSERT_TRUE(parsed_valid(info));
  EXPECT_EQ(info.families.at(0).unit, "");
}

TEST(OpenMetricsInput, ATypeDeclaredTwiceDifferentlyCostsItsBlock) {
  const auto output = parse("# TYPE s stateset\ns{s=\"a\"} 1\n# TYPE s info\ns{s=\"b\"} 1\n# TYPE g gauge\ng 1\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.skipped, 2u);
  EXPECT_THAT(output.first_skipped, HasSubstr("line 3: TYPE info for \"s\" differs from stateset on line 1"));
  ASSERT_EQ(output.families.size(), 2u);
  EXPECT_EQ(output.families[0].samples.size(), 1u);
}

TEST(OpenMetricsInput, SamplesThatDoNotFitTheirTypeAreBadLines) {
  // An info's samples are NAME_info; a gaugehistogram's have no _sum.
  const auto output = parse("# TYPE i info\ni 1\ni_info 1\n# TYPE h gaugehistogram\nh_bucket{le=\"+Inf\"} 1\n"
                            "h_bucket{le=\"x\"} 1\nh_gcount 1\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.skipped, 2u);
  EXPECT_THAT(output.first_skipped, HasSubstr("line 2: sample \"i\" does not fit info \"i\""));
  // A sample `x` of an OpenMetrics counter whose samples are `x_total`.
  const auto mixed = parse("# TYPE c counter\nc_total 1\nc 2\n");
  EXPECT_EQ(mixed.skipped, 1u);
  EXPECT_EQ(mixed.families.at(0).name, "c_total");
}

TEST(OpenMetricsInput, BadExemplarsAndTimestampsAreBadLines) {
  for (std::string_view line : {"a_total 1 # trace\n", "a_total 1 # {x=\"1\"}\n", "a_total 1 # {x=\"1\"} 1 2 3\n",
                                "a_total 1 1.5.5\n", "a_total 1 NaN\n", "a_total 1 # {x=1} 1\n"}) {
    EXPECT_EQ(parse("b 1\n" + std::string(line)).skipped, 1u) << line;
  }
}

TEST(OpenMetricsInput, TheTextFormatAloneWhereAskedAsNodeExporterReadsIt) {
  const PrometheusParser text_only(PrometheusOptions{.on_error = OnError::skip, .openmetrics = false});
  const auto output = text_only.parse(ParseInput{"# TYPE i info\ni_info 1\n# EOF\n# UNIT g_bytes bytes\ng_bytes 1\n"});
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.skipped, 1u);  // the TYPE line
  EXPECT_THAT(output.first_skipped, HasSubstr("unknown metric type \"info\""));
  EXPECT_EQ(find_family(output.families, "g_bytes")->unit, "");
  EXPECT_EQ(text_only.parse(ParseInput{"b 1\na_total 1 # {x=\"1\"} 1\n"}).skipped, 1u);
  // UNIT and EOF lines are mere comments there, even malformed ones.
  EXPECT_EQ(text_only.parse(ParseInput{"# UNIT bad-name x\n# EOF now\ng 1\n"}).skipped, 0u);
}

// The exposition of one collector printing `text`, in either format.
struct Served {
  std::string openmetrics;
  std::string text;
  metrics::DropCounts dropped;
};

Served serve(std::string_view printed) {
  const auto parsed = parse(printed);
  EXPECT_TRUE(parsed.ok()) << parsed.error;
  auto admission = metrics::admit(parsed.families, {{"collector", "c"}});
  metrics::MetricStore store;
  store.publish("c", std::move(admission.families));
  Served served;
  served.dropped = admission.dropped;
  store.render({}, served.openmetrics, metrics::TextFormat::openmetrics);
  store.render({}, served.text, metrics::TextFormat::prometheus);
  return served;
}

gleaner::testing::OpenMetricsVerdict judged(const std::string& exposition) {
  EXPECT_TRUE(gleaner::testing::openmetrics_parser_installed())
      << "/usr/bin/python3 without prometheus_client: run .ci/install-deps";
  return gleaner::testing::openmetrics_check(exposition);
}

const nlohmann::json* family_in(const nlohmann::json& families, std::string_view name) {
  for (const auto& family : families) {
    if (family["name"] == name) return &family;
  }
  return nullptr;
}

TEST(OpenMetricsInput, EachTypeIsServedAsItIsInOpenMetrics) {
  const auto served = serve(kOpenMetricsOutput);
  const auto verdict = judged(served.openmetrics);
  ASSERT_TRUE(verdict.valid) << verdict.error << "\n" << served.openmetrics;
  const std::pair<const char*, const char*> types[] = {{"build", "info"},
                                                       {"service_state", "stateset"},
                                                       {"queue_wait_seconds", "gaugehistogram"},
                                                       {"jobs_seconds", "counter"},
                                                       {"latency", "histogram"},
                                                       {"spool", "unknown"}};
  for (const auto& [name, type] : types) {
    const auto* family = family_in(verdict.families, name);
    ASSERT_NE(family, nullptr) << name << "\n" << served.openmetrics;
    EXPECT_EQ((*family)["type"], type) << name;
  }
  EXPECT_EQ((*family_in(verdict.families, "queue_wait_seconds"))["unit"], "seconds");
  EXPECT_EQ((*family_in(verdict.families, "jobs_seconds"))["unit"], "seconds");
  EXPECT_EQ((*family_in(verdict.families, "service_state"))["samples"].size(), 4u);
  EXPECT_THAT(served.openmetrics, HasSubstr("# TYPE build info\n"));
  EXPECT_THAT(served.openmetrics, HasSubstr("# UNIT queue_wait_seconds seconds\n"));
  EXPECT_THAT(served.openmetrics, HasSubstr("build_info{collector=\"c\",version=\"1.2\",revision=\"abc\"} 1\n"));
  EXPECT_THAT(served.openmetrics, HasSubstr("queue_wait_seconds_gcount{collector=\"c\"} 5\n"));
  EXPECT_THAT(served.openmetrics, Not(HasSubstr("_created")));
  EXPECT_THAT(served.openmetrics, Not(HasSubstr("trace_id")));
  EXPECT_EQ(served.dropped.total(), 0u);
}

TEST(OpenMetricsInput, InTheTextFormatAsThePythonClientWritesThem) {
  const auto served = serve(kOpenMetricsOutput);
  const auto verdict = gleaner::testing::promtool_check_metrics(served.text);
  EXPECT_TRUE(verdict.valid) << verdict.output << "\n" << served.text;
  EXPECT_THAT(served.text, HasSubstr("# HELP build_info Build information.\n# TYPE build_info gauge\n"
                                     "build_info{collector=\"c\",version=\"1.2\",revision=\"abc\"} 1\n"));
  EXPECT_THAT(served.text, HasSubstr("# TYPE service_state gauge\n"));
  EXPECT_THAT(served.text, HasSubstr("# TYPE queue_wait_seconds histogram\n"
                                     "queue_wait_seconds_bucket{collector=\"c\",le=\"0.5\"} 2\n"
                                     "queue_wait_seconds_bucket{collector=\"c\",le=\"+Inf\"} 5\n"
                                     "# HELP queue_wait_seconds_gcount Time the queued jobs have waited.\n"
                                     "# TYPE queue_wait_seconds_gcount gauge\n"
                                     "queue_wait_seconds_gcount{collector=\"c\"} 5\n"
                                     "# HELP queue_wait_seconds_gsum Time the queued jobs have waited.\n"
                                     "# TYPE queue_wait_seconds_gsum gauge\n"
                                     "queue_wait_seconds_gsum{collector=\"c\"} 7.5\n"));
  EXPECT_THAT(served.text, HasSubstr("# TYPE jobs_seconds_total counter\njobs_seconds_total{collector=\"c\"} 12.5\n"));
  EXPECT_THAT(served.text, Not(HasSubstr("# UNIT")));
  EXPECT_THAT(served.text, Not(HasSubstr(" info\n")));
  EXPECT_THAT(served.text, Not(HasSubstr("stateset")));
}

TEST(OpenMetricsInput, AStatesetsStatesAreWrittenTogetherPerSeries) {
  // Printed state by state; the strict parser wants each series' states
  // together.
  const auto served = serve("# TYPE s stateset\ns{s=\"a\",u=\"1\"} 1\ns{s=\"a\",u=\"2\"} 0\ns{s=\"b\",u=\"1\"} 0\n"
                            "s{s=\"b\",u=\"2\"} 1\n");
  const auto verdict = judged(served.openmetrics);
  EXPECT_TRUE(verdict.valid) << verdict.error << "\n" << served.openmetrics;
  EXPECT_THAT(served.openmetrics, HasSubstr("s{collector=\"c\",s=\"a\",u=\"1\"} 1\ns{collector=\"c\",s=\"b\",u=\"1\"} 0\n"));
}

// Each is valid in the text format and not as its type in OpenMetrics.
struct Hostile {
  const char* what;
  std::string_view printed;
  const char* sample_names;  // the unknown families it is served as
};

TEST(OpenMetricsInput, ValuesOpenMetricsRefusesCostNothingAndStayValid) {
  const Hostile hostile[] = {
      {"info with value 0", "# TYPE i info\ni_info{v=\"1\"} 0\n", "i_info"},
      {"stateset with value 2", "# TYPE s stateset\ns{s=\"a\"} 2\n", "s"},
      {"stateset without its label", "# TYPE s stateset\ns{state=\"a\"} 1\n", "s"},
      {"gaugehistogram without +Inf", "# TYPE g gaugehistogram\ng_bucket{le=\"1\"} 1\ng_gcount 1\ng_gsum 1\n",
       "g_bucket g_gcount g_gsum"},
      {"gaugehistogram _gcount other than +Inf",
       "# TYPE g gaugehistogram\ng_bucket{le=\"+Inf\"} 2\ng_gcount 3\ng_gsum 1\n", "g_bucket g_gcount g_gsum"},
      {"gaugehistogram negative _gsum", "# TYPE g gaugehistogram\ng_bucket{le=\"+Inf\"} 2\ng_gcount 2\ng_gsum -1\n",
       "g_bucket g_gcount g_gsum"},
      {"gaugehistogram _gsum alone", "# TYPE g gaugehistogram\ng_bucket{le=\"+Inf\"} 2\ng_gsum 1\n",
       "g_bucket g_gsum"},
  };
  for (const auto& [what, printed, names] : hostile) {
    SCOPED_TRACE(what);
    const auto served = serve(std::string(printed) + "# TYPE after gauge\nafter 1\n# EOF\n");
    EXPECT_EQ(served.dropped.total(), 0u);
    const auto verdict = judged(served.openmetrics);
    ASSERT_TRUE(verdict.valid) << verdict.error << "\n" << served.openmetrics;
    std::string unknown;
    for (const auto& family : verdict.families) {
      if (family["name"] == "after") {
        EXPECT_EQ(family["type"], "gauge");
        continue;
      }
      EXPECT_EQ(family["type"], "unknown") << family.dump();
      unknown += (unknown.empty() ? "" : " ") + family["name"].get<std::string>();
    }
    EXPECT_EQ(unknown, names) << served.openmetrics;
    const auto promtool = gleaner::testing::promtool_check_metrics(served.text);
    EXPECT_TRUE(promtool.valid) << promtool.output << "\n" << served.text;
    // Written as its type, the strict parser would refuse it.
    EXPECT_FALSE(judged(std::string(printed) + "# EOF\n").valid) << printed;
  }
}

TEST(OpenMetricsInput, OpenMetricsTypesTakeTheirOtherNames) {
  using ::testing::UnorderedElementsAre;
  EXPECT_THAT(metrics::names_taken_by("i", MetricType::info), UnorderedElementsAre("i", "i_info"));
  EXPECT_THAT(metrics::names_taken_by("s", MetricType::stateset), UnorderedElementsAre("s"));
  EXPECT_THAT(metrics::names_taken_by("g", MetricType::gaugehistogram),
              UnorderedElementsAre("g", "g_bucket", "g_sum", "g_count", "g_gsum", "g_gcount"));
  // So an info `x` and a gauge `x_info` are a conflict, the first kept.
  metrics::MetricStore store;
  const auto parsed = parse("# TYPE x info\nx_info 1\n# TYPE x_info gauge\nx_info{a=\"b\"} 2\n");
  const auto published = store.publish("c", parsed.families, {});
  EXPECT_EQ(published.conflicting, 1u);
  std::string out;
  store.render({}, out, metrics::TextFormat::openmetrics);
  EXPECT_TRUE(judged(out).valid) << out;
}

}  // namespace
}  // namespace gleaner::parsers
