// README "Running a fleet": every PromQL expression of the shipped Grafana
// dashboard (etc/prometheus/gleaner-dashboard.json), its template variables
// replaced by what matches everything, evaluated by a real Prometheus
// scraping real gleaners with the shipped scrape configuration and rules
// (their `for:` shortened to 1 s, so that the alerts panel has alerts to
// show): each must return data. A misspelt metric, label or recording rule
// returns none.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/gleaner_fleet.h"
#include "tests/support/prometheus_server.h"

namespace gleaner::testing {
namespace {

using ::testing::IsEmpty;

constexpr auto kPatience = std::chrono::seconds(120);

// Every "expr" of the dashboard's panels, and the series selector of each
// query variable's label_values(SELECTOR, label).
void collect_expressions(const nlohmann::json& node, std::vector<std::string>& found) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "expr" && value.is_string()) found.push_back(value.get<std::string>());
      if (key == "definition" && value.is_string()) {
        static const std::regex label_values(R"(^label_values\((.*),\s*[a-zA-Z_]+\)$)");
        std::smatch match;
        const auto text = value.get<std::string>();
        if (std::regex_match(text, match, label_values)) found.push_back(match[1]);
      }
      collect_expressions(value, found);
    }
  } else if (node.is_array()) {
    for (const auto& item : node) collect_expressions(item, found);
  }
}

// Grafana's own variables become a range of a minute (the test's
// Prometheus scrapes every second); the dashboard's variables, a regular
// expression matching any value.
std::string with_variables_filled(const std::string& expression) {
  static const std::regex grafana_range(R"(\$(__rate_interval|__interval|__range)\b)");
  static const std::regex variable(R"(\$\{?[a-zA-Z_][a-zA-Z0-9_]*\}?)");
  return std::regex_replace(std::regex_replace(expression, grafana_range, "1m"), variable, ".+");
}

TEST(DashboardTest, EveryExpressionReturnsDataFromARealFleet) {
  ASSERT_TRUE(prometheus_installed()) << "no prometheus binary: run .ci/install-deps";
  const auto dashboard =
      nlohmann::json::parse(ScratchDir::read(shipped_prometheus_file("gleaner-dashboard.json")), nullptr, false);
  ASSERT_FALSE(dashboard.is_discarded()) << "gleaner-dashboard.json is not JSON";
  std::vector<std::string> expressions;
  collect_expressions(dashboard, expressions);
  ASSERT_GE(expressions.size(), 15u);

  // Every panel reads the dashboard's Prometheus, and asks it something.
  for (const auto& panel : dashboard["panels"]) {
    if (panel.value("type", "") == "row") continue;
    EXPECT_EQ(panel["datasource"].value("uid", ""), "${datasource}") << panel.value("title", "");
    EXPECT_FALSE(panel["targets"].empty()) << panel.value("title", "");
  }

  const std::string healthy = "  - {name: fine, plugin: exec, interval: 1s, command: [echo, fleet_fine 1]}\n";
  GleanerFleet fleet;
  fleet.add("healthy", "collectors:\n" + healthy);
  fleet.add("broken", "collectors:\n" + healthy + "  - {name: broken, plugin: exec, interval: 1s, command: [false]}\n");
  fleet.add("stopped", "collectors:\n" + healthy);
  for (const auto* name : {"healthy", "broken", "stopped"}) ASSERT_NE(fleet.address(name), "") << fleet.logs();

  PrometheusServer prometheus([&](const ScratchDir& dir) {
    std::filesystem::create_directory(dir.file("targets"));
    dir.write("targets/fleet.yml", fleet.targets_file());
    dir.write("gleaner.rules.yml", shipped_rules_with_for("1s"));
    return fleet_prometheus_config(dir.file("targets") + "/*.yml", dir.file("gleaner.rules.yml"));
  });
  ASSERT_TRUE(prometheus.ready()) << prometheus.log();
  ASSERT_TRUE(eventually(
      [&] {
        const auto up = prometheus.query("count(up{job=\"gleaner\"} == 1) == 3");
        return !up.is_discarded() && !up["data"]["result"].empty();
      },
      kPatience))
      << prometheus.get("/api/v1/targets");
  fleet.member("stopped").signal(SIGTERM);

  // Until every expression returns data; those that still return none.
  std::vector<std::string> without_data;
  eventually(
      [&] {
        without_data.clear();
        for (const auto& expression : expressions) {
          const auto query = with_variables_filled(expression);
          const auto reply = prometheus.query(query);
          if (reply.is_discarded() || reply.value("status", "") != "success" || reply["data"]["result"].empty()) {
            without_data.push_back(query + "\n    -> " + (reply.is_discarded() ? "no answer" : reply.dump()));
          }
        }
        return without_data.empty();
      },
      kPatience);
  EXPECT_THAT(without_data, IsEmpty()) << prometheus.log();
}

}  // namespace
}  // namespace gleaner::testing
