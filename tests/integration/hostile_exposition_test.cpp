// Whatever every collector prints, together: random hostile Prometheus text
// from a fixed list of seeds (reserved names, clashing label names, TYPEs
// that differ between collectors, suffix clashes, float counts, odd bounds,
// escapes, UTF-8, empty families, malformed lines) in one daemon, and the
// joined exposition must stay valid, every collector up, no label name
// twice, no family under two TYPE lines. Then a real Prometheus scrapes
// such a daemon and must report no error.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "../support/daemon_fixture.h"
#include "../support/exposition_reader.h"
#include "../support/exposition_values.h"
#include "../support/hostile_exposition.h"
#include "../support/prometheus_server.h"
#include "../support/promtool.h"

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

// Seconds to wait for Prometheus: its start and first scrapes on a loaded
// machine.
constexpr auto kPrometheusPatience = std::chrono::seconds(40);

TEST_F(HostileExpositionTest, ARealPrometheusScrapesHostileCollectorsWithoutError) {
  ASSERT_TRUE(prometheus_installed()) << "no prometheus binary: run .ci/install-deps";
  HostileExpositionGenerator generator(1);
  const auto collectors = generator.collectors(10);
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
