// Every collector isolated: what one command prints can neither break the
// exposition nor reach another collector's series or gleaner's own. Names
// reserved for gleaner are dropped and counted; printed labels that clash
// are renamed exported_…; two collectors that disagree on a family's TYPE
// leave it to the one configured first; values, bounds and quantiles pass
// through as printed; every family has a HELP; promtool finds nothing but
// advice about names the commands chose.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/daemon_fixture.h"
#include "tests/support/daemon_process.h"
#include "tests/support/exposition_reader.h"
#include "tests/support/exposition_values.h"
#include "tests/support/printing_collectors.h"
#include "tests/support/promtool.h"

namespace gleaner::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

using Labels = std::map<std::string, std::string>;

std::vector<std::string> names_of(const std::vector<PrintingCollector>& collectors) {
  std::vector<std::string> names;
  for (const auto& collector : collectors) names.push_back(collector.name);
  return names;
}

std::set<std::string> label_values(const std::vector<ExposedSample>& samples, const std::string& label) {
  std::set<std::string> values;
  for (const auto& sample : samples) values.insert(sample.label(label).value_or("<none>"));
  return values;
}

// What every exposition must be, whatever the commands printed: valid for
// promtool with no finding but naming advice; no label name twice in a
// series; no family under two TYPE or HELP lines; no series twice.
void expect_sound(const std::string& body) {
  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.valid) << verdict.output << "\n" << body;
  EXPECT_THAT(lint_beyond_command_names(verdict), IsEmpty()) << body;
  const auto text = read_exposition(body);
  EXPECT_THAT(text.unreadable, IsEmpty());
  EXPECT_THAT(text.duplicate_label_names(), IsEmpty());
  EXPECT_THAT(text.families_with_two_headers(), IsEmpty());
  EXPECT_THAT(text.repeated_series(), IsEmpty());
}

// The dropped_series_total series that are missing: every collector has
// all four reasons.
std::vector<std::string> missing_drop_reasons(const std::string& body, const std::vector<std::string>& collectors) {
  std::vector<std::string> missing;
  for (const auto& name : collectors) {
    for (const char* reason : kDropReasons) {
      if (!value_of(body, dropped_series(name, reason))) missing.push_back(dropped_series(name, reason));
    }
  }
  return missing;
}

// Exactly one gleaner_collector_up series per collector, and no other.
void expect_one_up_each(const std::string& body, const std::vector<std::string>& collectors) {
  const auto text = read_exposition(body);
  for (const auto& name : collectors) {
    EXPECT_EQ(text.with_label("gleaner_collector_up", "collector", name).size(), 1u)
        << "gleaner_collector_up of " << name;
  }
  EXPECT_EQ(text.named("gleaner_collector_up").size(), collectors.size());
  EXPECT_THAT(text.types_of("gleaner_collector_up"), ElementsAre("gauge"));
}

class IsolationTest : public DaemonFixture {
 protected:
  // Starts gleaner with these collectors and scrapes until each of them
  // has finished its first run.
  std::string run_collectors(const std::vector<PrintingCollector>& collectors) {
    start(printing_collectors_config(collectors));
    if (daemon_->port() == 0) return "";  // it refused the configuration: the log says why
    const auto names = names_of(collectors);
    return scrape_until([&](const std::string& body) {
      for (const auto& name : names) {
        if (!has_finished_a_run(body, name)) return false;
      }
      return true;
    });
  }

  // Two collectors print families of the same names with different TYPEs
  // (and a histogram against a gauge of its _count, a summary against a
  // gauge of its _sum); `first` comes first in the configuration and keeps
  // them all, whatever the names' alphabetical order.
  void expect_the_first_configured_keeps_the_family(const std::string& first, const std::string& second) {
    const std::vector<PrintingCollector> collectors = {
        {first,
         "# HELP shared The first collector's text.\n"
         "# TYPE shared gauge\n"
         "shared{k=\"1\"} 1\n"
         "# TYPE lat histogram\n"
         "lat_bucket{le=\"1\"} 1\n"
         "lat_bucket{le=\"+Inf\"} 2\n"
         "lat_sum 0.5\n"
         "lat_count 2\n"
         "# TYPE rq_sum gauge\n"
         "rq_sum 7\n"
         "# HELP helped The first collector's help.\n"
         "# TYPE helped gauge\n"
         "helped{k=\"first\"} 1\n"
         "first_own 1\n"},
        {second,
         "# HELP shared The second collector's text.\n"
         "# TYPE shared counter\n"
         "shared{k=\"2\"} 2\n"
         "# TYPE lat_count gauge\n"
         "lat_count 9\n"
         "# TYPE rq summary\n"
         "rq{quantile=\"0.5\"} 1\n"
         "rq_sum 3\n"
         "rq_count 4\n"
         "# HELP helped The second collector's help.\n"
         "# TYPE helped gauge\n"
         "helped{k=\"second\"} 2\n"
         "second_own 1\n"},
    };
    const auto body = run_collectors(collectors);
    const auto text = read_exposition(body);

    EXPECT_THAT(text.types_of("shared"), ElementsAre("gauge"));
    EXPECT_THAT(text.helps_of("shared"), ElementsAre("The first collector's text."));
    EXPECT_THAT(label_values(text.named("shared"), "collector"), ElementsAre(first));

    EXPECT_THAT(text.types_of("lat"), ElementsAre("histogram"));
    EXPECT_THAT(text.types_of("lat_count"), IsEmpty());
    ASSERT_EQ(text.named("lat_count").size(), 1u) << body;
    EXPECT_EQ(text.named("lat_count")[0].label("collector"), first);
    EXPECT_EQ(text.named("lat_count")[0].number(), 2);

    EXPECT_THAT(text.types_of("rq_sum"), ElementsAre("gauge"));
    EXPECT_THAT(text.types_of("rq"), IsEmpty());
    EXPECT_THAT(text.named("rq"), IsEmpty());
    EXPECT_THAT(text.named("rq_count"), IsEmpty());
    ASSERT_EQ(text.named("rq_sum").size(), 1u) << body;
    EXPECT_EQ(text.named("rq_sum")[0].number(), 7);

    // HELP differences are no conflict: the first text, both series.
    EXPECT_THAT(text.helps_of("helped"), ElementsAre("The first collector's help."));
    EXPECT_THAT(label_values(text.named("helped"), "collector"), UnorderedElementsAre(first, second));

    // shared, lat_count and rq's three series were dropped; the rest stays.
    EXPECT_EQ(value_of(body, dropped_series(second, "conflict")), 5) << body;
    EXPECT_EQ(value_of(body, dropped_series(first, "conflict")), 0) << body;
    EXPECT_EQ(value_of(body, series_count_series(second)), 2) << body;
    EXPECT_EQ(value_of(body, series_count_series(first)), 8) << body;
    EXPECT_EQ(value_of(body, up_series(first)), 1);
    EXPECT_EQ(value_of(body, up_series(second)), 1);
    EXPECT_EQ(text.find("second_own", {{"collector", second}}).size(), 1u);
    EXPECT_EQ(text.find("first_own", {{"collector", first}}).size(), 1u);

    // A warning names the collector that lost and the family.
    bool warned = false;
    std::istringstream log(daemon_->log());
    for (std::string line; std::getline(log, line);) {
      if (has(line, " warn") && has(line, second) && has(line, "shared")) warned = true;
    }
    EXPECT_TRUE(warned) << daemon_->log();
    expect_sound(body);
  }
};

TEST_F(IsolationTest, PrintedAndConfiguredLabelsNeverRepeatALabelName) {
  const std::vector<PrintingCollector> collectors = {
      {"evil", "foo{collector=\"a\",exported_collector=\"b\"} 1\n"},
      {"jsonish", R"({"c": "x", "e": "y", "v": 3})",
       "parser: {type: json, labels: {collector: c, exported_collector: e}, values: {json_value: v}}"},
      {"teamed", "bar{team=\"x\",exported_team=\"y\"} 2\n", "labels: {team: infra}"},
      {"plain", "plain_value 4\n"},
  };
  const auto body = run_collectors(collectors);
  const auto text = read_exposition(body);
  EXPECT_EQ(
      text.find("foo", {{"collector", "evil"}, {"exported_exported_collector", "a"}, {"exported_collector", "b"}})
          .size(),
      1u)
      << body;
  EXPECT_EQ(text.find("json_value",
                      {{"collector", "jsonish"}, {"exported_exported_collector", "x"}, {"exported_collector", "y"}})
                .size(),
            1u)
      << body;
  EXPECT_EQ(text.find("bar", {{"collector", "teamed"},
                              {"team", "infra"},
                              {"exported_exported_team", "x"},
                              {"exported_team", "y"}})
                .size(),
            1u)
      << body;
  EXPECT_EQ(text.find("plain_value", {{"collector", "plain"}}).size(), 1u) << body;
  for (const auto& name : names_of(collectors)) EXPECT_EQ(value_of(body, up_series(name)), 1) << name;
  expect_sound(body);
}

TEST_F(IsolationTest, SelfMetricsCannotBeHiddenOrForged) {
  const std::vector<PrintingCollector> collectors = {
      {"untyped_up", "gleaner_collector_up 1\nuntyped_up_own 1\n"},
      {"typed_up", "# TYPE gleaner_collector_up gauge\ngleaner_collector_up 0\ntyped_up_own 1\n"},
      {"forger",
       "# TYPE process_resident_memory_bytes gauge\n"
       "process_resident_memory_bytes 1\n"
       "gleaner_build_info{version=\"forged\"} 1\n"
       "process_made_up_total 3\n"
       "forger_own 1\n"},
      {"broken", "gleaner_collector_up{collector=\"broken\"} 1\n", "", 3},
  };
  const auto body = run_collectors(collectors);
  const auto text = read_exposition(body);
  expect_one_up_each(body, names_of(collectors));
  EXPECT_EQ(value_of(body, up_series("untyped_up")), 1);
  EXPECT_EQ(value_of(body, up_series("typed_up")), 1);
  EXPECT_EQ(value_of(body, up_series("forger")), 1);
  EXPECT_EQ(value_of(body, up_series("broken")), 0);
  EXPECT_EQ(value_of(body, failures_series("broken", "exit_code")), 1);

  EXPECT_EQ(value_of(body, dropped_series("untyped_up", "reserved")), 1) << body;
  EXPECT_EQ(value_of(body, dropped_series("typed_up", "reserved")), 1) << body;
  EXPECT_EQ(value_of(body, dropped_series("forger", "reserved")), 3) << body;
  EXPECT_THAT(missing_drop_reasons(body, names_of(collectors)), IsEmpty());

  ASSERT_EQ(text.named("process_resident_memory_bytes").size(), 1u) << body;
  EXPECT_EQ(text.named("process_resident_memory_bytes")[0].label("collector"), std::nullopt);
  EXPECT_THAT(text.named("process_made_up_total"), IsEmpty());
  ASSERT_EQ(text.named("gleaner_build_info").size(), 1u) << body;
  EXPECT_NE(text.named("gleaner_build_info")[0].label("version"), "forged");

  EXPECT_EQ(text.find("untyped_up_own", {{"collector", "untyped_up"}}).size(), 1u);
  EXPECT_EQ(text.find("typed_up_own", {{"collector", "typed_up"}}).size(), 1u);
  EXPECT_EQ(text.find("forger_own", {{"collector", "forger"}}).size(), 1u);
  EXPECT_EQ(value_of(body, series_count_series("untyped_up")), 1);
  EXPECT_EQ(value_of(body, series_count_series("typed_up")), 1);
  EXPECT_EQ(value_of(body, series_count_series("forger")), 1);
  expect_sound(body);
  // The status page says what a collector's last run had dropped, and why.
  const auto page = http_get(daemon_->port(), "/");
  ASSERT_TRUE(page && page->status == 200);
  EXPECT_THAT(page->body, HasSubstr("series dropped: </span>3 reserved: family"));
}

TEST_F(IsolationTest, OnceAppliesTheSameRules) {
  const std::vector<PrintingCollector> collectors = {
      {"evil", "foo{collector=\"a\",exported_collector=\"b\"} 1\n"},
      {"teamed", "bar{team=\"x\",exported_team=\"y\"} 2\n", "labels: {team: infra}"},
      {"forger", "gleaner_collector_up 0\nprocess_open_fds 12345\nforger_own 1\n"},
  };
  const auto once = run_gleaner({"--config", write_config(printing_collectors_config(collectors)), "--once"});
  EXPECT_EQ(once.exit_code, 0) << once.err;
  const auto text = read_exposition(once.out);
  EXPECT_EQ(
      text.find("foo", {{"collector", "evil"}, {"exported_exported_collector", "a"}, {"exported_collector", "b"}})
          .size(),
      1u)
      << once.out;
  EXPECT_EQ(text.find("bar", {{"collector", "teamed"},
                              {"team", "infra"},
                              {"exported_exported_team", "x"},
                              {"exported_team", "y"}})
                .size(),
            1u)
      << once.out;
  EXPECT_EQ(text.find("forger_own", {{"collector", "forger"}}).size(), 1u) << once.out;
  EXPECT_THAT(text.with_label("process_open_fds", "collector", "forger"), IsEmpty()) << once.out;
  for (const auto& sample : text.named("process_open_fds")) EXPECT_NE(sample.value, "12345");
  // Whatever --once prints of gleaner's own, the command cannot add to it.
  EXPECT_LE(text.with_label("gleaner_collector_up", "collector", "forger").size(), 1u) << once.out;
  for (const auto& sample : text.with_label("gleaner_collector_up", "collector", "forger")) {
    EXPECT_EQ(sample.number(), 1) << once.out;
  }
  expect_sound(once.out);
}

TEST_F(IsolationTest, TheFirstConfiguredCollectorKeepsAContestedFamily) {
  // Configured first, alphabetically last.
  expect_the_first_configured_keeps_the_family("zeta", "alpha");
}

TEST_F(IsolationTest, TheFirstConfiguredCollectorKeepsAContestedFamilyWhateverItsName) {
  expect_the_first_configured_keeps_the_family("alpha", "zeta");
}

TEST_F(IsolationTest, ValuesPassThroughBitForBit) {
  struct Expected {
    std::string name;
    Labels labels;
    std::string printed;
  };
  const std::vector<Expected> expected = {
      {"exact_hist_bucket", {{"le", "100"}}, "123.5"},
      {"exact_hist_bucket", {{"le", "+Inf"}}, "2693.9"},
      {"exact_hist_sum", {}, "0.30000000000000004"},
      {"exact_hist_count", {}, "2693.9"},
      {"exact_summary", {{"quantile", "0.5"}}, "1.0000000000000002"},
      {"exact_summary_sum", {}, "9007199254740993"},
      {"exact_summary_count", {}, "17.25"},
      {"exact_gauge", {{"v", "big"}}, "9007199254740993"},
      {"exact_gauge", {{"v", "huge"}}, "123456789012345678901234567890"},
      {"exact_gauge", {{"v", "tiny"}}, "1e-300"},
      {"exact_gauge", {{"v", "denormal"}}, "5e-324"},
      {"exact_gauge", {{"v", "max"}}, "1.7976931348623157e+308"},
      {"exact_gauge", {{"v", "third"}}, "0.30000000000000004"},
      {"exact_gauge", {{"v", "nan"}}, "NaN"},
      {"exact_gauge", {{"v", "inf"}}, "+Inf"},
      {"exact_gauge", {{"v", "minus_inf"}}, "-Inf"},
      {"exact_gauge", {{"v", "negative_zero"}}, "-0"},
      {"exact_total", {}, "18446744073709551615"},
      {"exact_untyped", {}, "0.1"},
  };
  const std::string output =
      "# TYPE exact_hist histogram\n"
      "exact_hist_bucket{le=\"100\"} 123.5\n"
      "exact_hist_bucket{le=\"+Inf\"} 2693.9\n"
      "exact_hist_sum 0.30000000000000004\n"
      "exact_hist_count 2693.9\n"
      "# TYPE exact_summary summary\n"
      "exact_summary{quantile=\"0.5\"} 1.0000000000000002\n"
      "exact_summary_sum 9007199254740993\n"
      "exact_summary_count 17.25\n"
      "# TYPE exact_gauge gauge\n"
      "exact_gauge{v=\"big\"} 9007199254740993\n"
      "exact_gauge{v=\"huge\"} 123456789012345678901234567890\n"
      "exact_gauge{v=\"tiny\"} 1e-300\n"
      "exact_gauge{v=\"denormal\"} 5e-324\n"
      "exact_gauge{v=\"max\"} 1.7976931348623157e+308\n"
      "exact_gauge{v=\"third\"} 0.30000000000000004\n"
      "exact_gauge{v=\"nan\"} NaN\n"
      "exact_gauge{v=\"inf\"} +Inf\n"
      "exact_gauge{v=\"minus_inf\"} -Inf\n"
      "exact_gauge{v=\"negative_zero\"} -0\n"
      "# TYPE exact_total counter\n"
      "exact_total 18446744073709551615\n"
      "exact_untyped 0.1\n";
  const auto body = run_collectors({{"exact", output}});
  const auto text = read_exposition(body);
  for (const auto& series : expected) {
    auto labels = series.labels;
    labels["collector"] = "exact";
    const auto found = text.find(series.name, labels);
    ASSERT_EQ(found.size(), 1u) << series.name << " " << series.printed << "\n" << body;
    EXPECT_TRUE(same_double(found[0].number(), printed_number(series.printed)))
        << found[0].line << " should stand for " << series.printed;
  }
  expect_sound(body);
}

TEST_F(IsolationTest, BoundsAndQuantilesKeepTheirPrintedFormAndNothingIsInvented) {
  const std::string output =
      "# TYPE bounds histogram\n"
      "bounds_bucket{le=\"0.5\"} 1\n"
      "bounds_bucket{le=\"1\"} 2\n"
      "bounds_bucket{le=\"1.0\"} 99\n"
      "bounds_bucket{le=\"1e3\"} 3\n"
      "bounds_bucket{le=\"+Inf\"} 4\n"
      "bounds_sum 5\n"
      "bounds_count 4\n"
      "# TYPE quantiles summary\n"
      "quantiles{quantile=\"0.50\"} 1\n"
      "quantiles{quantile=\"0.5\"} 99\n"
      "quantiles{quantile=\"0.990\"} 2\n"
      "quantiles_sum 3\n"
      "quantiles_count 4\n"
      "# TYPE nocount histogram\n"
      "nocount_bucket{le=\"1\"} 1\n"
      "nocount_bucket{le=\"+Inf\"} 2\n"
      "nocount_sum 3\n"
      "# TYPE noinf histogram\n"
      "noinf_bucket{le=\"1\"} 1\n"
      "noinf_sum 3\n"
      "noinf_count 2\n"
      "# TYPE bare summary\n"
      "bare_sum 1\n";
  const auto body = run_collectors({{"bounds", output}});
  const auto text = read_exposition(body);

  EXPECT_THAT(label_values(text.named("bounds_bucket"), "le"), UnorderedElementsAre("0.5", "1", "1e3", "+Inf"))
      << body;
  ASSERT_EQ(text.with_label("bounds_bucket", "le", "1").size(), 1u) << body;
  EXPECT_EQ(text.with_label("bounds_bucket", "le", "1")[0].number(), 2);
  EXPECT_THAT(label_values(text.named("quantiles"), "quantile"), UnorderedElementsAre("0.50", "0.990")) << body;
  ASSERT_EQ(text.with_label("quantiles", "quantile", "0.50").size(), 1u) << body;
  EXPECT_EQ(text.with_label("quantiles", "quantile", "0.50")[0].number(), 1);
  EXPECT_EQ(value_of(body, dropped_series("bounds", "duplicate")), 2) << body;

  EXPECT_THAT(text.named("nocount_count"), IsEmpty()) << body;
  EXPECT_EQ(text.named("nocount_bucket").size(), 2u);
  EXPECT_THAT(label_values(text.named("noinf_bucket"), "le"), ElementsAre("1")) << body;
  EXPECT_EQ(text.named("noinf_count").size(), 1u);
  EXPECT_THAT(text.named("bare_count"), IsEmpty()) << body;
  EXPECT_THAT(text.named("bare"), IsEmpty()) << body;
  EXPECT_EQ(text.named("bare_sum").size(), 1u) << body;
  EXPECT_EQ(value_of(body, up_series("bounds")), 1);
  expect_sound(body);
}

TEST_F(IsolationTest, EquivalentBoundsFailTheRunWhenTheParserMustNotSkip) {
  const std::vector<PrintingCollector> collectors = {
      {"strict",
       "# TYPE bounds histogram\n"
       "bounds_bucket{le=\"1\"} 2\n"
       "bounds_bucket{le=\"1.0\"} 2\n"
       "bounds_bucket{le=\"+Inf\"} 4\n"
       "bounds_sum 5\n"
       "bounds_count 4\n",
       "parser: {type: prometheus, on_error: fail}"},
      {"fine", "fine_value 1\n"},
  };
  const auto body = run_collectors(collectors);
  EXPECT_EQ(value_of(body, failures_series("strict", "parse")), 1) << body << daemon_->log();
  EXPECT_EQ(value_of(body, up_series("strict")), 0);
  EXPECT_THAT(read_exposition(body).named("bounds_bucket"), IsEmpty());
  EXPECT_EQ(value_of(body, "fine_value{collector=\"fine\"}"), 1);
  expect_sound(body);
}

TEST_F(IsolationTest, AMalformedLineIsSkippedAndCountedTheRestPublished) {
  const auto body = run_collectors({{"sloppy",
                                     "before 1\n"
                                     "this is { not a metric\n"
                                     "# TYPE after gauge\n"
                                     "after{x=\"1\"} 2\n"}});
  EXPECT_EQ(value_of(body, "before{collector=\"sloppy\"}"), 1) << body << daemon_->log();
  const auto text = read_exposition(body);
  EXPECT_EQ(text.find("after", {{"collector", "sloppy"}, {"x", "1"}}).size(), 1u);
  EXPECT_EQ(value_of(body, dropped_series("sloppy", "malformed")), 1) << body;
  EXPECT_EQ(value_of(body, up_series("sloppy")), 1);
  EXPECT_EQ(value_of(body, failures_series("sloppy", "parse")), 0);
  expect_sound(body);
}

TEST_F(IsolationTest, InterleavedFamiliesAreMerged) {
  const auto body = run_collectors({{"interleaved", "a 1\nb 1\na{x=\"1\"} 2\n"}});
  const auto text = read_exposition(body);
  EXPECT_EQ(text.find("a", {{"collector", "interleaved"}}).size(), 1u) << body << daemon_->log();
  EXPECT_EQ(text.find("a", {{"collector", "interleaved"}, {"x", "1"}}).size(), 1u) << body;
  EXPECT_EQ(text.find("b", {{"collector", "interleaved"}}).size(), 1u) << body;
  EXPECT_EQ(value_of(body, up_series("interleaved")), 1);
  // The text format wants a family's lines together.
  std::vector<std::string> order;
  for (const auto& sample : text.samples) {
    if ((sample.name == "a" || sample.name == "b") && (order.empty() || order.back() != sample.name)) {
      order.push_back(sample.name);
    }
  }
  EXPECT_THAT(order, UnorderedElementsAre("a", "b")) << body;
  expect_sound(body);
}

TEST_F(IsolationTest, TwoFilesSharingAFamilyAreMerged) {
  const auto one = write("one.prom", "# HELP files_value From a file.\n# TYPE files_value gauge\nfiles_value{f=\"1\"} 1\n");
  const auto two = write("two.prom", "# HELP files_value From a file.\n# TYPE files_value gauge\nfiles_value{f=\"2\"} 2\n");
  start("collectors:\n  - {name: files, plugin: exec, interval: 1h, command: [cat, " + one + ", " + two + "]}\n");
  const auto body = scrape_until([](const std::string& b) { return has_finished_a_run(b, "files"); });
  const auto text = read_exposition(body);
  EXPECT_EQ(text.find("files_value", {{"collector", "files"}, {"f", "1"}}).size(), 1u) << body << daemon_->log();
  EXPECT_EQ(text.find("files_value", {{"collector", "files"}, {"f", "2"}}).size(), 1u) << body;
  EXPECT_THAT(text.helps_of("files_value"), ElementsAre("From a file."));
  EXPECT_EQ(value_of(body, up_series("files")), 1);
  expect_sound(body);
}

TEST_F(IsolationTest, EveryFamilyHasHelpAndPromtoolHasNothingToSayAboutOurs) {
  const std::vector<PrintingCollector> collectors = {
      {"keyvalue_source", "apples=3\npears=5\n", "parser: {type: keyvalue, prefix: fruit_}"},
      {"json_source", R"({"v": 3})", "parser: {type: json, values: {json_thing: v}}"},
      {"table_source", "name size\na 1\nb 2\n",
       "parser: {type: table, labels: [name], values: {size: table_size}}"},
      {"regex_source", "x=1\n",
       "parser: {type: regex, pattern: '(?P<v>[0-9]+)', values: {v: regex_value}}"},
      {"value_source", "42\n", "parser: {type: value, metric: plain_number}"},
      {"text_source",
       "untyped_family 1\n# TYPE typed_family gauge\ntyped_family 2\n# HELP blank_help \nblank_help 3\n"},
  };
  const auto body = run_collectors(collectors);
  const auto text = read_exposition(body);
  const std::vector<std::pair<std::string, std::string>> family_of_collector = {
      {"fruit_apples", "keyvalue_source"}, {"fruit_pears", "keyvalue_source"}, {"json_thing", "json_source"},
      {"table_size", "table_source"},      {"regex_value", "regex_source"},   {"plain_number", "value_source"},
      {"untyped_family", "text_source"},   {"typed_family", "text_source"},   {"blank_help", "text_source"},
  };

  for (const auto& [family, collector] : family_of_collector) {
    EXPECT_FALSE(text.named(family).empty()) << family;
    const auto helps = text.helps_of(family);
    EXPECT_EQ(helps.size(), 1u) << family;
    if (helps.size() == 1) {
      EXPECT_THAT(helps[0], HasSubstr(collector)) << family;
    }
  }
  EXPECT_THAT(text.families_without_help(), IsEmpty()) << body;
  const auto verdict = promtool_check_metrics(body);
  EXPECT_THAT(verdict.output, Not(HasSubstr("no help text"))) << body;
  expect_sound(body);
}

}  // namespace
}  // namespace gleaner::testing
