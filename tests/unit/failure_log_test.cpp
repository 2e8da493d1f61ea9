// What the log says about a collector that keeps failing, on a clock of
// the test's own: the first failure, reminders at growing intervals, a new
// reason, the recovery.

#include "daemon/scheduler/failure_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gleaner::daemon {
namespace {

using namespace std::chrono_literals;
using plugins::FailureReason;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class FailureLogTest : public ::testing::Test {
 protected:
  FailureLog log{"disk", [this](spdlog::level::level_enum level, const std::string& line, const logging::Fields& f) {
                   fields.push_back(f);
                   lines.push_back(line);
                   levels.push_back(level);
                 }};
  // 2026-11-26T10:00:00Z
  const FailureLog::Clock::time_point t0 = FailureLog::Clock::from_time_t(1795687200);
  std::vector<std::string> lines;
  std::vector<spdlog::level::level_enum> levels;
  std::vector<logging::Fields> fields;
};

TEST_F(FailureLogTest, TheFirstFailureIsLoggedWithItsReasonAndMessage) {
  log.failed(FailureReason::exit_code, "df -P: exit code 1; stderr: oops", t0);
  EXPECT_THAT(lines, ElementsAre("collector disk failed (exit_code): df -P: exit code 1; stderr: oops"));
  EXPECT_THAT(levels, ElementsAre(spdlog::level::warn));
}

TEST_F(FailureLogTest, RepeatedFailuresAreSummarisedNotLoggedEachTime) {
  // Once a second for an hour.
  for (int i = 0; i < 3600; ++i) log.failed(FailureReason::exit_code, "exit code " + std::to_string(i), t0 + i * 1s);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[0], "collector disk failed (exit_code): exit code 0");
  EXPECT_EQ(lines[1], "collector disk still failing (exit_code): 10 times since 2026-11-26T10:00:00Z; latest: exit code 9");
  // Then every ten minutes: at 609 s, 1209 s, … (the failure 600 s after the last reminder).
  EXPECT_EQ(lines[2], "collector disk still failing (exit_code): 610 times since 2026-11-26T10:00:00Z; latest: exit code 609");
  EXPECT_EQ(lines.size(), 2u + 5u);  // 609, 1209, 1809, 2409, 3009
}

TEST_F(FailureLogTest, AFastFailingCollectorStillGetsFewLines) {
  // Ten a second for ten minutes: 6,000 failures.
  for (int i = 0; i < 6000; ++i) log.failed(FailureReason::parse, "bad line", t0 + i * 100ms);
  EXPECT_EQ(lines.size(), 2u);  // the first, the tenth; the next reminder is due at 10 min 0.9 s
}

TEST_F(FailureLogTest, AChangeOfReasonIsLoggedAnew) {
  for (int i = 0; i < 5; ++i) log.failed(FailureReason::exit_code, "exit code 1", t0 + i * 1s);
  log.failed(FailureReason::timeout, "timeout after 10000ms", t0 + 5s);
  for (int i = 6; i < 15; ++i) log.failed(FailureReason::timeout, "timeout after 10000ms", t0 + i * 1s);
  EXPECT_THAT(lines, ElementsAre("collector disk failed (exit_code): exit code 1",
                                 "collector disk failed (timeout): timeout after 10000ms",
                                 "collector disk still failing (timeout): 10 times since 2026-11-26T10:00:05Z; "
                                 "latest: timeout after 10000ms"));
}

TEST_F(FailureLogTest, RecoveryIsLoggedWithTheNumberOfFailures) {
  for (int i = 0; i < 57; ++i) log.failed(FailureReason::exit_code, "exit code 1", t0 + i * 1s);
  lines.clear();
  levels.clear();
  log.succeeded();
  log.succeeded();  // a second success says nothing more
  EXPECT_THAT(lines, ElementsAre("collector disk recovered after 57 failures"));
  EXPECT_THAT(levels, ElementsAre(spdlog::level::info));
  // Failing again starts a new story.
  log.failed(FailureReason::exit_code, "exit code 1", t0 + 1h);
  EXPECT_THAT(lines.back(), HasSubstr("collector disk failed (exit_code)"));
}

// README "What is logged": each line's fields, for a log pipeline.
std::vector<std::string> described(const logging::Fields& fields) {
  std::vector<std::string> pairs;
  for (const auto& field : fields) pairs.push_back(field.key + "=" + field.value + (field.number ? "#" : ""));
  return pairs;
}

TEST_F(FailureLogTest, EachLineCarriesTheEventsFields) {
  const logging::Fields run{{"command", "df -P"}, {"exit_code", 1}};
  for (int i = 0; i < 10; ++i) log.failed(FailureReason::exit_code, "exit code 1", t0 + i * 1s, run);
  log.succeeded();
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_THAT(described(fields[0]), ElementsAre("event=collector_failed", "collector=disk", "reason=exit_code",
                                                "command=df -P", "exit_code=1#", "failures=1#"));
  EXPECT_THAT(described(fields[1]), ElementsAre("event=collector_still_failing", "collector=disk", "reason=exit_code",
                                                "command=df -P", "exit_code=1#", "failures=10#"));
  EXPECT_THAT(described(fields[2]), ElementsAre("event=collector_recovered", "collector=disk", "failures=10#"));
}

TEST_F(FailureLogTest, SuccessWithoutFailuresSaysNothing) {
  log.succeeded();
  EXPECT_TRUE(lines.empty());
}

}  // namespace
}  // namespace gleaner::daemon
