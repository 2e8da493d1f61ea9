// README "Running a fleet": one real Prometheus scraping twenty real gleaner
// processes through file_sd, with the shipped scrape configuration and the
// shipped rules (their `for:` alone shortened to 5 s, see
// shipped_rules_with_for). Some gleaners are broken in one way each; the
// alerts firing must be exactly those for the broken gleaners and
// collectors, and each names its host and collector.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "tests/support/gleaner_fleet.h"
#include "tests/support/prometheus_server.h"

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;

// Seconds to wait for what Prometheus must see: twenty daemons, their
// scrapes and the rules' evaluations on a loaded 2-core machine.
constexpr auto kFleetPatience = std::chrono::seconds(120);

// A healthy collector, on every member: it must never be alerted on.
const std::string kHealthy = "  - {name: fine, plugin: exec, interval: 2s, command: [echo, fleet_fine 1]}\n";

// An alert as the test compares them: its name and the labels that say
// what it is about.
std::string identity(const std::string& alertname, const std::string& instance, const std::string& collector = "",
                     const std::string& reason = "") {
  return alertname + " instance=" + instance + (collector.empty() ? "" : " collector=" + collector) +
         (reason.empty() ? "" : " reason=" + reason);
}

std::string identity(const nlohmann::json& alert) {
  const auto& labels = alert["labels"];
  return identity(labels.value("alertname", ""), labels.value("instance", ""), labels.value("collector", ""),
                  labels.value("reason", ""));
}

std::string describe(const std::set<std::string>& alerts) {
  std::string text;
  for (const auto& alert : alerts) text += "  " + alert + "\n";
  return text.empty() ? "  (none)\n" : text;
}

double number(const nlohmann::json& reply) {
  if (reply.is_discarded() || reply.value("status", "") != "success") return -1;
  const auto& result = reply["data"]["result"];
  if (result.empty()) return -1;
  return std::stod(result[0]["value"][1].get<std::string>());
}

TEST(FleetTest, ThePrometheusAlertsAreExactlyThoseOfTheBrokenGleaners) {
  ASSERT_TRUE(prometheus_installed()) << "no prometheus binary: run .ci/install-deps";
  int rewritten = 0;
  const auto rules = shipped_rules_with_for("5s", &rewritten);
  ASSERT_EQ(rewritten, 9) << "every alert of gleaner.rules.yml has a for:";

  GleanerFleet fleet;
  for (int i = 0; i < 13; ++i) fleet.add("healthy" + std::to_string(i), "collectors:\n" + kHealthy);
  // Exits 1 at every run.
  fleet.add("exit1", "collectors:\n" + kHealthy +
                         "  - {name: broken, plugin: exec, interval: 1s, command: [false]}\n");
  // Times out at every run.
  fleet.add("hung", "collectors:\n" + kHealthy +
                        "  - {name: hung, plugin: exec, interval: 3s, timeout: 1s, command: [sleep, '30']}\n");
  // Succeeds, but each run outlasts the interval (one success every 6 s,
  // under 3 intervals).
  fleet.add("slow", "collectors:\n" + kHealthy +
                        "  - {name: slow, plugin: exec, interval: 3s, timeout: 10s,"
                        " shell: 'sleep 3.5; echo fleet_slow 1'}\n");
  // Prints a series gleaner reserves for itself beside one of its own.
  fleet.add("forger", "collectors:\n" + kHealthy +
                          "  - {name: forger, plugin: exec, interval: 2s,"
                          " shell: 'echo gleaner_collector_up 0; echo fleet_forged 1'}\n");
  // Healthy, until a broken configuration is sent to it.
  fleet.add("reload", "collectors:\n" + kHealthy);
  // One command at a time: the hog (one run every 4 s, under 3 intervals)
  // makes the others' runs wait for their turn, up to 3 s.
  fleet.add("late", "limits: {max_concurrent: 1}\ncollectors:\n" + kHealthy +
                        "  - {name: hog, plugin: exec, interval: 2s, timeout: 10s, shell: 'sleep 3; echo fleet_hog 1'}\n"
                        "  - {name: waits1, plugin: exec, interval: 5s, command: [echo, fleet_waits 1]}\n"
                        "  - {name: waits2, plugin: exec, interval: 5s, command: [echo, fleet_waits 2]}\n"
                        "  - {name: waits3, plugin: exec, interval: 5s, command: [echo, fleet_waits 3]}\n");
  // Stopped once Prometheus has scraped it.
  fleet.add("stopped", "collectors:\n" + kHealthy);
  ASSERT_EQ(fleet.size(), 20u);
  for (const auto* name : {"healthy0", "exit1", "hung", "slow", "forger", "reload", "late", "stopped"}) {
    ASSERT_NE(fleet.address(name), "") << name << "\n" << fleet.member(name).log();
  }

  PrometheusServer prometheus([&](const ScratchDir& dir) {
    std::filesystem::create_directory(dir.file("targets"));
    dir.write("targets/fleet.yml", fleet.targets_file());
    dir.write("gleaner.rules.yml", rules);
    return fleet_prometheus_config(dir.file("targets") + "/*.yml", dir.file("gleaner.rules.yml"));
  });
  ASSERT_TRUE(prometheus.ready()) << prometheus.log();

  // Every member scraped once, then the two that break from outside.
  ASSERT_TRUE(eventually([&] { return number(prometheus.query("count(up{job=\"gleaner\"} == 1)")) == 20; },
                         kFleetPatience))
      << prometheus.get("/api/v1/targets") << "\n" << prometheus.log();
  fleet.write_config("reload", "collectors:\n  - {name: typo, plugin: no_such_plugin}\n");
  fleet.member("reload").signal(SIGHUP);
  fleet.member("stopped").signal(SIGTERM);
  ASSERT_TRUE(fleet.member("stopped").wait_for_exit().has_value());

  const std::set<std::string> expected = {
      identity("GleanerCollectorDown", fleet.address("exit1"), "broken"),
      identity("GleanerCollectorFailing", fleet.address("exit1"), "broken", "exit_code"),
      identity("GleanerCollectorNoRecentSuccess", fleet.address("exit1"), "broken"),
      identity("GleanerCollectorDown", fleet.address("hung"), "hung"),
      identity("GleanerCollectorFailing", fleet.address("hung"), "hung", "timeout"),
      identity("GleanerCollectorNoRecentSuccess", fleet.address("hung"), "hung"),
      identity("GleanerCollectorSkippingTicks", fleet.address("slow"), "slow"),
      identity("GleanerSeriesDropped", fleet.address("forger"), "forger", "reserved"),
      identity("GleanerReloadFailed", fleet.address("reload")),
      identity("GleanerCollectorSkippingTicks", fleet.address("late"), "hog"),
      identity("GleanerSchedulerLate", fleet.address("late")),
      identity("GleanerDown", fleet.address("stopped")),
  };

  // Until exactly the expected alerts fire, and no other is even pending.
  std::set<std::string> firing;
  std::set<std::string> pending;
  nlohmann::json alerts;
  const bool settled = eventually(
      [&] {
        const auto reply = nlohmann::json::parse(prometheus.get("/api/v1/alerts"), nullptr, false);
        if (reply.is_discarded() || reply.value("status", "") != "success") return false;
        alerts = reply["data"]["alerts"];
        firing.clear();
        pending.clear();
        for (const auto& alert : alerts) (alert.value("state", "") == "firing" ? firing : pending).insert(identity(alert));
        for (const auto& alert : pending) {
          if (!expected.contains(alert)) return false;
        }
        return firing == expected;
      },
      kFleetPatience);
  ASSERT_TRUE(settled) << "expected:\n" << describe(expected) << "firing:\n" << describe(firing) << "pending:\n"
                       << describe(pending) << "\n" << fleet.logs();

  // Each names its host, and its collector where it is about one.
  for (const auto& alert : alerts) {
    const auto& labels = alert["labels"];
    const auto summary = alert["annotations"].value("summary", "");
    const auto description = alert["annotations"].value("description", "");
    EXPECT_FALSE(labels.value("severity", "").empty()) << alert.dump();
    EXPECT_THAT(summary, HasSubstr(labels.value("instance", "?"))) << alert.dump();
    EXPECT_THAT(description, HasSubstr(labels.value("instance", "?"))) << alert.dump();
    if (labels.contains("collector")) {
      EXPECT_THAT(summary, HasSubstr(labels.value("collector", "?"))) << alert.dump();
      EXPECT_THAT(description, HasSubstr(labels.value("collector", "?"))) << alert.dump();
    }
  }
}

}  // namespace
}  // namespace gleaner::testing
