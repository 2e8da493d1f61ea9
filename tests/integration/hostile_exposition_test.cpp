// Whatever every collector prints, together: random hostile Prometheus text
// from a fixed list of seeds (reserved names, clashing label names, TYPEs
// that differ between collectors, suffix clashes, float counts, odd bounds,
// escapes, UTF-8, empty families, malformed lines) in one daemon, and the
// joined exposition must stay valid, every collector up, no label name
// twice, no family under two TYPE lines. The same in OpenMetrics, judged by
// the strict parser of the Prometheus Python client, whichever escaping
// scheme is asked, gzip or not. Then a real Prometheus scrapes such a
// daemon in OpenMetrics, as it prefers, and must report no error.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/daemon_fixture.h"
#include "tests/support/exposition_reader.h"
#include "tests/support/exposition_values.h"
#include "tests/support/hostile_exposition.h"
#include "tests/support/http_client.h"
#include "tests/support/openmetrics_parser.h"
#include "tests/support/prometheus_server.h"
#include "tests/support/promtool.h"

namespace gleaner::testing {
namespace {

using ::testing::IsEmpty;

class HostileExpositionTest : public DaemonFixture {
 protected:
  // gleaner with these collectors, each `cat`ting its output from a file;
  // the exposition once every collector has finished its first run.
  std::string run_hostile(const std::vector<HostileCollector>& collectors) {
    std::ostringstream config;
    config << "collectors:\n";
    for (const auto& collector : collectors) {
      const auto file = write(collector.name + ".prom", collector.output);
      config << "  - name: " << collector.name << "\n"
             << "    plugin: exec\n"
             << "    interval: 1h\n"
             << "    command: [cat, " << file << "]\n";
      if (!collector.labels.empty()) config << "    labels: " << collector.labels << "\n";
    }
    start(config.str());
    if (daemon_->port() == 0) return "";
    return scrape_until([&](const std::string& body) {
      for (const auto& collector : collectors) {
        if (!has_finished_a_run(body, collector.name)) return false;
      }
      return true;
    });
  }

  static std::string outputs(const std::vector<HostileCollector>& collectors) {
    std::ostringstream text;
    for (const auto& collector : collectors) {
      text << "--- " << collector.name << (collector.labels.empty() ? "" : " labels " + collector.labels) << "\n"
           << collector.output;
    }
    return text.str();
  }
};

class HostileSeedTest : public HostileExpositionTest, public ::testing::WithParamInterface<std::uint64_t> {};

TEST_P(HostileSeedTest, TheJoinedExpositionStaysValid) {
  const std::uint64_t seed = GetParam();
  SCOPED_TRACE("seed " + std::to_string(seed));
  HostileExpositionGenerator generator(seed);
  const auto collectors = generator.collectors(8 + static_cast<int>(seed % 5));
  const auto body = run_hostile(collectors);
  const auto what_they_printed = outputs(collectors);

  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.valid) << verdict.output << "\n" << body << "\nprinted:\n" << what_they_printed;
  EXPECT_THAT(lint_beyond_command_names(verdict), IsEmpty()) << body << "\nprinted:\n" << what_they_printed;

  const auto text = read_exposition(body);
  EXPECT_THAT(text.unreadable, IsEmpty());
  EXPECT_THAT(text.duplicate_label_names(), IsEmpty()) << "printed:\n" << what_they_printed;
  EXPECT_THAT(text.families_with_two_headers(), IsEmpty()) << "printed:\n" << what_they_printed;
  EXPECT_THAT(text.repeated_series(), IsEmpty()) << "printed:\n" << what_they_printed;
  EXPECT_THAT(text.families_without_help(), IsEmpty());
  EXPECT_EQ(text.named("gleaner_collector_up").size(), collectors.size());
  for (const auto& collector : collectors) {
    const auto up = text.with_label("gleaner_collector_up", "collector", collector.name);
    ASSERT_EQ(up.size(), 1u) << collector.name << "\n" << body;
    EXPECT_EQ(up[0].number(), 1) << collector.name << " printed:\n" << collector.output << "\nlog:\n"
                                 << daemon_->log();
    EXPECT_FALSE(text.with_label(collector.own, "collector", collector.name).empty())
        << collector.name << "'s own series\n" << collector.output;
    for (const char* reason : kDropReasons) {
      if (!value_of(body, dropped_series(collector.name, reason))) {
        ADD_FAILURE() << "no " << dropped_series(collector.name, reason);
        break;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, HostileSeedTest, ::testing::Values(1, 2, 3, 5, 8, 13, 21, 34));

// What Prometheus 2 sends, word for word, and Prometheus 3 with each
// escaping scheme it may ask for.
constexpr const char* kPrometheus2Accept =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
std::string prometheus3_accept(const std::string& escaping) {
  return "application/openmetrics-text;version=1.0.0;escaping=" + escaping +
         ";q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=" + escaping +
         ";q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1";
}
constexpr const char* kOpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

std::size_t sample_lines(const std::string& text_exposition) {
  std::size_t lines = 0;
  std::istringstream in(text_exposition);
  for (std::string line; std::getline(in, line);) lines += !line.empty() && line[0] != '#';
  return lines;
}

class HostileOpenMetricsTest : public HostileExpositionTest, public ::testing::WithParamInterface<std::uint64_t> {};

TEST_P(HostileOpenMetricsTest, TheOpenMetricsExpositionStaysValidAndLosesNothing) {
  ASSERT_TRUE(openmetrics_parser_installed()) << "/usr/bin/python3 without prometheus_client: run .ci/install-deps";
  const std::uint64_t seed = GetParam();
  SCOPED_TRACE("seed " + std::to_string(seed));
  HostileExpositionGenerator generator(seed);
  const auto collectors = generator.collectors(8 + static_cast<int>(seed % 5));
  const auto text = run_hostile(collectors);
  const auto what_they_printed = outputs(collectors);

  const std::vector<std::vector<std::string>> requests = {
      {std::string("Accept: ") + kPrometheus2Accept},
      {std::string("Accept: ") + kPrometheus2Accept, "Accept-Encoding: gzip"},
      {"Accept: " + prometheus3_accept("allow-utf-8")},
      {"Accept: " + prometheus3_accept("underscores"), "Accept-Encoding: gzip"},
      {std::string("Accept: ") + kPrometheus2Accept, "Accept-Encoding: gzip"},  // the kept compressed part
  };
  for (const auto& headers : requests) {
    SCOPED_TRACE(headers.back());
    const auto reply = http_request(daemon_->port(), "/metrics", headers);
    ASSERT_TRUE(reply && reply->status == 200);
    // Prometheus 3's escaping scheme is said back, as a Go exporter says it.
    const auto escaping = headers.front().find("escaping=");
    const std::string scheme = escaping == std::string::npos
                                   ? ""
                                   : "; escaping=" + headers.front().substr(escaping + 9,
                                                                            headers.front().find(';', escaping) - escaping - 9);
    EXPECT_EQ(reply->headers.at("content-type"), kOpenMetricsContentType + scheme);
    EXPECT_EQ(reply->headers.at("vary"), "Accept, Accept-Encoding");
    const bool gzipped = reply->headers.count("content-encoding") != 0;
    EXPECT_EQ(gzipped, headers.size() == 2);
    const auto body = gzipped ? gunzip(reply->body).value_or("not gzip") : reply->body;

    const auto verdict = openmetrics_check(body);
    ASSERT_TRUE(verdict.valid) << verdict.error << "\n" << body << "\nprinted:\n" << what_they_printed;
    std::size_t samples = 0;
    std::size_t up = 0;
    std::set<std::string> own_series;
    for (const auto& family : verdict.families) {
      for (const auto& sample : family["samples"]) {
        ++samples;
        const auto collector = sample["labels"].value("collector", std::string());
        if (sample["name"] == "gleaner_collector_up") {
          ++up;
          EXPECT_EQ(sample["value"], 1) << collector;
        }
        if (sample["name"] == "own_" + collector) own_series.insert(collector);
      }
    }
    EXPECT_EQ(up, collectors.size());
    EXPECT_EQ(own_series.size(), collectors.size());
    // Every series of the text format is there: none lost to OpenMetrics.
    EXPECT_EQ(samples, sample_lines(text)) << body << "\ntext:\n" << text;
  }
  // And the text format still goes to those who ask for it; each format's
  // compressed part is its own, whichever was asked last.
  const auto plain = http_request(daemon_->port(), "/metrics", {"Accept: text/plain;version=0.0.4"});
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->headers.at("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_TRUE(promtool_check_metrics(plain->body).valid);
  const std::pair<std::string, bool> alternating[] = {{"*/*", false},
                                                      {kPrometheus2Accept, true},
                                                      {"text/plain", false},
                                                      {kPrometheus2Accept, true}};
  for (const auto& [accept, openmetrics] : alternating) {
    const std::string field = "Accept: " + accept;
    const auto reply = http_request(daemon_->port(), "/metrics", {field, "Accept-Encoding: gzip"});
    ASSERT_TRUE(reply && reply->headers.count("content-encoding")) << field;
    const auto body = gunzip(reply->body).value_or("not gzip");
    EXPECT_EQ(reply->headers.at("content-type") == kOpenMetricsContentType, openmetrics) << field;
    if (openmetrics) {
      EXPECT_TRUE(openmetrics_check(body).valid) << field << "\n" << body;
    } else {
      EXPECT_TRUE(promtool_check_metrics(body).valid) << field << "\n" << body;
      EXPECT_EQ(body.find("# EOF"), std::string::npos);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, HostileOpenMetricsTest, ::testing::Values(1, 2, 3, 5, 8, 13, 21, 34));

// Seconds to wait for Prometheus: its start and first scrapes on a loaded
// machine.
constexpr auto kPrometheusPatience = std::chrono::seconds(40);

TEST_F(HostileExpositionTest, ARealPrometheusScrapesHostileCollectorsWithoutError) {
  ASSERT_TRUE(prometheus_installed()) << "no prometheus binary: run .ci/install-deps";
  HostileExpositionGenerator generator(1);
  auto collectors = generator.collectors(10);
  collectors.push_back(HostileCollector{"plain", "# TYPE plain_requests counter\nplain_requests 7\n", "", "plain_requests"});
  run_hostile(collectors);

  PrometheusServer prometheus(daemon_->port());
  ASSERT_TRUE(prometheus.ready()) << prometheus.log();

  // Two scrapes done: the second after every collector had published.
  nlohmann::json target;
  const bool scraped = eventually(
      [&] {
        const auto active = prometheus.first_active_target();
        if (!active) return false;
        target = *active;
        const auto count = nlohmann::json::parse(
            prometheus.get("/api/v1/query?query=count_over_time(up[1m])"), nullptr, false);
        if (count.is_discarded() || count["data"]["result"].empty()) return false;
        return target.value("health", std::string()) != "unknown" &&
               std::stod(count["data"]["result"][0]["value"][1].get<std::string>()) >= 2;
      },
      kPrometheusPatience);
  ASSERT_TRUE(scraped) << target.dump() << "\n" << prometheus.log();
  EXPECT_EQ(target.value("health", std::string()), "up") << target.dump();
  EXPECT_EQ(target.value("lastError", std::string("?")), "") << target.dump();

  // It asked for OpenMetrics and got it: its Accept field, sent by curl,
  // gets the OpenMetrics Content-Type; and the counter printed without
  // _total is stored with it, as only its OpenMetrics parser does.
  const auto curl = run_child({"curl", "-sS", "-o", "/dev/null", "-D", "-", "-H", std::string("Accept: ") + kPrometheus2Accept,
                               "http://127.0.0.1:" + std::to_string(daemon_->port()) + "/metrics"});
  EXPECT_THAT(curl.out, ::testing::HasSubstr(std::string("Content-Type: ") + kOpenMetricsContentType)) << curl.out;
  const auto renamed = nlohmann::json::parse(
      prometheus.get("/api/v1/query?query=plain_requests_total"), nullptr, false);
  ASSERT_FALSE(renamed.is_discarded());
  ASSERT_EQ(renamed["data"]["result"].size(), 1u) << renamed.dump();
  EXPECT_EQ(renamed["data"]["result"][0]["value"][1], "7") << renamed.dump();
  const auto unrenamed = nlohmann::json::parse(prometheus.get("/api/v1/query?query=plain_requests"), nullptr, false);
  EXPECT_TRUE(unrenamed["data"]["result"].empty()) << unrenamed.dump();

  const auto up = nlohmann::json::parse(prometheus.get("/api/v1/query?query=gleaner_collector_up"), nullptr, false);
  ASSERT_FALSE(up.is_discarded());
  ASSERT_EQ(up.value("status", std::string()), "success") << up.dump();
  const auto& series = up["data"]["result"];
  EXPECT_EQ(series.size(), collectors.size()) << up.dump();
  for (const auto& one : series) EXPECT_EQ(one["value"][1].get<std::string>(), "1") << one.dump();

  // Samples Prometheus refused within scrapes that otherwise succeeded
  // (the same series twice, out of order): none.
  const auto own = prometheus.get("/metrics");
  for (const char* counter : {"prometheus_target_scrapes_sample_duplicate_timestamp_total",
                              "prometheus_target_scrapes_sample_out_of_order_total",
                              "prometheus_target_scrapes_sample_out_of_bounds_total"}) {
    EXPECT_EQ(value_of(own, counter), 0) << counter;
  }
}

}  // namespace
}  // namespace gleaner::testing
