// The store: whole snapshots per collector, families merged across
// collectors, labels added, and an exposition promtool accepts.

#include "common/metrics/metric_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <tuple>

#include "tests/support/promtool.h"

namespace gleaner::metrics {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

MetricFamily gauge(std::string name, std::vector<Sample> samples, std::string help = "") {
  return MetricFamily{std::move(name), MetricType::gauge, std::move(help), std::move(samples)};
}

std::string render(const MetricStore& store, const Families& own = {}) {
  std::string out;
  store.render(own, out);
  return out;
}

TEST(MetricStore, AddsTheCollectorAndConstantLabels) {
  MetricStore store;
  store.publish("disk", {gauge("free_bytes", {{"free_bytes", {{"mount", "/"}}, 42}}, "Free space.")},
                {{"team", "infra"}});
  const auto text = render(store);
  EXPECT_EQ(text,
            "# HELP free_bytes Free space.\n"
            "# TYPE free_bytes gauge\n"
            "free_bytes{collector=\"disk\",team=\"infra\",mount=\"/\"} 42\n");
  EXPECT_EQ(store.series("disk"), 1u);
}

TEST(MetricStore, ALabelClashingWithAnAddedOneIsKeptAsExported) {
  MetricStore store;
  store.publish("c", {gauge("x", {{"x", {{"collector", "theirs"}, {"team", "b"}}, 1}})}, {{"team", "a"}});
  EXPECT_THAT(render(store), HasSubstr("x{collector=\"c\",team=\"a\",exported_collector=\"theirs\",exported_team=\"b\"} 1\n"));
}

TEST(MetricStore, PublishReplacesWholeAndRemoveDrops) {
  MetricStore store;
  store.publish("a", {gauge("m", {{"m", {}, 1}, {"m", {{"k", "v"}}, 2}})}, {});
  store.publish("a", {gauge("n", {{"n", {}, 3}})}, {});
  const auto text = render(store);
  EXPECT_THAT(text, Not(HasSubstr("m{")));
  EXPECT_THAT(text, HasSubstr("n{collector=\"a\"} 3\n"));
  EXPECT_EQ(store.series("a"), 1u);
  store.remove("a");
  EXPECT_EQ(render(store), "");
  EXPECT_EQ(store.series("a"), 0u);
}

TEST(MetricStore, OneFamilyFromTwoCollectorsIsWrittenUnderOneHeader) {
  MetricStore store;
  store.set_precedence({"a", "b"});
  store.publish("b", {gauge("shared", {{"shared", {}, 2}}, "Shared.")}, {});
  store.publish("a", {gauge("shared", {{"shared", {}, 1}}, "Shared.")}, {});
  const auto text = render(store);
  EXPECT_EQ(text,
            "# HELP shared Shared.\n# TYPE shared gauge\n"
            "shared{collector=\"a\"} 1\nshared{collector=\"b\"} 2\n");
  EXPECT_TRUE(gleaner::testing::promtool_check_metrics(text).clean);
}

TEST(MetricStore, TwoTypesForOneNameTheCollectorFirstInTheConfigurationKeepsIt) {
  for (const bool zeta_publishes_first : {true, false}) {
    MetricStore store;
    store.set_precedence({"zeta", "alpha"});
    const auto zeta = [&] { return store.publish("zeta", {MetricFamily{"x", MetricType::counter, "", {{"x", {}, 5}}}}, {}); };
    const auto alpha = [&] { return store.publish("alpha", {gauge("x", {{"x", {}, 1}}), gauge("y", {{"y", {}, 2}})}, {}); };
    MetricStore::Published alpha_published;
    if (zeta_publishes_first) {
      zeta();
      alpha_published = alpha();
    } else {
      alpha_published = alpha();
      EXPECT_EQ(store.series("alpha"), 2u);
      zeta();
      EXPECT_THAT(store.recounted(), ::testing::Contains("alpha"));
    }
    const auto text = render(store);
    EXPECT_THAT(text, HasSubstr("# TYPE x counter\nx{collector=\"zeta\"} 5\n"));
    EXPECT_THAT(text, Not(HasSubstr("x{collector=\"alpha\"}")));
    EXPECT_THAT(text, HasSubstr("y{collector=\"alpha\"} 2\n"));
    EXPECT_EQ(store.series("alpha"), 1u);
    if (zeta_publishes_first) {
      EXPECT_EQ(alpha_published.conflicting, 1u);
      EXPECT_THAT(alpha_published.first_conflict, HasSubstr("zeta"));
    }
    EXPECT_TRUE(gleaner::testing::promtool_check_metrics(text).valid) << text;
    // Once zeta's result goes, alpha's family shows again.
    store.remove("zeta");
    EXPECT_THAT(render(store), HasSubstr("x{collector=\"alpha\"} 1\n"));
    EXPECT_EQ(store.series("alpha"), 2u);
  }
}

TEST(MetricStore, ARepublishedResultOfTheSameShapeKeepsWhatItMayShow) {
  MetricStore store;
  store.set_precedence({"zeta", "alpha"});
  store.publish("zeta", {MetricFamily{"x", MetricType::counter, "", {{"x", {}, 5}}}}, {});
  for (int value : {1, 2}) {
    const auto published = store.publish("alpha", {gauge("x", {{"x", {}, double(value)}}), gauge("y", {{"y", {}, 2}})}, {});
    EXPECT_EQ(published.conflicting, 1u);
    EXPECT_EQ(store.series("alpha"), 1u);
    EXPECT_THAT(render(store), Not(HasSubstr("x{collector=\"alpha\"}")));
  }
  store.remove("zeta");
  const auto published = store.publish("alpha", {gauge("x", {{"x", {}, 3}}), gauge("y", {{"y", {}, 2}})}, {});
  EXPECT_EQ(published.conflicting, 0u);
  EXPECT_THAT(render(store), HasSubstr("x{collector=\"alpha\"} 3\n"));
  EXPECT_EQ(store.series("alpha"), 2u);
}

// Who shows a name is decided per name from two claims (the first, and the
// first of another shape) rather than by comparing every claimant with
// every other. Checked here against the rule itself, written the slow way:
// a family shows unless a claim earlier in the configuration's order, on a
// name it takes, is of another name or type.
TEST(MetricStore, WhoShowsANameFollowsTheRuleThroughAnyPublishAndRemove) {
  struct Shape {
    std::string name;
    MetricType type;
  };
  // Two groups of names that clash within a group only; a collector prints
  // at most one family of each, so no clash is within its own output.
  const std::vector<std::vector<Shape>> groups = {
      {{"a", MetricType::gauge}, {"a", MetricType::untyped}, {"a", MetricType::counter}, {"a_total", MetricType::gauge}},
      {{"b", MetricType::gauge}, {"b", MetricType::counter}, {"b_created", MetricType::gauge}, {"b", MetricType::untyped}},
  };
  const std::vector<std::string> order = {"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"};
  MetricStore store;
  store.set_precedence(order);
  std::map<std::string, std::vector<Shape>> published;  // the model: what each collector printed

  const auto expected_series = [&](const std::string& collector) {
    std::size_t shown = 0;
    const auto& own = published.at(collector);
    const auto own_rank = std::find(order.begin(), order.end(), collector) - order.begin();
    for (std::size_t i = 0; i < own.size(); ++i) {
      bool hidden = false;
      for (const auto& name : names_taken_by(own[i].name, own[i].type)) {
        for (const auto& [other, shapes] : published) {
          const auto rank = std::find(order.begin(), order.end(), other) - order.begin();
          for (std::size_t j = 0; j < shapes.size(); ++j) {
            if (std::tie(rank, j) >= std::tie(own_rank, i)) continue;
            const auto taken = names_taken_by(shapes[j].name, shapes[j].type);
            if (std::find(taken.begin(), taken.end(), name) == taken.end()) continue;
            if (shapes[j].name != own[i].name || shapes[j].type != own[i].type) hidden = true;
          }
        }
      }
      shown += hidden ? 0 : 1;
    }
    return shown;
  };

  std::mt19937 random(20261130);
  for (int step = 0; step < 3000; ++step) {
    const auto& collector = order[random() % order.size()];
    if (random() % 4 == 0) {
      store.remove(collector);
      published.erase(collector);
    } else {
      std::vector<Shape> shapes;
      Families families;
      for (const auto& group : groups) {
        if (random() % 3 == 0) continue;
        const auto& shape = group[random() % group.size()];
        shapes.push_back(shape);
        families.push_back(MetricFamily{shape.name, shape.type, "", {{shape.name, {}, double(step)}}});
      }
      store.publish(collector, families, {});
      published[collector] = shapes;
    }
    for (const auto& name : order) {
      const auto expected = published.count(name) ? expected_series(name) : 0;
      ASSERT_EQ(store.series(name), expected) << "step " << step << ", collector " << name << "\n" << render(store);
      EXPECT_EQ(store.first_conflict(name).empty(), !published.count(name) || expected == published.at(name).size());
    }
  }
}

TEST(MetricStore, AHistogramKeepsTheNamesOfItsSamplesFromOtherFamilies) {
  MetricStore store;
  store.set_precedence({"a", "b"});
  store.publish("b", {gauge("x_sum", {{"x_sum", {}, 1}}), gauge("x_count_other", {{"x_count_other", {}, 1}})}, {});
  store.publish("a", {MetricFamily{"x", MetricType::histogram, "", {{"x_bucket", {{"le", "+Inf"}}, 1}, {"x_count", {}, 1}}}}, {});
  const auto text = render(store);
  EXPECT_THAT(text, Not(HasSubstr("x_sum{")));
  EXPECT_THAT(text, HasSubstr("x_count_other{collector=\"b\"} 1\n"));
  EXPECT_EQ(store.series("b"), 1u);
  const auto verdict = gleaner::testing::promtool_check_metrics(text);
  EXPECT_TRUE(verdict.clean) << verdict.output << text;
}

TEST(MetricStore, ReorderingTheConfigurationSettlesConflictsAgain) {
  MetricStore store;
  store.set_precedence({"a", "b"});
  store.publish("a", {gauge("x", {{"x", {}, 1}})}, {});
  store.publish("b", {MetricFamily{"x", MetricType::counter, "", {{"x", {}, 5}}}}, {});
  EXPECT_EQ(store.series("b"), 0u);
  store.set_precedence({"b", "a"});
  EXPECT_EQ(store.series("b"), 1u);
  EXPECT_EQ(store.series("a"), 0u);
  EXPECT_THAT(render(store), HasSubstr("# TYPE x counter\nx{collector=\"b\"} 5\n"));
}

TEST(MetricStore, AFamilyWithoutHelpGetsOneNamingItsCollector) {
  MetricStore store;
  store.set_precedence({"a", "b"});
  store.publish("b", {gauge("x", {{"x", {}, 2}}, "Told by b.")}, {});
  store.publish("a", {gauge("x", {{"x", {}, 1}}), gauge("y", {{"y", {}, 1}})}, {});
  const auto text = render(store);
  EXPECT_THAT(text, HasSubstr("# HELP x Told by b.\n"));
  EXPECT_THAT(text, HasSubstr("# HELP y Metric collected by gleaner collector \"a\".\n"));
  const auto verdict = gleaner::testing::promtool_check_metrics(text);
  EXPECT_TRUE(verdict.clean) << verdict.output << text;
}

TEST(MetricStore, OwnFamiliesComeLast) {
  MetricStore store;
  store.publish("a", {gauge("x", {{"x", {}, 1}}, "X.")}, {});
  const auto text = render(store, {gauge("gleaner_up", {{"gleaner_up", {}, 1}}, "Up.")});
  EXPECT_EQ(text,
            "# HELP x X.\n# TYPE x gauge\nx{collector=\"a\"} 1\n"
            "# HELP gleaner_up Up.\n# TYPE gleaner_up gauge\ngleaner_up 1\n");
}

TEST(MetricStore, PartsKeepTheCollectorsTextUntilSomethingChanges) {
  MetricStore store;
  store.publish("a", {gauge("x", {{"x", {}, 1}})}, {});
  const Families own = {gauge("gleaner_up", {{"gleaner_up", {}, 1}})};
  const auto first = store.render_parts(own);
  const auto second = store.render_parts(own);
  ASSERT_TRUE(first.stable);
  EXPECT_EQ(first.stable, second.stable);  // the same text, not rebuilt
  EXPECT_EQ(*first.stable + first.rest, render(store, own));
  store.publish("a", {gauge("x", {{"x", {}, 2}})}, {});
  const auto third = store.render_parts(own);
  EXPECT_NE(third.stable, first.stable);
  EXPECT_EQ(*third.stable + third.rest, render(store, own));
  store.remove("a");
  EXPECT_EQ(*store.render_parts(own).stable, "");
}

TEST(MetricStore, ACommandCannotPrintGleanersOwnNames) {
  MetricStore store;
  store.publish("a", {gauge("gleaner_up", {{"gleaner_up", {}, 5}})}, {});
  const Families own = {gauge("gleaner_up", {{"gleaner_up", {}, 1}})};
  const auto parts = store.render_parts(own);
  EXPECT_EQ(*parts.stable, "");
  EXPECT_EQ(store.series("a"), 0u);
}

TEST(MetricStore, HistogramsAndSummariesSurviveTheRoundTrip) {
  MetricStore store;
  MetricFamily histogram{"latency_seconds", MetricType::histogram, "Latency.", {
      {"latency_seconds_bucket", {{"le", "0.1"}}, 3},
      {"latency_seconds_bucket", {{"le", "1"}}, 7},
      {"latency_seconds_bucket", {{"le", "+Inf"}}, 9},
      {"latency_seconds_sum", {}, 4.5},
      {"latency_seconds_count", {}, 9},
  }};
  MetricFamily summary{"rpc_seconds", MetricType::summary, "RPC.", {
      {"rpc_seconds", {{"quantile", "0.5"}}, 0.2},
      {"rpc_seconds", {{"quantile", "0.99"}}, 0.9},
      {"rpc_seconds_sum", {}, 12},
      {"rpc_seconds_count", {}, 40},
  }};
  store.publish("h", {histogram, summary}, {});
  const auto text = render(store);
  EXPECT_THAT(text, HasSubstr("latency_seconds_bucket{collector=\"h\",le=\"0.1\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("latency_seconds_bucket{collector=\"h\",le=\"+Inf\"} 9\n"));
  EXPECT_THAT(text, HasSubstr("latency_seconds_sum{collector=\"h\"} 4.5\n"));
  EXPECT_THAT(text, HasSubstr("latency_seconds_count{collector=\"h\"} 9\n"));
  EXPECT_THAT(text, HasSubstr("rpc_seconds{collector=\"h\",quantile=\"0.99\"} 0.9\n"));
  EXPECT_THAT(text, HasSubstr("rpc_seconds_count{collector=\"h\"} 40\n"));
  const auto verdict = gleaner::testing::promtool_check_metrics(text);
  EXPECT_TRUE(verdict.clean) << verdict.output << text;
}

TEST(MetricStore, HelpAndLabelValuesAreEscaped) {
  MetricStore store;
  store.publish("e", {gauge("odd", {{"odd", {{"path", "C:\\dir \"x\"\nnext"}}, 1}}, "Line one\nline two \\ done")},
                {});
  const auto text = render(store);
  EXPECT_THAT(text, HasSubstr("# HELP odd Line one\\nline two \\\\ done\n"));
  EXPECT_THAT(text, HasSubstr("path=\"C:\\\\dir \\\"x\\\"\\nnext\""));
  const auto verdict = gleaner::testing::promtool_check_metrics(text);
  EXPECT_TRUE(verdict.clean) << verdict.output << text;
}

TEST(MetricStore, SpecialValuesAndExactIntegers) {
  MetricStore store;
  store.publish("v", {gauge("v", {{"v", {{"k", "nan"}}, NAN},
                                   {"v", {{"k", "inf"}}, INFINITY},
                                   {"v", {{"k", "big"}}, 270553174016.0},
                                   {"v", {{"k", "tiny"}}, 1e-9}})},
                {});
  const auto text = render(store);
  EXPECT_THAT(text, HasSubstr("k=\"big\"} 270553174016\n"));
  EXPECT_THAT(text, HasSubstr("k=\"tiny\"} 1e-09\n"));
  EXPECT_THAT(text, HasSubstr("k=\"nan\"} NaN\n"));
  EXPECT_THAT(text, HasSubstr("k=\"inf\"} +Inf\n"));
  EXPECT_TRUE(gleaner::testing::promtool_check_metrics(text).valid);
}

}  // namespace
}  // namespace gleaner::metrics
