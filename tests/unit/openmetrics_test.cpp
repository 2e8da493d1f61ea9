// The exposition in OpenMetrics (README "What a collector may expose"):
// how each type is written, and that whatever a collector prints, the
// whole exposition stays valid for the strict OpenMetrics parser of the
// Prometheus Python client, every value kept.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tests/support/openmetrics_parser.h"
#include "common/metrics/admission.h"
#include "common/metrics/metric_store.h"
#include "common/metrics/sample_text.h"

namespace gleaner::metrics {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

MetricFamily family(std::string name, MetricType type, std::vector<Sample> samples, std::string help = "Help.") {
  return MetricFamily{std::move(name), type, std::move(help), std::move(samples)};
}

std::string openmetrics(const MetricStore& store, const Families& own = {}) {
  std::string out;
  store.render(own, out, TextFormat::openmetrics);
  return out;
}

std::string text(const MetricStore& store, const Families& own = {}) {
  std::string out;
  store.render(own, out, TextFormat::prometheus);
  return out;
}

// Valid for the strict parser, or the test fails with its complaint.
void expect_valid(const std::string& exposition) {
  ASSERT_TRUE(gleaner::testing::openmetrics_parser_installed())
      << "/usr/bin/python3 without prometheus_client: run .ci/install-deps";
  const auto verdict = gleaner::testing::openmetrics_check(exposition);
  EXPECT_TRUE(verdict.valid) << verdict.error << "\n" << exposition;
}

MetricFamily histogram(std::string name, std::vector<std::pair<std::string, double>> buckets, std::optional<double> sum,
                       std::optional<double> count) {
  std::vector<Sample> samples;
  for (auto& [le, value] : buckets) samples.push_back({name + "_bucket", {{"le", le}}, value});
  if (sum) samples.push_back({name + "_sum", {}, *sum});
  if (count) samples.push_back({name + "_count", {}, *count});
  return family(std::move(name), MetricType::histogram, std::move(samples));
}

TEST(OpenMetrics, ACounterFamilyIsNamedWithoutTotalAndItsSamplesWithIt) {
  MetricStore store;
  store.publish("c", {family("requests_total", MetricType::counter, {{"requests_total", {{"code", "200"}}, 5}}),
                      family("errors", MetricType::counter, {{"errors", {}, 2}})},
                {});
  const auto body = openmetrics(store);
  EXPECT_EQ(body,
            "# HELP requests Help.\n# TYPE requests counter\nrequests_total{collector=\"c\",code=\"200\"} 5\n"
            "# HELP errors Help.\n# TYPE errors counter\nerrors_total{collector=\"c\"} 2\n"
            "# EOF\n");
  expect_valid(body);
  // The text format is as before: each as printed.
  EXPECT_THAT(text(store), HasSubstr("# TYPE errors counter\nerrors{collector=\"c\"} 2\n"));
  EXPECT_THAT(text(store), HasSubstr("# TYPE requests_total counter\nrequests_total{"));
}

TEST(OpenMetrics, UntypedIsUnknownAndHelpEscapesQuotesToo) {
  MetricStore store;
  store.publish("c", {family("temp", MetricType::untyped, {{"temp", {{"v", "a \"b\" \\ \n"}}, 1.5}},
                             "A \"quoted\" \\ word\nand a line.")},
                {});
  const auto body = openmetrics(store);
  EXPECT_EQ(body,
            "# HELP temp A \\\"quoted\\\" \\\\ word\\nand a line.\n# TYPE temp unknown\n"
            "temp{collector=\"c\",v=\"a \\\"b\\\" \\\\ \\n\"} 1.5\n# EOF\n");
  expect_valid(body);
  EXPECT_THAT(text(store), HasSubstr("# TYPE temp untyped\n"));
  EXPECT_THAT(text(store), HasSubstr("# HELP temp A \"quoted\" \\\\ word\\nand a line.\n"));
}

TEST(OpenMetrics, EofEndsItEvenWhenEmptyAndNoCreatedSeries) {
  MetricStore store;
  EXPECT_EQ(openmetrics(store), "# EOF\n");
  store.publish("c", {family("n_total", MetricType::counter, {{"n_total", {}, 1}}),
                      histogram("h", {{"+Inf", 1}}, 1, 1)},
                {});
  const auto body = openmetrics(store);
  EXPECT_THAT(body, EndsWith("\n# EOF\n"));
  EXPECT_THAT(body, Not(HasSubstr("_created")));
  expect_valid(body);
}

TEST(OpenMetrics, HistogramBucketsComeInLeOrderSeriesBySeries) {
  MetricStore store;
  std::vector<Sample> samples = {
      {"h_bucket", {{"path", "/a"}, {"le", "inf"}}, 4}, {"h_sum", {{"path", "/b"}}, 1},
      {"h_bucket", {{"path", "/b"}, {"le", "+Inf"}}, 1}, {"h_bucket", {{"path", "/a"}, {"le", "0.5"}}, 1},
      {"h_count", {{"path", "/a"}}, 4},  {"h_count", {{"path", "/b"}}, 1},
      {"h_sum", {{"path", "/a"}}, 2.5},  {"h_bucket", {{"path", "/a"}, {"le", "1e-3"}}, 0},
  };
  store.publish("c", {family("h", MetricType::histogram, samples)}, {});
  const auto body = openmetrics(store);
  EXPECT_EQ(body,
            "# HELP h Help.\n# TYPE h histogram\n"
            "h_bucket{collector=\"c\",path=\"/a\",le=\"1e-3\"} 0\n"
            "h_bucket{collector=\"c\",path=\"/a\",le=\"0.5\"} 1\n"
            "h_bucket{collector=\"c\",path=\"/a\",le=\"+Inf\"} 4\n"
            "h_sum{collector=\"c\",path=\"/a\"} 2.5\n"
            "h_count{collector=\"c\",path=\"/a\"} 4\n"
            "h_bucket{collector=\"c\",path=\"/b\",le=\"+Inf\"} 1\n"
            "h_sum{collector=\"c\",path=\"/b\"} 1\n"
            "h_count{collector=\"c\",path=\"/b\"} 1\n"
            "# EOF\n");
  expect_valid(body);
}

TEST(OpenMetrics, ASummaryIsWrittenSeriesBySeries) {
  MetricStore store;
  store.publish("c",
                {family("s", MetricType::summary,
                        {{"s", {{"quantile", "0.5"}, {"k", "a"}}, 1}, {"s", {{"quantile", "0.5"}, {"k", "b"}}, 2},
                         {"s_sum", {{"k", "a"}}, 3}, {"s_count", {{"k", "a"}}, 4}, {"s_count", {{"k", "b"}}, 5}})},
                {});
  const auto body = openmetrics(store);
  EXPECT_THAT(body, HasSubstr("s{collector=\"c\",quantile=\"0.5\",k=\"a\"} 1\ns_sum{collector=\"c\",k=\"a\"} 3\n"
                              "s_count{collector=\"c\",k=\"a\"} 4\ns{collector=\"c\",quantile=\"0.5\",k=\"b\"} 2\n"));
  expect_valid(body);
}

struct Refused {
  const char* what;
  MetricFamily family;
};

// Each is valid in the text format and not as its type in OpenMetrics:
// written as unknown families, one per sample name, values as printed.
std::vector<Refused> refused_families() {
  return {
      {"histogram without +Inf", histogram("h", {{"1", 1}, {"2", 2}}, 3, 2)},
      {"bucket counts decreasing", histogram("h", {{"1", 5}, {"+Inf", 2}}, 3, 2)},
      {"_count other than +Inf", histogram("h", {{"1", 1}, {"+Inf", 2}}, 3, 7)},
      {"non-integer buckets", histogram("h", {{"1", 0.5}, {"+Inf", 2693.9}}, 3, 2693.9)},
      {"negative _sum", histogram("h", {{"+Inf", 2}}, -3, 2)},
      {"NaN _sum", histogram("h", {{"+Inf", 2}}, kNaN, 2)},
      {"_sum without _count", histogram("h", {{"+Inf", 2}}, 3, std::nullopt)},
      {"_count without _sum", histogram("h", {{"+Inf", 2}}, std::nullopt, 2)},
      {"_sum with negative buckets", histogram("h", {{"-1", 0}, {"+Inf", 2}}, 3, 2)},
      {"only _sum and _count", histogram("h", {}, 3, 2)},
      {"NaN bound", histogram("h", {{"NaN", 1}, {"+Inf", 2}}, 3, 2)},
      {"negative counter", family("c_total", MetricType::counter, {{"c_total", {}, -1}})},
      {"NaN counter", family("c", MetricType::counter, {{"c", {}, kNaN}})},
      {"quantile above 1", family("s", MetricType::summary, {{"s", {{"quantile", "1.5"}}, 1}})},
      {"quantile below 0", family("s", MetricType::summary, {{"s", {{"quantile", "-0.1"}}, 1}})},
      {"negative quantile value", family("s", MetricType::summary, {{"s", {{"quantile", "0.5"}}, -2}})},
      {"summary non-integer count", family("s", MetricType::summary, {{"s_sum", {}, 1}, {"s_count", {}, 1.5}})},
      {"summary negative _sum", family("s", MetricType::summary, {{"s_sum", {}, -1}, {"s_count", {}, 1}})},
      {"summary infinite count", family("s", MetricType::summary, {{"s_count", {}, kInf}})},
  };
}

TEST(OpenMetrics, AFamilyNotValidAsItsTypeIsWrittenAsUnknownFamiliesKeepingEveryValue) {
  for (auto& refused : refused_families()) {
    SCOPED_TRACE(refused.what);
    MetricStore store;
    store.publish("c", {refused.family, family("after", MetricType::gauge, {{"after", {}, 1}})}, {});
    const auto body = openmetrics(store);
    expect_valid(body);
    EXPECT_THAT(body, Not(HasSubstr(" " + std::string(to_string(refused.family.type)) + "\n"))) << body;
    // Every sample line of the text format is there, as it is there.
    const auto as_text = text(store);
    std::size_t lines = 0;
    for (std::size_t start = 0; start < as_text.size();) {
      const auto end = as_text.find('\n', start);
      const auto line = as_text.substr(start, end - start + 1);
      start = end + 1;
      if (line[0] == '#') continue;
      EXPECT_THAT(body, HasSubstr(line));
      ++lines;
    }
    EXPECT_EQ(lines, refused.family.samples.size() + 1);
    EXPECT_THAT(body, HasSubstr("# TYPE after gauge\n"));
  }
}

TEST(OpenMetrics, WithoutTheFallbackTheParserRefusesThem) {
  // The judge is strict: each refused family, written as its type, fails.
  for (auto& refused : refused_families()) {
    SCOPED_TRACE(refused.what);
    std::string body = "# TYPE " + openmetrics_family_name(refused.family.name, refused.family.type) + " " +
                       std::string(openmetrics_type(refused.family.type)) + "\n";
    for (const auto& sample : refused.family.samples) {
      const std::string name = refused.family.type == MetricType::counter && !sample.name.ends_with("_total")
                                   ? sample.name + "_total"
                                   : sample.name;
      append_sample_line(body, name, sample.labels, sample.value);
    }
    body += "# EOF\n";
    ASSERT_TRUE(gleaner::testing::openmetrics_parser_installed());
    EXPECT_FALSE(gleaner::testing::openmetrics_check(body).valid) << body;
  }
}

TEST(OpenMetrics, OneRefusedPartTurnsTheWholeSharedFamilyUnknown) {
  MetricStore store;
  store.set_precedence({"a", "b"});
  store.publish("a", {histogram("h", {{"1", 1}, {"+Inf", 2}}, 3, 2)}, {});
  store.publish("b", {histogram("h", {{"1", 1}}, 3, 2)}, {});  // no +Inf
  const auto body = openmetrics(store);
  expect_valid(body);
  EXPECT_THAT(body, HasSubstr("# TYPE h_bucket unknown\nh_bucket{collector=\"a\",le=\"1\"} 1\n"
                              "h_bucket{collector=\"a\",le=\"+Inf\"} 2\nh_bucket{collector=\"b\",le=\"1\"} 1\n"));
  store.publish("b", {histogram("h", {{"+Inf", 2}}, 3, 2)}, {});
  EXPECT_THAT(openmetrics(store), HasSubstr("# TYPE h histogram\n"));
  expect_valid(openmetrics(store));
}

TEST(OpenMetrics, CountersTakeTheirOtherNamesAndCreated) {
  EXPECT_THAT(names_taken_by("foo", MetricType::counter), ::testing::UnorderedElementsAre("foo", "foo_total", "foo_created"));
  EXPECT_THAT(names_taken_by("foo_total", MetricType::counter),
              ::testing::UnorderedElementsAre("foo_total", "foo", "foo_created"));
  EXPECT_THAT(names_taken_by("h", MetricType::histogram),
              ::testing::UnorderedElementsAre("h", "h_bucket", "h_sum", "h_count", "h_created"));
  EXPECT_THAT(names_taken_by("s", MetricType::summary),
              ::testing::UnorderedElementsAre("s", "s_bucket", "s_sum", "s_count", "s_created"));
  EXPECT_THAT(names_taken_by("g", MetricType::gauge), ::testing::UnorderedElementsAre("g"));
  EXPECT_THAT(names_taken_by("u", MetricType::untyped), ::testing::UnorderedElementsAre("u"));
}

TEST(OpenMetrics, NamesThatWouldClashInOpenMetricsGoToTheFirstCollector) {
  struct Clash {
    MetricFamily first;
    MetricFamily second;
  };
  const std::vector<Clash> clashes = {
      {family("foo", MetricType::counter, {{"foo", {}, 1}}), family("foo_total", MetricType::gauge, {{"foo_total", {}, 2}})},
      {family("foo_total", MetricType::counter, {{"foo_total", {}, 1}}), family("foo", MetricType::gauge, {{"foo", {}, 2}})},
      {family("foo", MetricType::counter, {{"foo", {}, 1}}), family("foo_created", MetricType::gauge, {{"foo_created", {}, 2}})},
      {family("foo", MetricType::counter, {{"foo", {}, 1}}), family("foo_total", MetricType::counter, {{"foo_total", {}, 2}})},
      {histogram("h", {{"+Inf", 1}}, 1, 1), family("h_created", MetricType::untyped, {{"h_created", {}, 2}})},
      {family("s", MetricType::summary, {{"s_sum", {}, 1}, {"s_count", {}, 1}}),
       family("s_created", MetricType::gauge, {{"s_created", {}, 2}})},
  };
  for (const auto& clash : clashes) {
    SCOPED_TRACE(clash.first.name + " then " + clash.second.name);
    MetricStore store;
    store.set_precedence({"first", "second"});
    store.publish("second", {clash.second}, {});
    const auto published = store.publish("first", {clash.first}, {});
    EXPECT_EQ(published.conflicting, 0u);
    EXPECT_EQ(store.series("second"), 0u);
    EXPECT_THAT(store.first_conflict("second"), HasSubstr("clashes with"));
    const auto body = openmetrics(store);
    EXPECT_THAT(body, Not(HasSubstr("collector=\"second\"")));
    expect_valid(body);
    // Within one collector's output, the first printed keeps the name.
    MetricStore alone;
    const auto own = alone.publish("c", {clash.first, clash.second}, {});
    EXPECT_GT(own.conflicting, 0u);
    expect_valid(openmetrics(alone));
  }
}

TEST(OpenMetrics, GleanersOwnFamiliesHaveTheirUnit) {
  MetricStore store;
  const Families own = {
      family("process_cpu_seconds_total", MetricType::counter, {{"process_cpu_seconds_total", {}, 1.25}}),
      family("process_resident_memory_bytes", MetricType::gauge, {{"process_resident_memory_bytes", {}, 1e6}}),
      family("gleaner_collector_up", MetricType::gauge, {{"gleaner_collector_up", {{"collector", "c"}}, 1}}),
      family("gleaner_scheduler_lateness_seconds", MetricType::histogram,
             {{"gleaner_scheduler_lateness_seconds_bucket", {{"le", "0.001"}}, 3},
              {"gleaner_scheduler_lateness_seconds_bucket", {{"le", "+Inf"}}, 4},
              {"gleaner_scheduler_lateness_seconds_sum", {}, 0.5},
              {"gleaner_scheduler_lateness_seconds_count", {}, 4}}),
  };
  const auto body = openmetrics(store, own);
  EXPECT_THAT(body, HasSubstr("# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds\n"
                              "process_cpu_seconds_total 1.25\n"));
  EXPECT_THAT(body, HasSubstr("# UNIT process_resident_memory_bytes bytes\nprocess_resident_memory_bytes 1e+06\n"));
  EXPECT_THAT(body, HasSubstr("# UNIT gleaner_scheduler_lateness_seconds seconds\n"));
  EXPECT_THAT(body, Not(HasSubstr("# UNIT gleaner_collector_up")));
  expect_valid(body);
  const auto verdict = gleaner::testing::openmetrics_check(body);
  for (const auto& parsed : verdict.families) {
    if (parsed["name"] == "process_cpu_seconds") {
      EXPECT_EQ(parsed["unit"], "seconds");
    }
  }
}

TEST(OpenMetrics, EachFormatKeepsItsOwnStablePartUntilAPublish) {
  MetricStore store;
  store.publish("c", {family("g", MetricType::gauge, {{"g", {}, 1}})}, {});
  const auto text_part = store.render_parts({}, TextFormat::prometheus);
  const auto om_part = store.render_parts({}, TextFormat::openmetrics);
  EXPECT_NE(text_part.stable, om_part.stable);
  EXPECT_EQ(*text_part.stable, "# HELP g Help.\n# TYPE g gauge\ng{collector=\"c\"} 1\n");
  EXPECT_EQ(om_part.rest, "# EOF\n");
  EXPECT_EQ(text_part.rest, "");
  EXPECT_EQ(store.render_parts({}, TextFormat::openmetrics).stable, om_part.stable);
  EXPECT_EQ(store.render_parts({}, TextFormat::prometheus).stable, text_part.stable);
  store.publish("c", {family("g", MetricType::gauge, {{"g", {}, 2}})}, {});
  EXPECT_NE(store.render_parts({}, TextFormat::openmetrics).stable, om_part.stable);
  EXPECT_NE(store.render_parts({}, TextFormat::prometheus).stable, text_part.stable);
}

TEST(OpenMetrics, ValidFamiliesCostNoSecondCopy) {
  const auto admitted = admit({family("g", MetricType::gauge, {{"g", {}, 1}}),
                               family("c_total", MetricType::counter, {{"c_total", {}, 1}}),
                               histogram("h", {{"1", 1}, {"+Inf", 2}}, 3, 2)},
                              {{"collector", "c"}});
  ASSERT_EQ(admitted.families.size(), 3u);
  for (const auto& one : admitted.families) {
    EXPECT_EQ(one.openmetrics, OpenMetricsForm::same_text) << one.name;
    EXPECT_EQ(one.openmetrics_text, "") << one.name;
  }
}

}  // namespace
}  // namespace gleaner::metrics
