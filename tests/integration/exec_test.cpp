// The exec plugin through the real binary: stdin, Prometheus text from a
// script, streaming commands, restarts, parse failures, the shipped example
// configuration; promtool on everything exposed.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/daemon_fixture.h"
#include "tests/support/daemon_process.h"
#include "tests/support/df_reference.h"
#include "tests/support/http_client.h"
#include "tests/support/promtool.h"

#ifndef GLEANER_SOURCE_DIR
#error "needs GLEANER_SOURCE_DIR"
#endif

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using ExecTest = DaemonFixture;

TEST_F(ExecTest, TrFedByStdin) {
  start(R"(collectors:
  - name: shout
    plugin: exec
    command: [tr, "[:lower:]", "[:upper:]"]
    stdin: "apples=3\npears=5\n"
    parser: {type: keyvalue, prefix: fruit_}
)");
  const auto body = scrape_until([](const std::string& b) { return has(b, "fruit_PEARS{collector=\"shout\"} 5"); });
  EXPECT_THAT(body, HasSubstr("fruit_APPLES{collector=\"shout\"} 3"));
  EXPECT_TRUE(promtool_check_metrics(body).valid);
}

TEST_F(ExecTest, AScriptPrintingPrometheusText) {
  const auto script = write("textfile.sh", R"(#!/bin/sh
cat <<'END'
# HELP app_requests_total Requests served.
# TYPE app_requests_total counter
app_requests_total{code="200",path="/a b"} 1027 1700000000000
app_requests_total{code="500",path="/a b"} 3
# HELP app_latency_seconds Request latency.
# TYPE app_latency_seconds histogram
app_latency_seconds_bucket{le="0.1"} 10
app_latency_seconds_bucket{le="1"} 15
app_latency_seconds_bucket{le="+Inf"} 16
app_latency_seconds_sum 4.2
app_latency_seconds_count 16
# HELP app_info Version.
# TYPE app_info gauge
app_info{version="1.2.3",collector="their own"} 1
END
)", true);
  start("collectors:\n  - {name: app, plugin: exec, command: [" + script + "], labels: {env: prod}}\n");
  const auto body = scrape_until([](const std::string& b) { return has(b, "app_latency_seconds_count"); });
  EXPECT_THAT(body, HasSubstr("# HELP app_requests_total Requests served.\n# TYPE app_requests_total counter\n"));
  EXPECT_THAT(body, HasSubstr("app_requests_total{collector=\"app\",env=\"prod\",code=\"200\",path=\"/a b\"} 1027\n"));
  EXPECT_THAT(body, HasSubstr("app_latency_seconds_bucket{collector=\"app\",env=\"prod\",le=\"0.1\"} 10\n"));
  EXPECT_THAT(body, HasSubstr("app_latency_seconds_bucket{collector=\"app\",env=\"prod\",le=\"+Inf\"} 16\n"));
  EXPECT_THAT(body, HasSubstr("app_latency_seconds_sum{collector=\"app\",env=\"prod\"} 4.2\n"));
  EXPECT_THAT(body, HasSubstr("exported_collector=\"their own\""));
  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.clean) << verdict.output;
}

TEST_F(ExecTest, AScriptPrintingInfluxLineProtocol) {
  // As Telegraf's exec and execd inputs read it (README "Parsers").
  const auto script = write("influx.sh", R"(#!/bin/sh
cat <<'END'
# written as `telegraf --test` prints
cpu,cpu=cpu-total,host=web\ 1 usage_idle=82.38,usage_user=11.39 1568760922000000000
mem,host=web\ 1 available=6166994944i,used_percent=27.1,active=true,state="ok" 1568760922000000000
cpu value=1
cpu,cpu=cpu-total,host=web\ 1 usage_idle=90.5
END
)", true);
  write("broken_influx.sh", "#!/bin/sh\necho 'cpu usage_idle=1'\necho 'cpu usage_user=01i'\n", true);
  start("collectors:\n"
        "  - {name: telegraf, plugin: exec, command: [" + script + "], parser: {type: influx}}\n"
        "  - {name: broken, plugin: exec, interval: 300ms, command: [" + dir_ + "/broken_influx.sh],"
        " parser: {type: influx}}\n");
  const auto body = scrape_until([](const std::string& b) {
    const auto failures = value_of(b, "gleaner_collector_failures_total{collector=\"broken\",reason=\"parse\"}");
    return has(b, "cpu_value{") && failures && *failures >= 1;
  });
  EXPECT_THAT(body, HasSubstr("cpu_usage_idle{collector=\"telegraf\",cpu=\"cpu-total\",host=\"web 1\"} 90.5\n"));
  EXPECT_THAT(body, HasSubstr("cpu_usage_user{collector=\"telegraf\",cpu=\"cpu-total\",host=\"web 1\"} 11.39\n"));
  EXPECT_THAT(body, HasSubstr("mem_available{collector=\"telegraf\",host=\"web 1\"} 6166994944\n"));
  EXPECT_THAT(body, HasSubstr("mem_used_percent{collector=\"telegraf\",host=\"web 1\"} 27.1\n"));
  EXPECT_THAT(body, HasSubstr("mem_active{collector=\"telegraf\",host=\"web 1\"} 1\n"));
  EXPECT_THAT(body, HasSubstr("cpu_value{collector=\"telegraf\"} 1\n"));
  EXPECT_THAT(body, HasSubstr("# TYPE cpu_usage_idle untyped\n"));
  EXPECT_THAT(body, Not(HasSubstr("mem_state")));
  EXPECT_THAT(body, HasSubstr("gleaner_collector_up{collector=\"telegraf\"} 1"));
  // One line Telegraf would reject fails the whole run.
  EXPECT_THAT(body, HasSubstr("gleaner_collector_up{collector=\"broken\"} 0"));
  EXPECT_THAT(body, Not(HasSubstr("cpu_usage_idle{collector=\"broken\"")));
  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.valid) << verdict.output << body;
  EXPECT_THAT(daemon_->log(), HasSubstr("collector broken failed (parse)"));
}

TEST_F(ExecTest, AStreamingCommandsValuesChangeBetweenScrapes) {
  start(R"(collectors:
  - name: ticker
    plugin: exec
    mode: stream
    shell: "i=0; while :; do i=$((i+1)); echo \"ticks $i\"; sleep 0.2; done"
    parser: {type: keyvalue, separator: " "}
)");
  double first = 0;
  scrape_until([&](const std::string& b) {
    const auto value = value_of(b, "ticks{collector=\"ticker\"}");
    if (value) first = *value;
    return value.has_value();
  });
  const auto later = scrape_until([&](const std::string& b) {
    const auto value = value_of(b, "ticks{collector=\"ticker\"}");
    return value && *value > first;
  });
  EXPECT_THAT(later, HasSubstr("gleaner_collector_up{collector=\"ticker\"} 1"));
  EXPECT_THAT(later, HasSubstr("gleaner_collector_restarts_total{collector=\"ticker\"} 0"));
}

TEST_F(ExecTest, AStreamCommandThatDiesIsRestartedAndCounted) {
  start(R"(collectors:
  - name: brief
    plugin: exec
    mode: stream
    shell: "echo brief_value 1; exit 3"
)");
  const auto body = scrape_until([](const std::string& b) {
    const auto restarts = value_of(b, "gleaner_collector_restarts_total{collector=\"brief\"}");
    return restarts && *restarts >= 2;
  });
  const auto failures = value_of(body, "gleaner_collector_failures_total{collector=\"brief\",reason=\"exit_code\"}");
  ASSERT_TRUE(failures);
  EXPECT_GE(*failures, 2);
  EXPECT_THAT(daemon_->log(), HasSubstr("collector brief failed (exit_code)"));
}

TEST_F(ExecTest, BlocksFraming) {
  start(R"(collectors:
  - name: blocks
    plugin: exec
    mode: stream
    framing: blocks
    shell: "printf 'a 1\nb 2\n\n'; sleep 60"
    parser: {type: keyvalue, separator: " ", prefix: block_}
)");
  const auto body = scrape_until([](const std::string& b) { return has(b, "block_b{collector=\"blocks\"} 2"); });
  EXPECT_THAT(body, HasSubstr("block_a{collector=\"blocks\"} 1"));
}

TEST_F(ExecTest, GarbageIsAParseFailureWhileOthersStayUp) {
  write("garbage.bin", std::string("\xff\xfe\x00\x01 not metrics {{{\r\n\x80\x81", 24));
  start("collectors:\n"
        "  - {name: garbage, plugin: exec, interval: 300ms, command: [cat, " + dir_ + "/garbage.bin]}\n"
        "  - {name: fine, plugin: exec, interval: 300ms, shell: 'echo fine_value 1'}\n");
  const auto body = scrape_until([](const std::string& b) {
    const auto failures = value_of(b, "gleaner_collector_failures_total{collector=\"garbage\",reason=\"parse\"}");
    return failures && *failures >= 2 && has(b, "fine_value{collector=\"fine\"} 1");
  });
  EXPECT_THAT(body, HasSubstr("gleaner_collector_up{collector=\"garbage\"} 0"));
  EXPECT_THAT(body, HasSubstr("gleaner_collector_up{collector=\"fine\"} 1"));
  EXPECT_TRUE(promtool_check_metrics(body).valid) << promtool_check_metrics(body).output;
  EXPECT_THAT(daemon_->log(), HasSubstr("collector garbage failed (parse)"));
}

TEST_F(ExecTest, HostileLabelValuesComeOutValid) {
  // Invalid UTF-8, quotes, backslashes and a NUL in values a command prints.
  write("weird.sh", "#!/bin/sh\nprintf 'name,value\\n\\377\\\"\\\\x\\000y,1\\nok,2\\n'\n", true);
  start("collectors:\n  - name: weird\n    plugin: exec\n    command: [" + dir_ + "/weird.sh]\n"
        "    parser: {type: regex, pattern: '(?m)^(?P<name>[^,\\n]*),(?P<v>[0-9]+)$', labels: [name], values: {v: weird_value}}\n");
  const auto body = scrape_until([](const std::string& b) { return has(b, "weird_value{collector=\"weird\",name=\"ok\"} 2"); });
  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.valid) << verdict.output << body;
}

// The annotated example, installed in /usr/share/doc/gleaner/examples/.
TEST_F(ExecTest, TheShippedExampleConfigurationIsValidAndRuns) {
  const std::string example = std::string(GLEANER_SOURCE_DIR) + "/etc/examples/gleaner.yaml";
  // --strict: every program the example names is installed here too.
  const auto check = run_gleaner({"--config", example, "--check-config", "--strict"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_THAT(check.out, ::testing::StartsWith("config OK: "));
  const auto once = run_gleaner({"--config", example, "--once"});
  EXPECT_EQ(once.exit_code, 0) << once.err;
  for (const char* series : {"fruit_APPLES{", "df_size_bytes{", "logged_in_users{", "meminfo_kibibytes{",
                             "network_receive_bytes_total{", "vmstat_procs_runnable{",
                             "host_uptime_seconds{collector=\"uptime\"}"}) {
    EXPECT_THAT(once.out, HasSubstr(series));
  }
  // The example leaves out pseudo filesystems; where any other is mounted, it shows.
  if (!df_reference("-l -x tmpfs -x devtmpfs -x overlay -x squashfs").empty()) {
    EXPECT_THAT(once.out, HasSubstr("filesystem_size_bytes{"));
  }
  // Valid; lint may still advise (HELP texts the example leaves out).
  const auto verdict = promtool_check_metrics(once.out);
  EXPECT_TRUE(verdict.valid) << verdict.output;
}

// The production start the package installs as /etc/gleaner/gleaner.yaml.
TEST_F(ExecTest, TheInstalledConfigurationIsValidAndRuns) {
  const std::string installed = std::string(GLEANER_SOURCE_DIR) + "/etc/gleaner.yaml";
  const auto check = run_gleaner({"--config", installed, "--check-config", "--strict"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out, "config OK: 1 collector\n");
  const auto once = run_gleaner({"--config", installed, "--once"});
  EXPECT_EQ(once.exit_code, 0) << once.err;
  EXPECT_THAT(once.out, HasSubstr("gleaner_collector_up{collector=\"disk\"} 1"));
  if (!df_reference("-l -x tmpfs -x devtmpfs -x overlay -x squashfs").empty()) {
    EXPECT_THAT(once.out, HasSubstr("filesystem_size_bytes{collector=\"disk\""));
  }
  const auto verdict = promtool_check_metrics(once.out);
  EXPECT_TRUE(verdict.valid) << verdict.output;
}

}  // namespace
}  // namespace gleaner::testing
