// A long-lived child answering requests (InteractiveProcess), with real
// processes: answers by terminator and by quiet period, strays, timeouts,
// exits, a child that never reads its stdin, and nothing left behind.

#include "common/subprocess/interactive_process.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "tests/support/io_wait.h"
#include "tests/support/process_census.h"
#include "tests/support/refused_epoll_add.h"
#include "common/subprocess/process_runner.h"

namespace gleaner::subprocess {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using gleaner::testing::run_until;
using ::testing::HasSubstr;

class InteractiveProcessTest : public ::testing::Test {
 protected:
  // Whatever a test leaves running is ended and reaped before the next.
  void TearDown() override {
    runner_.shutdown();
    EXPECT_TRUE(run_until(io_, [&] { return runner_.running() == 0; }));
  }

  std::shared_ptr<InteractiveProcess> start(const std::string& script) {
    auto command = Command::shell(script);
    command.kill_grace = 200ms;
    return runner_.start_interactive(std::move(command));
  }

  Result ask(InteractiveProcess& child, InteractiveProcess::Timing timing = {}) {
    std::optional<Result> result;
    child.async_ask("\n", timing, [&](Result r) { result = std::move(r); });
    EXPECT_TRUE(run_until(io_, [&] { return result.has_value(); }));
    return result.value_or(Result{});
  }

  asio::io_context io_;
  ProcessRunner runner_{io_.get_executor(), {}};
};

TEST_F(InteractiveProcessTest, OneChildAnswersEveryRequestUpToItsBlankLine) {
  auto child = start("while read x; do echo a 1; echo; done");
  const pid_t pid = child->pid();
  for (int i = 0; i < 20; ++i) {
    const Result answer = ask(*child);
    ASSERT_EQ(answer.failure, RunFailure::none) << answer.failure_message;
    EXPECT_EQ(answer.stdout_data, "a 1\n");
  }
  EXPECT_TRUE(child->alive());
  EXPECT_EQ(child->pid(), pid);
  EXPECT_EQ(runner_.running(), 1u);
  child->close();
  ASSERT_TRUE(run_until(io_, [&] { return runner_.running() == 0; }));
  EXPECT_FALSE(gleaner::testing::group_exists(pid));
  EXPECT_EQ(gleaner::testing::zombie_child_count(), 0);
}

TEST_F(InteractiveProcessTest, EofLineEndsAnAnswerAndIsNotPartOfIt) {
  auto child = start("while read x; do printf 'a 1\\nb 2\\n# EOF\\n'; done");
  const Result answer = ask(*child);
  ASSERT_EQ(answer.failure, RunFailure::none) << answer.failure_message;
  EXPECT_EQ(answer.stdout_data, "a 1\nb 2\n");
}

TEST_F(InteractiveProcessTest, WithoutATerminatorTheQuietPeriodEndsTheAnswer) {
  // Thinks for longer than the quiet period before its first line: the
  // quiet period runs only once an answer has begun.
  // Its two lines in one write: a pause between them longer than the quiet
  // period (a loaded machine) would rightly end the answer after the first.
  auto child = start("n=0; while read x; do n=$((n+1)); sleep 0.3; printf 'ticks %d\\nother 2\\n' $n; done");
  for (int i = 1; i <= 3; ++i) {
    const Result answer = ask(*child, {.timeout = 10s, .quiet_period = 100ms});
    ASSERT_EQ(answer.failure, RunFailure::none) << answer.failure_message;
    EXPECT_EQ(answer.stdout_data, "ticks " + std::to_string(i) + "\nother 2\n");
  }
}

TEST_F(InteractiveProcessTest, LinesPrintedBetweenAnswersAreCountedAndDropped) {
  auto child = start("while read x; do echo a 1; echo; echo late 1; done");
  ASSERT_EQ(ask(*child).stdout_data, "a 1\n");
  ASSERT_TRUE(run_until(io_, [&] { return child->stray_lines() == 1; }));
  std::size_t strays = 0;
  EXPECT_EQ(child->take_strays(&strays), "late 1");
  EXPECT_EQ(strays, 1u);
  // The stray is not the start of the next answer.
  EXPECT_EQ(ask(*child).stdout_data, "a 1\n");
}

TEST_F(InteractiveProcessTest, AHungAnswerTimesOutAndEndsTheChild) {
  auto child = start("read x; echo a 1; echo; read x; exec sleep 1000");
  const pid_t pid = child->pid();
  ASSERT_EQ(ask(*child).failure, RunFailure::none);
  const auto asked = std::chrono::steady_clock::now();
  const Result answer = ask(*child, {.timeout = 300ms, .quiet_period = 100ms});
  EXPECT_EQ(answer.failure, RunFailure::timeout);
  EXPECT_THAT(answer.failure_message, HasSubstr("300ms"));
  EXPECT_GE(std::chrono::steady_clock::now() - asked, 300ms);
  EXPECT_FALSE(child->alive());
  ASSERT_TRUE(run_until(io_, [&] { return runner_.running() == 0; }));
  EXPECT_FALSE(gleaner::testing::group_exists(pid));
  // Every later request is told why, at once.
  EXPECT_EQ(ask(*child).failure, RunFailure::timeout);
}

TEST_F(InteractiveProcessTest, AnExitIsReportedWithItsCode) {
  auto child = start("read x; echo a 1; echo; read x; echo 'its last words' >&2; exit 3");
  ASSERT_EQ(ask(*child).failure, RunFailure::none);
  const Result answer = ask(*child);
  EXPECT_EQ(answer.failure, RunFailure::output_closed);
  EXPECT_EQ(answer.exit_code, 3);
  EXPECT_THAT(answer.failure_message, HasSubstr("exit code 3"));
  // What it printed on stderr just before it died is read with its exit.
  EXPECT_THAT(answer.stderr_tail, HasSubstr("its last words"));
  ASSERT_TRUE(run_until(io_, [&] { return runner_.running() == 0; }));
  EXPECT_EQ(gleaner::testing::zombie_child_count(), 0);
}

TEST_F(InteractiveProcessTest, AnAnswerPastMaxOutputEndsTheChild) {
  auto command = Command::shell("while read x; do yes a 1 | head -n 1000; echo; done");
  command.max_output = 1000;
  auto child = runner_.start_interactive(std::move(command));
  const Result answer = ask(*child);
  EXPECT_EQ(answer.failure, RunFailure::output_limit);
  ASSERT_TRUE(run_until(io_, [&] { return runner_.running() == 0; }));
}

TEST_F(InteractiveProcessTest, AChildThatNeverReadsItsStdinHoldsNothing) {
  // Answers on its own without reading: a request larger than its pipe
  // (1 MiB of newlines) is written as the pipe takes it, never blocking the
  // thread, and the next requests are not queued behind it; every answer
  // still comes.
  auto child = start("while :; do echo a 1; echo; sleep 0.05; done");
  std::optional<Result> first;
  child->async_ask(std::string(1024 * 1024, '\n'), {}, [&](Result r) { first = std::move(r); });
  ASSERT_TRUE(run_until(io_, [&] { return first.has_value(); }));
  EXPECT_EQ(first->failure, RunFailure::none);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(ask(*child).failure, RunFailure::none);
  child->close();
  ASSERT_TRUE(run_until(io_, [&] { return runner_.running() == 0; }));
}

TEST_F(InteractiveProcessTest, ASpawnFailureIsTheFirstAnswer) {
  Command command;
  command.argv = {"/nonexistent/plugin"};
  auto child = runner_.start_interactive(std::move(command));
  const Result answer = ask(*child);
  EXPECT_EQ(answer.failure, RunFailure::spawn);
  EXPECT_THAT(answer.failure_message, HasSubstr("/nonexistent/plugin"));
  EXPECT_EQ(runner_.running(), 0u);
}

// The kernel may refuse to watch one more child (ENOSPC: a user's epoll
// watches used up): the child just started is killed and reaped at once,
// and that reason is the first answer.
TEST(InteractiveProcessExitWatchTest, AChildWhoseExitCannotBeWatchedIsEndedAndSaysWhy) {
  asio::io_context io;
  std::unique_ptr<ProcessRunner> runner;
  const int exit_set = gleaner::testing::epoll_set_made_by(
      io, [&] { runner = std::make_unique<ProcessRunner>(io.get_executor(), ProcessRunner::Options{}); });
  ASSERT_GE(exit_set, 0) << "the runner's set of exits was not found";

  std::optional<Result> answer;
  if (!gleaner::testing::on_a_thread_refusing_adds_to(exit_set, [&] {
        Command command;
        command.argv = {"sleep", "97.532"};
        auto child = runner->start_interactive(std::move(command));
        child->async_ask("\n", {}, [&](Result r) { answer = std::move(r); });
        run_until(io, [&] { return answer.has_value(); });
      })) {
    GTEST_SKIP() << "this kernel takes no seccomp filter";
  }
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->failure, RunFailure::spawn);
  EXPECT_EQ(answer->failure_message, std::string("cannot wait for its exit: ") + std::strerror(ENOSPC));
  EXPECT_TRUE(gleaner::testing::live_processes_running({"sleep", "97.532"}).empty()) << "the child was left running";
  EXPECT_EQ(gleaner::testing::child_count(), 0) << "the child was not reaped";
  EXPECT_EQ(runner->running(), 0u);
}

TEST_F(InteractiveProcessTest, ShutdownEndsChildrenThatIgnoreSigterm) {
  runner_.reaper().adopt_orphans();
  {  // let lazily created descriptors (epoll, timers) exist first
    auto first = start("while read x; do echo; done");
    ask(*first);
    first->close();
    ASSERT_TRUE(run_until(io_, [&] { return runner_.running() == 0; }));
  }
  const int fds_before = gleaner::testing::open_fd_count();
  auto child = start("trap '' TERM; while read x; do echo a 1; echo; done");
  ASSERT_EQ(ask(*child).failure, RunFailure::none);
  const pid_t pid = child->pid();
  runner_.shutdown();
  ASSERT_TRUE(run_until(io_, [&] { return runner_.running() == 0; }));
  EXPECT_FALSE(gleaner::testing::group_exists(pid));
  EXPECT_EQ(gleaner::testing::zombie_child_count(), 0);
  child.reset();
  EXPECT_EQ(gleaner::testing::open_fd_count(), fds_before);
}

}  // namespace
}  // namespace gleaner::subprocess
