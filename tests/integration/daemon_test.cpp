// The real gleaner binary, end to end: started on a free port with a
// temporary configuration, scraped over HTTP, judged by promtool, stopped
// with signals. Every wait polls for a condition with a generous deadline.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "tests/support/daemon_fixture.h"
#include "tests/support/daemon_process.h"
#include "tests/support/df_reference.h"
#include "tests/support/http_client.h"
#include "tests/support/process_census.h"
#include "tests/support/promtool.h"

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class DaemonTest : public DaemonFixture {
 protected:
  void expect_clean_stop(int signal_number, const std::string& signal_name);
};

TEST_F(DaemonTest, DfSeriesMatchDfAndTheScrapePassesPromtool) {
  // "/" as df -B1 reports it (or, in a container that shows no "/", the
  // first filesystem it does report).
  const auto reference = df_root_or_first("-l");
  ASSERT_TRUE(reference) << "df reports no local filesystem here";
  start("collectors:\n  - {name: disk, plugin: df, interval: 1s}\n");
  const std::string labels_end = "mountpoint=\"" + reference->mountpoint + "\"} ";
  const auto body = scrape_until([&](const std::string& b) { return b.find(labels_end) != std::string::npos; });
  const auto value = [&](const std::string& metric) -> std::optional<double> {
    std::istringstream lines(body);
    for (std::string line; std::getline(lines, line);) {
      const auto at = line.find(labels_end);
      if (line.rfind(metric + "{collector=\"disk\"", 0) == 0 && at != std::string::npos) {
        return std::stod(line.substr(at + labels_end.size()));
      }
    }
    return std::nullopt;
  };
  ASSERT_TRUE(value("filesystem_size_bytes")) << body;
  EXPECT_EQ(*value("filesystem_size_bytes"), reference->size);  // exact to the byte
  // Used space moves while the machine works: equal within 1% of the size.
  ASSERT_TRUE(value("filesystem_used_bytes"));
  EXPECT_NEAR(*value("filesystem_used_bytes"), reference->used, reference->size * 0.01);
  ASSERT_TRUE(value("filesystem_avail_bytes"));
  EXPECT_NEAR(*value("filesystem_avail_bytes"), reference->available, reference->size * 0.01);
  EXPECT_THAT(body, HasSubstr("filesystem_files{collector=\"disk\""));
  EXPECT_THAT(body, HasSubstr("filesystem_files_free{collector=\"disk\""));
  EXPECT_THAT(body, HasSubstr("gleaner_collector_up{collector=\"disk\"} 1"));
  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.clean) << verdict.output;
}

TEST_F(DaemonTest, OnceRunsEveryCollectorPrintsTheExpositionAndExitsByOutcome) {
  const auto good = write_config(R"(collectors:
  - {name: disk, plugin: df}
  - {name: hello, plugin: exec, command: [printf, "hello_total 3\n"]}
)");
  const auto ok = run_gleaner({"--config", good, "--once"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("hello_total{collector=\"hello\"} 3\n"));
  EXPECT_THAT(ok.out, HasSubstr("filesystem_size_bytes{collector=\"disk\""));
  EXPECT_THAT(ok.out, HasSubstr("gleaner_collector_up{collector=\"hello\"} 1"));
  EXPECT_TRUE(promtool_check_metrics(ok.out).valid);

  const auto bad = write("bad.yaml", R"(collectors:
  - {name: hello, plugin: exec, command: [printf, "hello_total 3\n"]}
  - {name: broken, plugin: exec, command: ["false"]}
)");
  const auto failed = run_gleaner({"--config", bad, "--once"});
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_THAT(failed.out, HasSubstr("gleaner_collector_up{collector=\"broken\"} 0"));
  EXPECT_THAT(failed.out, HasSubstr("gleaner_collector_failures_total{collector=\"broken\",reason=\"exit_code\"} 1"));
  EXPECT_THAT(failed.out, HasSubstr("hello_total{collector=\"hello\"} 3\n"));
  EXPECT_THAT(failed.err, HasSubstr("collector broken failed (exit_code): false: exit code 1"));
}

TEST_F(DaemonTest, CheckConfigAcceptsAGoodFile) {
  const auto path = write_config("collectors:\n  - {name: disk, plugin: df}\n  - {name: s, plugin: exec, shell: 'echo x 1'}\n");
  const auto result = run_gleaner({"--config", path, "--check-config"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "config OK: 2 collectors\n");
}

TEST_F(DaemonTest, CheckConfigReportsEveryErrorWithItsPosition) {
  const auto path = write_config(R"(listen: "127.0.0.1:9947"
collectors:
  - name: disk
    plugin: df
    interval: soon
  - name: disk
    plugin: exec
    command: [gleaner-no-such-program]
  - name: odd
    plugin: exec
    command: [true]
    parser: {type: morse}
)");
  const auto result = run_gleaner({"--config", path, "--check-config"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(path + ":5:15: collector.interval: bad duration \"soon\""));
  EXPECT_THAT(result.err, HasSubstr(path + ":6:11: duplicate collector name \"disk\" (first defined at " + path + ":3:11)"));
  // Only a warning (it may be installed later); the other errors make the exit 2.
  EXPECT_THAT(result.err, HasSubstr(path + ":8:14: warning: gleaner-no-such-program: not found on PATH"));
  EXPECT_THAT(result.err, HasSubstr(path + ":12:20: parser.type: unknown value \"morse\""));
  EXPECT_THAT(result.err, HasSubstr("morse"));
  EXPECT_EQ(result.out, "");
}

TEST_F(DaemonTest, CheckConfigOnBrokenYamlAndMissingFile) {
  const auto path = write_config("collectors:\n  - name: [oops\n");
  const auto broken = run_gleaner({"--config", path, "--check-config"});
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_THAT(broken.err, HasSubstr(path + ":3:1: YAML: "));
  const auto missing = run_gleaner({"--config", dir_ + "/nope.yaml", "--check-config"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("nope.yaml:0:0: cannot read the configuration file: No such file or directory"));
}

TEST_F(DaemonTest, UsageErrorsExitTwo) {
  const auto result = run_gleaner({"--frobnicate"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("unknown argument \"--frobnicate\""));
  EXPECT_THAT(result.err, HasSubstr("Usage: gleaner"));
  const auto version = run_gleaner({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, ::testing::MatchesRegex("gleaner [0-9]+\\.[0-9]+\\.[0-9]+\n"));
}

TEST_F(DaemonTest, BuiltInDefaultRunsDfAndSaysSo) {
  if (std::filesystem::exists("/etc/gleaner/gleaner.yaml")) GTEST_SKIP() << "/etc/gleaner/gleaner.yaml exists here";
  daemon_ = std::make_unique<DaemonProcess>(std::vector<std::string>{"--listen", "127.0.0.1:0"});
  ASSERT_GT(daemon_->port(), 0) << daemon_->log();
  EXPECT_THAT(daemon_->log(), HasSubstr("using the built-in default"));
  const auto body = scrape_until([](const std::string& b) { return b.find("gleaner_collector_up{collector=\"disk\"} 1") != std::string::npos; });
  // The default leaves out pseudo filesystems; where any other is mounted, it shows.
  if (!df_reference("-l -x tmpfs -x devtmpfs -x overlay -x squashfs").empty()) {
    EXPECT_THAT(body, HasSubstr("filesystem_size_bytes{collector=\"disk\""));
  }
}

TEST_F(DaemonTest, AFailingCollectorLeavesTheOthersAndTheEndpointWorking) {
  start(R"(collectors:
  - {name: disk, plugin: df, interval: 1s}
  - {name: missing, plugin: exec, command: [/nonexistent/probe], interval: 1s}
  - {name: garbage, plugin: exec, shell: "echo 'this is not { metrics'", interval: 1s}
  - {name: slow, plugin: exec, command: [sleep, "30"], interval: 1s, timeout: 300ms}
  - {name: flood, plugin: exec, command: [yes], interval: 1s, max_output: 4KiB}
  - {name: sad, plugin: exec, shell: "echo oops >&2; exit 3", interval: 1s}
)");
  const auto body = scrape_until([](const std::string& b) {
    for (const char* reason : {"\"missing\",reason=\"spawn\"", "\"garbage\",reason=\"parse\"", "\"slow\",reason=\"timeout\"",
                               "\"flood\",reason=\"output_limit\"", "\"sad\",reason=\"exit_code\""}) {
      const auto at = b.find(std::string("gleaner_collector_failures_total{collector=") + reason + "} ");
      if (at == std::string::npos || b.compare(b.find(' ', at) + 1, 2, "0\n") == 0) return false;
    }
    return b.find("gleaner_collector_up{collector=\"disk\"} 1") != std::string::npos;
  });
  for (const char* name : {"missing", "garbage", "slow", "flood", "sad"}) {
    EXPECT_THAT(body, HasSubstr(std::string("gleaner_collector_up{collector=\"") + name + "\"} 0")) << name;
  }
  EXPECT_THAT(body, HasSubstr("filesystem_size_bytes{collector=\"disk\""));
  EXPECT_TRUE(promtool_check_metrics(body).clean) << promtool_check_metrics(body).output;
  const auto log = daemon_->log();
  EXPECT_THAT(log, HasSubstr("collector missing failed (spawn): /nonexistent/probe: /nonexistent/probe: No such file or directory"));
  EXPECT_THAT(log, HasSubstr("collector sad failed (exit_code): /bin/sh -c 'echo oops >&2; exit 3': exit code 3; stderr: oops"));
  EXPECT_THAT(log, HasSubstr("collector slow failed (timeout)"));
  EXPECT_EQ(http_get(daemon_->port(), "/-/healthy")->status, 200);
}

TEST_F(DaemonTest, SeriesOfAFailedRunDisappearUntilItSucceedsAgain) {
  const auto flag = dir_ + "/fail";
  start("collectors:\n  - {name: flip, plugin: exec, interval: 500ms, shell: 'test -e " + flag +
        " && exit 1; echo flip_value 7'}\n");
  scrape_until([](const std::string& b) { return b.find("flip_value{collector=\"flip\"} 7") != std::string::npos; });
  std::ofstream(flag) << "";
  auto body = scrape_until([](const std::string& b) { return b.find("gleaner_collector_up{collector=\"flip\"} 0") != std::string::npos; });
  EXPECT_THAT(body, Not(HasSubstr("flip_value")));
  EXPECT_THAT(body, HasSubstr("gleaner_collector_runs_total{collector=\"flip\"}"));
  std::filesystem::remove(flag);
  body = scrape_until([](const std::string& b) { return b.find("flip_value{collector=\"flip\"} 7") != std::string::npos; });
  EXPECT_THAT(body, HasSubstr("gleaner_collector_up{collector=\"flip\"} 1"));
}

TEST_F(DaemonTest, ASlowCommandHasItsTicksSkippedAndCounted) {
  start("collectors:\n  - {name: slow, plugin: exec, interval: 200ms, timeout: 10s, shell: 'sleep 1; echo done_value 1'}\n");
  const auto body = scrape_until([](const std::string& b) {
    const auto skipped = value_of(b, "gleaner_collector_skipped_total{collector=\"slow\"}");
    return skipped && *skipped >= 3;
  });
  const auto runs = value_of(body, "gleaner_collector_runs_total{collector=\"slow\"}");
  const auto skipped = value_of(body, "gleaner_collector_skipped_total{collector=\"slow\"}");
  ASSERT_TRUE(runs && skipped);
  // One run in five ticks or so: far more skipped than run.
  EXPECT_GT(*skipped, *runs);
}

// README "Metrics about gleaner itself": the interval a collector ticks at,
// so that an alert can tell a late success from an on-time one; a stream
// has no ticks and no interval series.
TEST_F(DaemonTest, EachTickingCollectorExposesItsIntervalAStreamNone) {
  start("collectors:\n"
        "  - {name: quick, plugin: exec, interval: 250ms, command: [echo, quick_value 1]}\n"
        "  - {name: hourly, plugin: exec, interval: 1h30m, command: [echo, hourly_value 1]}\n"
        "  - {name: asked, plugin: exec, mode: persistent, interval: 2s, shell: 'while read l; do echo asked_value 1; echo; done'}\n"
        "  - {name: flowing, plugin: exec, mode: stream, command: [echo, flowing_value 1]}\n");
  const auto body = scrape_until([](const std::string& b) { return has(b, "gleaner_collector_up{collector=\"asked\"} 1"); });
  EXPECT_EQ(value_of(body, "gleaner_collector_interval_seconds{collector=\"quick\"}"), 0.25);
  EXPECT_EQ(value_of(body, "gleaner_collector_interval_seconds{collector=\"hourly\"}"), 5400);
  EXPECT_EQ(value_of(body, "gleaner_collector_interval_seconds{collector=\"asked\"}"), 2);
  EXPECT_THAT(body, Not(HasSubstr("gleaner_collector_interval_seconds{collector=\"flowing\"}")));
  EXPECT_THAT(body, HasSubstr("# TYPE gleaner_collector_interval_seconds gauge"));
  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.valid) << verdict.output;
  EXPECT_TRUE(lint_beyond_command_names(verdict).empty()) << verdict.output;
}

// README (Signals): SIGTERM and SIGINT (Ctrl-C in a terminal) alike stop
// within five seconds, ending the commands still running (their whole
// process group, one of them ignoring SIGTERM), and exit 0.
void DaemonTest::expect_clean_stop(int signal_number, const std::string& signal_name) {
  auto& daemon = start("collectors:\n  - {name: hang, plugin: exec, command: [sleep, '300'], timeout: 1h}\n"
                       "  - {name: stubborn, plugin: exec, shell: \"trap '' TERM; sleep 300\", timeout: 1h}\n");
  // Both commands running: the daemon's children, in groups of their own.
  ASSERT_TRUE(eventually([&] { return child_count(daemon.pid()) >= 2; })) << daemon.log();
  std::vector<pid_t> children;
  for (const auto& process : all_processes()) {
    if (process.parent == daemon.pid()) children.push_back(process.pid);
  }
  const auto start_time = std::chrono::steady_clock::now();
  daemon.signal(signal_number);
  const auto code = daemon.wait_for_exit(std::chrono::seconds(20));
  ASSERT_TRUE(code.has_value()) << daemon.log();
  EXPECT_EQ(*code, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start_time, std::chrono::seconds(5));
  for (const pid_t child : children) {
    EXPECT_TRUE(eventually([&] { return !group_exists(child); })) << "group " << child << " still exists";
  }
  EXPECT_THAT(daemon.log(), HasSubstr("received " + signal_name + ", stopping"));
}

TEST_F(DaemonTest, SigtermStopsWithinFiveSecondsAndLeavesNoChild) { expect_clean_stop(SIGTERM, "SIGTERM"); }

TEST_F(DaemonTest, SigintStopsAsSigtermDoes) { expect_clean_stop(SIGINT, "SIGINT"); }

TEST_F(DaemonTest, PortInUseAtStartUpExitsTwo) {
  auto& first = start("collectors: []\n");
  const auto port = std::to_string(first.port());
  const auto path = write("second.yaml", "collectors: []\n");
  const auto second = run_gleaner({"--config", path, "--listen", "127.0.0.1:" + port});
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_THAT(second.err, HasSubstr("Address already in use"));
}

TEST_F(DaemonTest, HealthyAndNotFound) {
  start("collectors: []\n");
  EXPECT_EQ(http_get(daemon_->port(), "/-/healthy")->body, "OK\n");
  EXPECT_EQ(http_get(daemon_->port(), "/nope")->status, 404);
  const auto gz = http_request(daemon_->port(), "/metrics", {"Accept-Encoding: gzip"});
  ASSERT_TRUE(gz);
  EXPECT_EQ(gz->headers.at("content-encoding"), "gzip");
  const auto text = gunzip(gz->body);
  ASSERT_TRUE(text);
  EXPECT_THAT(*text, HasSubstr("gleaner_build_info{version="));
}

}  // namespace
}  // namespace gleaner::testing
