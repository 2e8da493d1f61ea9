// OpenMetrics printed by real commands (README "Parsers", "What a collector
// may expose", "What it serves"): an exec collector's shell script prints
// info, stateset, gaugehistogram, `# UNIT` and `# EOF`; gleaner's
// OpenMetrics answer keeps the types (judged by the strict parser of the
// Prometheus Python client), its text answer passes `promtool check
// metrics`, and a real Prometheus preferring OpenMetrics stores the info
// and stateset series. Beside it, collectors printing what OpenMetrics
// refuses each cost what the README says, and both answers stay valid.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/daemon_fixture.h"
#include "tests/support/exposition_values.h"
#include "tests/support/http_client.h"
#include "tests/support/openmetrics_parser.h"
#include "tests/support/prometheus_server.h"
#include "tests/support/promtool.h"

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Printing {
  std::string name;
  std::string output;
};

const std::vector<Printing>& collectors() {
  static const std::vector<Printing> all = {
      {"om",
       "# TYPE build info\n"
       "# HELP build Build information.\n"
       "build_info{version=\"1.2\",revision=\"abc\"} 1\n"
       "# TYPE service_state stateset\n"
       "# HELP service_state State of the service.\n"
       "service_state{service_state=\"running\",unit=\"a\"} 1\n"
       "service_state{service_state=\"stopped\",unit=\"a\"} 0\n"
       "# TYPE queue_wait_seconds gaugehistogram\n"
       "# UNIT queue_wait_seconds seconds\n"
       "# HELP queue_wait_seconds Time the queued jobs have waited.\n"
       "queue_wait_seconds_bucket{le=\"0.5\"} 2\n"
       "queue_wait_seconds_bucket{le=\"+Inf\"} 5\n"
       "queue_wait_seconds_gcount 5\n"
       "queue_wait_seconds_gsum 7.5\n"
       "# TYPE jobs_seconds counter\n"
       "# UNIT jobs_seconds seconds\n"
       "jobs_seconds_total 12.5 # {trace_id=\"0a\"} 1.5 1700000000.5\n"
       "jobs_seconds_created 1700000000.25\n"
       "# EOF\n"},
      {"stateset_two", "# TYPE bad_state stateset\nbad_state{bad_state=\"a\"} 2\n# EOF\n"},
      {"info_zero", "# TYPE bad_build info\nbad_build_info{v=\"1\"} 0\n# EOF\n"},
      {"after_eof", "# TYPE fine gauge\nfine 1\n# EOF\nlate 2\n# TYPE later gauge\nlater 3\n"},
      {"unit_mismatch", "# TYPE disk_used gauge\n# UNIT disk_used bytes\ndisk_used 3\n# EOF\n"},
      {"type_twice", "# TYPE twice stateset\ntwice{twice=\"a\"} 1\n# TYPE twice info\ntwice{twice=\"b\"} 1\n# EOF\n"},
      {"no_inf", "# TYPE gh gaugehistogram\ngh_bucket{le=\"1\"} 1\ngh_gcount 1\ngh_gsum 0.5\n# EOF\n"},
  };
  return all;
}

constexpr const char* kPrometheus2Accept =
    "Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

class OpenMetricsInputTest : public DaemonFixture {
 protected:
  // gleaner with every collector, each a shell script printing its output;
  // the text exposition once all have run.
  std::string run_all() {
    std::string config = "collectors:\n";
    for (const auto& collector : collectors()) {
      const auto script = write(collector.name + ".sh",
                                "#!/bin/sh\ncat <<'END_OF_OUTPUT'\n" + collector.output + "END_OF_OUTPUT\n", true);
      config += "  - name: " + collector.name + "\n    plugin: exec\n    interval: 1h\n    command: [" + script + "]\n";
    }
    start(config);
    if (daemon_->port() == 0) return "";
    return scrape_until([](const std::string& body) {
      for (const auto& collector : collectors()) {
        if (!has_finished_a_run(body, collector.name)) return false;
      }
      return true;
    });
  }

  std::string openmetrics_body() {
    const auto reply = http_request(daemon_->port(), "/metrics", {kPrometheus2Accept});
    EXPECT_TRUE(reply && reply->status == 200);
    if (!reply) return "";
    EXPECT_EQ(reply->headers.at("content-type"), "application/openmetrics-text; version=1.0.0; charset=utf-8");
    return reply->body;
  }
};

const nlohmann::json* family_in(const nlohmann::json& families, std::string_view name) {
  for (const auto& family : families) {
    if (family["name"] == name) return &family;
  }
  return nullptr;
}

TEST_F(OpenMetricsInputTest, OpenMetricsTypesArePassedThroughAndHostileOnesCostWhatTheReadmeSays) {
  ASSERT_TRUE(openmetrics_parser_installed()) << "/usr/bin/python3 without prometheus_client: run .ci/install-deps";
  const auto text = run_all();
  for (const auto& collector : collectors()) {
    EXPECT_EQ(value_of(text, up_series(collector.name)), 1) << collector.name << "\n" << text;
  }

  // The text answer, as the Python client writes these types.
  const auto promtool = promtool_check_metrics(text);
  EXPECT_TRUE(promtool.valid) << promtool.output << "\n" << text;
  EXPECT_THAT(text, HasSubstr("# TYPE build_info gauge\nbuild_info{collector=\"om\",version=\"1.2\",revision=\"abc\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE service_state gauge\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE queue_wait_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE queue_wait_seconds_gsum gauge\nqueue_wait_seconds_gsum{collector=\"om\"} 7.5\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE jobs_seconds_total counter\njobs_seconds_total{collector=\"om\"} 12.5\n"));
  EXPECT_THAT(text, Not(HasSubstr("_created")));

  // The OpenMetrics answer keeps the types and units.
  const auto body = openmetrics_body();
  const auto verdict = openmetrics_check(body);
  ASSERT_TRUE(verdict.valid) << verdict.error << "\n" << body;
  const std::pair<const char*, const char*> types[] = {
      {"build", "info"},       {"service_state", "stateset"}, {"queue_wait_seconds", "gaugehistogram"},
      {"jobs_seconds", "counter"}, {"fine", "gauge"},          {"disk_used", "gauge"},
      {"twice", "stateset"},
      // What OpenMetrics refuses as its type: unknown, every value kept.
      {"bad_state", "unknown"}, {"bad_build_info", "unknown"}, {"gh_bucket", "unknown"}, {"gh_gcount", "unknown"},
      {"gh_gsum", "unknown"}};
  for (const auto& [name, type] : types) {
    const auto* family = family_in(verdict.families, name);
    ASSERT_NE(family, nullptr) << name << "\n" << body;
    EXPECT_EQ((*family)["type"], type) << name;
  }
  EXPECT_EQ((*family_in(verdict.families, "queue_wait_seconds"))["unit"], "seconds");
  EXPECT_EQ((*family_in(verdict.families, "jobs_seconds"))["unit"], "seconds");
  EXPECT_EQ((*family_in(verdict.families, "disk_used"))["unit"], "");
  EXPECT_EQ((*family_in(verdict.families, "bad_state"))["samples"][0]["value"], 2);
  EXPECT_EQ((*family_in(verdict.families, "bad_build_info"))["samples"][0]["value"], 0);
  EXPECT_EQ((*family_in(verdict.families, "twice"))["samples"].size(), 1u);
  EXPECT_EQ(family_in(verdict.families, "late"), nullptr);
  EXPECT_EQ(family_in(verdict.families, "later"), nullptr);
  EXPECT_THAT(body, Not(HasSubstr("trace_id")));

  // What each cost: lines after # EOF, a UNIT that is not the name's end,
  // a TYPE declared again differently (and its block) are bad lines; a
  // value OpenMetrics refuses costs nothing.
  const std::pair<const char*, double> malformed[] = {{"om", 0},        {"stateset_two", 0}, {"info_zero", 0},
                                                      {"after_eof", 3}, {"unit_mismatch", 1}, {"type_twice", 2},
                                                      {"no_inf", 0}};
  for (const auto& [collector, count] : malformed) {
    EXPECT_EQ(value_of(text, dropped_series(collector, "malformed")), count) << collector;
    for (const char* reason : {"reserved", "conflict", "duplicate"}) {
      EXPECT_EQ(value_of(text, dropped_series(collector, reason)), 0) << collector << " " << reason;
    }
  }
}

// Seconds to wait for Prometheus: its start and first scrapes on a loaded
// machine.
constexpr auto kPrometheusPatience = std::chrono::seconds(40);

TEST_F(OpenMetricsInputTest, ARealPrometheusStoresTheInfoAndStatesetSeries) {
  ASSERT_TRUE(prometheus_installed()) << "no prometheus binary: run .ci/install-deps";
  run_all();
  PrometheusServer prometheus(daemon_->port());
  ASSERT_TRUE(prometheus.ready()) << prometheus.log();

  const auto result_of = [&](const std::string& promql) {
    const auto answer = prometheus.query(promql);
    return answer.contains("data") ? answer["data"]["result"] : nlohmann::json::array();
  };
  const bool stored = eventually([&] { return result_of("service_state").size() == 2; }, kPrometheusPatience);
  ASSERT_TRUE(stored) << prometheus.log();
  const auto target = prometheus.first_active_target();
  ASSERT_TRUE(target);
  EXPECT_EQ(target->value("health", std::string()), "up") << target->dump();
  EXPECT_EQ(target->value("lastError", std::string("?")), "") << target->dump();

  const auto info = result_of("build_info");
  ASSERT_EQ(info.size(), 1u) << info.dump();
  EXPECT_EQ(info[0]["metric"]["version"], "1.2");
  EXPECT_EQ(info[0]["value"][1], "1");
  const auto running = result_of("service_state{service_state=\"running\"}");
  ASSERT_EQ(running.size(), 1u) << running.dump();
  EXPECT_EQ(running[0]["value"][1], "1");
  EXPECT_EQ(result_of("queue_wait_seconds_gcount").size(), 1u);
  EXPECT_EQ(result_of("queue_wait_seconds_bucket").size(), 2u);
  EXPECT_EQ(result_of("jobs_seconds_total").size(), 1u);
  EXPECT_TRUE(result_of("jobs_seconds_created").empty());
  // The families OpenMetrics refuses as their type are stored too.
  EXPECT_EQ(result_of("bad_state").size(), 1u);
  EXPECT_EQ(result_of("gh_bucket").size(), 1u);
}

}  // namespace
}  // namespace gleaner::testing
