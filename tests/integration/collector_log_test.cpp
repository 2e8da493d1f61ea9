// What the log says about collectors, through the real binary: what a
// command prints cannot forge or rewrite log lines, and a collector that
// keeps failing is summarised instead of logged on every run.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tests/support/daemon_fixture.h"

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using CollectorLogTest = DaemonFixture;

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

TEST_F(CollectorLogTest, ControlCharactersACommandPrintsAreEscaped) {
  // A carriage return and "erase line" would hide the start of the line on
  // a terminal, and a newline would forge a second event.
  start(R"(collectors:
  - name: forger
    plugin: exec
    interval: 1h
    shell: 'printf "oops\r\033[2K2026-01-01 info all is well\nforged event\n" >&2; exit 3'
)");
  std::string log;
  ASSERT_TRUE(eventually([&] {
    log = daemon_->log();
    return has(log, "collector forger failed");
  })) << log;
  EXPECT_THAT(log, HasSubstr("stderr: oops\\r\\x1b[2K2026-01-01 info all is well|forged event"));
  EXPECT_EQ(log.find('\r'), std::string::npos) << "a raw carriage return reached the log";
  EXPECT_EQ(log.find('\x1b'), std::string::npos) << "a raw escape character reached the log";
  EXPECT_THAT(log, HasSubstr("collector forger failed (exit_code): /bin/sh -c "));
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_THAT(line, Not(::testing::StartsWith("forged event"))) << log;
  }
}

TEST_F(CollectorLogTest, ACollectorThatKeepsFailingIsSummarisedAndItsRecoveryLogged) {
  const std::string flag = dir_ + "/healthy";
  start("collectors:\n"
        "  - name: flaky\n"
        "    plugin: exec\n"
        "    interval: 100ms\n"
        "    shell: \"if [ -e " + flag + " ]; then echo flaky_value 1; else echo down >&2; exit 3; fi\"\n");
  // Fifteen failures in a row: counted each time, logged twice.
  scrape_until([](const std::string& b) {
    const auto failures = value_of(b, "gleaner_collector_failures_total{collector=\"flaky\",reason=\"exit_code\"}");
    return failures && *failures >= 15;
  });
  auto log = daemon_->log();
  EXPECT_EQ(occurrences(log, "collector flaky failed (exit_code)"), 1u) << log;
  EXPECT_THAT(log, HasSubstr("collector flaky failed (exit_code): /bin/sh -c "));
  EXPECT_THAT(log, HasSubstr("stderr: down"));
  EXPECT_THAT(log, HasSubstr("collector flaky still failing (exit_code): 10 times since "));

  std::ofstream(flag) << "";
  scrape_until([](const std::string& b) { return has(b, "flaky_value{collector=\"flaky\"} 1"); });
  ASSERT_TRUE(eventually([&] {
    log = daemon_->log();
    return has(log, "collector flaky recovered after ");
  })) << log;
  EXPECT_EQ(occurrences(log, "collector flaky failed (exit_code)"), 1u) << log;
}

}  // namespace
}  // namespace gleaner::testing
