// run_command (plugins/command_run.h), as plugins use it: the collector's
// timeout bounds the whole run, each later command getting what the
// earlier ones left (README "Scheduling"), and on_command_started is told
// as the command starts, not once it has ended.

#include "plugins/command_run.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/io_wait.h"

namespace gleaner::plugins {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using std::chrono::steady_clock;

const std::vector<int> kSuccess = {0};

class RunCommandTest : public ::testing::Test {
 protected:
  RunCommandTest() {
    settings_.name = "test";
    settings_.timeout = 2s;
  }

  CommandRun run(std::vector<std::string> argv) {
    std::optional<CommandRun> done;
    asio::co_spawn(io_, run_command(context_, command_for(settings_, std::move(argv)), kSuccess),
                   [&](std::exception_ptr error, CommandRun result) {
                     if (error) std::rethrow_exception(error);
                     done = std::move(result);
                   });
    EXPECT_TRUE(testing::run_until(io_, [&] { return done.has_value(); }));
    return done ? std::move(*done) : CommandRun{};
  }

  asio::io_context io_;
  subprocess::ProcessRunner runner_{io_.get_executor(), {}};
  CollectorSettings settings_;
  CollectContext context_{runner_, {}, {}, {}, {}, {}};
};

TEST_F(RunCommandTest, TellsOfTheStartWhileTheCommandRuns) {
  std::optional<std::size_t> running_when_told;
  steady_clock::time_point told{};
  context_.on_command_started = [&](steady_clock::time_point started) {
    running_when_told = runner_.running();
    told = started;
  };
  const auto done = run({"sleep", "0.2"});
  ASSERT_TRUE(done.ok()) << done.result.describe();
  ASSERT_TRUE(running_when_told.has_value()) << "on_command_started was not called";
  EXPECT_EQ(*running_when_told, 1u) << "told after the command had ended";
  EXPECT_EQ(told, done.result.started_at);
}

// What the run's earlier commands used is taken off this one's timeout.
TEST_F(RunCommandTest, GivesALaterCommandWhatTheEarlierOnesLeft) {
  context_.commands_ran = 1800ms;
  const auto done = run({"sleep", "30"});
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.failure->failure, FailureReason::timeout);
  EXPECT_EQ(done.result.failure_message,
            "timeout after 200ms, what the run's earlier commands left of its timeout (2000ms)");
  EXPECT_GE(context_.commands_ran, 2000ms) << "the command's time was not added to the run's";
}

// A command for which nothing is left is not started, yet on_command_finished
// is told of it with its failure: the run's trace (its log lines) must end
// with it, not with the earlier command that exited 0.
TEST_F(RunCommandTest, StartsNoCommandWhenTheRunsTimeoutIsUsedUp) {
  bool started = false;
  std::vector<std::string> finished_argv;
  subprocess::Result finished_result;
  context_.on_command_started = [&](steady_clock::time_point) { started = true; };
  context_.on_command_finished = [&](const subprocess::Command& command, const subprocess::Result& result) {
    finished_argv = command.argv;
    finished_result = result;
  };
  context_.commands_ran = 2s;
  const auto done = run({"true"});
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.failure->failure, FailureReason::timeout);
  EXPECT_NE(done.failure->message.find("not started: the run's earlier commands took its whole timeout (2000ms)"),
            std::string::npos)
      << done.failure->message;
  EXPECT_FALSE(started);
  EXPECT_EQ(finished_argv, std::vector<std::string>{"true"}) << "on_command_finished was not told of it";
  EXPECT_EQ(finished_result.describe(), "timeout: not started: the run's earlier commands took its whole timeout (2000ms)");
  EXPECT_EQ(context_.commands_ran, 2s) << "a command not started added time to the run's";
}

// Commands of a run that fit add up; each is given the rest.
TEST_F(RunCommandTest, AddsEachCommandsTimeToTheRuns) {
  ASSERT_TRUE(run({"sleep", "0.3"}).ok());
  const auto after_one = context_.commands_ran;
  EXPECT_GE(after_one, 300ms);
  ASSERT_TRUE(run({"sleep", "0.3"}).ok());
  EXPECT_GE(context_.commands_ran, after_one + 300ms);
}

// README "Scheduling": the time a command waits for its place among
// limits.max_concurrent is not counted. With the one place held by a 600 ms
// command, a command under a 300 ms timeout waits twice its timeout and
// still runs, and only its own time is added to the run's.
TEST_F(RunCommandTest, TheWaitForAPlaceIsNotCountedInTheTimeout) {
  runner_.set_max_concurrent(1);
  bool holder_done = false;
  runner_.async_run(command_for(settings_, {"sleep", "0.6"}), [&](const subprocess::Result&) { holder_done = true; });
  settings_.timeout = 300ms;
  const auto done = run({"true"});
  EXPECT_TRUE(done.ok()) << done.result.describe();
  EXPECT_TRUE(holder_done) << "the command did not wait for the place";
  EXPECT_LT(context_.commands_ran, 300ms) << "the wait was counted";
}

}  // namespace
}  // namespace gleaner::plugins
