// The subprocess layer against real processes: every behaviour the daemon
// relies on, with real commands.

#include "common/subprocess/process_runner.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/io_wait.h"
#include "tests/support/process_census.h"
#include "tests/support/refused_epoll_add.h"
#include "tests/support/scratch_dir.h"

namespace gleaner::subprocess {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using gleaner::testing::run_until;
using ::testing::HasSubstr;
using ::testing::StartsWith;

Command make(std::vector<std::string> argv, std::chrono::milliseconds timeout = 10s) {
  Command command;
  command.argv = std::move(argv);
  command.timeout = timeout;
  return command;
}

Command sh(std::string script, std::chrono::milliseconds timeout = 10s) {
  Command command = Command::shell(std::move(script));
  command.timeout = timeout;
  return command;
}

class ProcessRunnerTest : public ::testing::Test {
 protected:
  // Runs one command to its end through the callback face.
  Result run(Command command) {
    std::optional<Result> result;
    runner_.async_run(std::move(command), [&](Result r) { result = std::move(r); });
    EXPECT_TRUE(run_until(io_, [&] { return result.has_value(); }));
    return result.value_or(Result{});
  }

  asio::io_context io_;
  ProcessRunner runner_{io_.get_executor(), {.max_concurrent = 16}};
};

TEST_F(ProcessRunnerTest, ReadsTheWholeOutputOfDfWithACallback) {
  const Result result = run(make({"df", "-kP"}));
  ASSERT_EQ(result.failure, RunFailure::none) << result.describe();
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.stdout_data, StartsWith("Filesystem"));
  EXPECT_EQ(result.stdout_data.back(), '\n');
  // Whole: the same filesystems, line for line, as df printed to a pipe here.
  const auto first_column = [](const std::string& text) {
    std::vector<std::string> devices;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) devices.push_back(line.substr(0, line.find(' ')));
    return devices;
  };
  FILE* pipe = ::popen("df -kP", "r");
  std::string direct;
  char buffer[4096];
  while (const auto n = std::fread(buffer, 1, sizeof buffer, pipe)) direct.append(buffer, n);
  ::pclose(pipe);
  EXPECT_EQ(first_column(result.stdout_data), first_column(direct));
  EXPECT_GE(first_column(result.stdout_data).size(), 2u);  // the header and a filesystem
  EXPECT_GT(result.duration.count(), 0);
}

// The timers of this process (the loop's own and the layer's), as the
// kernel shows them: armed for when, and expirations not yet read.
struct TimerState {
  std::string armed_for;  // "(0, 0)" when disarmed
  unsigned long expired_unread = 0;
};
std::vector<TimerState> timers_of_this_process() {
  std::vector<TimerState> timers;
  for (int fd = 0; fd < 1024; ++fd) {
    char target[64] = {};
    const std::string link = "/proc/self/fd/" + std::to_string(fd);
    if (::readlink(link.c_str(), target, sizeof target - 1) <= 0 || std::string(target) != "anon_inode:[timerfd]") {
      continue;
    }
    std::ifstream info("/proc/self/fdinfo/" + std::to_string(fd));
    TimerState timer;
    for (std::string line; std::getline(info, line);) {
      if (line.rfind("ticks:", 0) == 0) timer.expired_unread = std::stoul(line.substr(6));
      if (line.rfind("it_value:", 0) == 0) timer.armed_for = line.substr(line.find('('));
    }
    timers.push_back(timer);
  }
  return timers;
}

TEST_F(ProcessRunnerTest, ARunDoneBeforeItsPipesAreWatchedLeavesNoTimerToWakeTheLoop) {
  // A command done within the 10 ms after which its pipes would be watched
  // (README "How it works") must not wake the loop at those 10 ms: at 100
  // runs a second, such wake-ups were a host's CPU for nothing. No timeout,
  // so the run arms no other timer.
  std::optional<Result> result;
  runner_.async_run(make({"true"}, 0ms), [&](Result r) { result = std::move(r); });
  const auto deadline = std::chrono::steady_clock::now() + gleaner::testing::kPatience;
  while (!result && std::chrono::steady_clock::now() < deadline) io_.run_one_for(100ms);
  ASSERT_TRUE(result.has_value());
  if (result->duration >= 10ms) GTEST_SKIP() << "the command took " << result->duration.count() << " ns: its pipes were watched";
  // Past the 10 ms, with the loop not running: a timer left armed for them
  // would have expired unread by now.
  std::this_thread::sleep_for(50ms);
  const auto timers = timers_of_this_process();
  ASSERT_FALSE(timers.empty()) << "no timerfd found: the check would prove nothing";
  for (const auto& timer : timers) {
    EXPECT_EQ(timer.expired_unread, 0u) << "a timer expired with nothing due";
    EXPECT_EQ(timer.armed_for, "(0, 0)") << "a timer still armed";
  }
}

// The kernel may refuse to watch one more child (a user's epoll watches
// used up: ENOSPC). The run then fails with that reason, the child just
// started is killed and reaped at once, and the runner goes on.
TEST(ProcessRunnerExitWatchTest, ARunWhoseExitCannotBeWatchedFailsAndLeavesNoChild) {
  asio::io_context io;
  std::unique_ptr<ProcessRunner> runner;
  const int exit_set = gleaner::testing::epoll_set_made_by(
      io, [&] { runner = std::make_unique<ProcessRunner>(io.get_executor(), ProcessRunner::Options{}); });
  ASSERT_GE(exit_set, 0) << "the runner's set of exits was not found";

  std::optional<Result> refused;
  if (!gleaner::testing::on_a_thread_refusing_adds_to(exit_set, [&] {
        runner->async_run(make({"sleep", "97.531"}), [&](Result r) { refused = std::move(r); });
        run_until(io, [&] { return refused.has_value(); });
      })) {
    GTEST_SKIP() << "this kernel takes no seccomp filter";
  }
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->failure, RunFailure::spawn);
  EXPECT_EQ(refused->failure_message, std::string("cannot wait for its exit: ") + std::strerror(ENOSPC));
  EXPECT_TRUE(gleaner::testing::live_processes_running({"sleep", "97.531"}).empty()) << "the child was left running";
  EXPECT_EQ(gleaner::testing::child_count(), 0) << "the child was not reaped";
  EXPECT_EQ(runner->running(), 0u);

  std::optional<Result> next;  // on this thread the set takes watches again
  runner->async_run(make({"echo", "next"}), [&](Result r) { next = std::move(r); });
  ASSERT_TRUE(run_until(io, [&] { return next.has_value(); }));
  EXPECT_EQ(next->failure, RunFailure::none) << next->describe();
  EXPECT_EQ(next->stdout_data, "next\n");
}

TEST_F(ProcessRunnerTest, FeedsStdinToTrFromACoroutine) {
  std::optional<Result> result;
  Command command = make({"tr", "[:lower:]", "[:upper:]"});
  command.stdin_data = "hello, world\n";
  asio::co_spawn(
      io_,
      [&]() -> asio::awaitable<void> {
        result = co_await runner_.async_run(command, asio::use_awaitable);
      },
      asio::detached);
  ASSERT_TRUE(run_until(io_, [&] { return result.has_value(); }));
  EXPECT_EQ(result->failure, RunFailure::none) << result->describe();
  EXPECT_EQ(result->stdout_data, "HELLO, WORLD\n");
}

TEST_F(ProcessRunnerTest, StdinIsDevNullWithoutStdinData) {
  const Result result = run(make({"cat"}));
  EXPECT_TRUE(result.exited_with(0)) << result.describe();
  EXPECT_EQ(result.stdout_data, "");
}

TEST_F(ProcessRunnerTest, LargeStdinToACommandThatNeverReadsIt) {
  Command command = make({"true"});
  command.stdin_data = std::string(4 << 20, 'x');  // far more than a pipe holds
  const Result result = run(command);
  EXPECT_TRUE(result.exited_with(0)) << result.describe();
}

TEST_F(ProcessRunnerTest, SleepIsKilledAtItsTimeout) {
  const auto start = std::chrono::steady_clock::now();
  const Result result = run(make({"sleep", "60"}, 200ms));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result.failure, RunFailure::timeout);
  EXPECT_THAT(result.failure_message, HasSubstr("200ms"));
  EXPECT_EQ(result.term_signal, SIGTERM);
  EXPECT_LT(elapsed, 2s);
}

TEST_F(ProcessRunnerTest, IgnoringSigtermEndsInSigkillAfterTheGrace) {
  Command command = sh("trap '' TERM; echo ready; sleep 60", 200ms);
  const auto start = std::chrono::steady_clock::now();
  const Result result = run(command);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result.failure, RunFailure::timeout);
  EXPECT_EQ(result.term_signal, SIGKILL);
  EXPECT_EQ(result.stdout_data, "ready\n");
  // README (Timeouts): SIGKILL one second after SIGTERM. The default grace is
  // what is under test, so the bounds are README's figure, not the field:
  // timers never fire early, so at least 200 ms + 1 s; and well short of
  // what a grace of 2 s or more would give (2.2 s and over), with a second of
  // room for a loaded machine.
  EXPECT_GE(elapsed, 1200ms);
  EXPECT_LT(elapsed, 2200ms);
}

TEST_F(ProcessRunnerTest, GrandchildHoldingStdoutDoesNotHoldTheRunNorOutliveIt) {
  runner_.reaper().adopt_orphans();
  // The shell prints its pid (the group id), starts a background child that
  // inherits stdout, and exits at once.
  const auto start = std::chrono::steady_clock::now();
  const Result result = run(sh("echo $$; sleep 60 & echo hi", 5s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  ASSERT_TRUE(result.exited_with(0)) << result.describe();
  std::istringstream lines(result.stdout_data);
  pid_t group = 0;
  std::string hi;
  lines >> group >> hi;
  EXPECT_EQ(hi, "hi");
  ASSERT_GT(group, 0);
  // The sleep was killed with its group and, adopted, reaped: nothing left.
  EXPECT_TRUE(run_until(io_, [&] { return !gleaner::testing::group_exists(group); }));
  EXPECT_TRUE(run_until(io_, [&] { return gleaner::testing::child_count() == 0; }));
}

TEST_F(ProcessRunnerTest, GrandchildOfATimedOutRunIsKilledWithTheGroup) {
  runner_.reaper().adopt_orphans();
  const Result result = run(sh("echo $$; sleep 61 & sleep 60", 300ms));
  EXPECT_EQ(result.failure, RunFailure::timeout);
  const pid_t group = std::atoi(result.stdout_data.c_str());
  ASSERT_GT(group, 0);
  EXPECT_TRUE(run_until(io_, [&] { return !gleaner::testing::group_exists(group); }));
  EXPECT_TRUE(run_until(io_, [&] { return gleaner::testing::child_count() == 0; }));
}

TEST_F(ProcessRunnerTest, OutputPastTheLimitKillsTheGroupAndFailsTheRun) {
  Command command = make({"yes"});
  command.max_output = 64 * 1024;
  const Result result = run(command);
  EXPECT_EQ(result.failure, RunFailure::output_limit);
  EXPECT_THAT(result.failure_message, HasSubstr("65536"));
  EXPECT_LE(result.stdout_data.size(), command.max_output);
  // Killed, or hit by the closed pipe first: either way it did not run on.
  EXPECT_THAT(result.term_signal, ::testing::AnyOf(SIGKILL, SIGPIPE));
}

TEST_F(ProcessRunnerTest, OutputExactlyAtTheLimitIsAccepted) {
  Command command = sh("head -c 1000 /dev/zero");
  command.max_output = 1000;
  const Result result = run(command);
  EXPECT_TRUE(result.exited_with(0)) << result.describe();
  EXPECT_EQ(result.stdout_data.size(), 1000u);
}

TEST_F(ProcessRunnerTest, MissingExecutableIsASpawnErrorNamingThePath) {
  const Result result = run(make({"/nonexistent/gleaner-probe"}));
  EXPECT_EQ(result.failure, RunFailure::spawn);
  EXPECT_THAT(result.failure_message, HasSubstr("/nonexistent/gleaner-probe"));
  EXPECT_THAT(result.failure_message, HasSubstr("No such file or directory"));
  EXPECT_FALSE(result.exit_code.has_value());
}

TEST_F(ProcessRunnerTest, CommandNotOnPathIsASpawnError) {
  const Result result = run(make({"gleaner-no-such-command"}));
  EXPECT_EQ(result.failure, RunFailure::spawn);
  EXPECT_THAT(result.failure_message, HasSubstr("gleaner-no-such-command: not found on PATH"));
}

TEST_F(ProcessRunnerTest, NonExecutableFileIsASpawnErrorNamingThePath) {
  char path[] = "/tmp/gleaner-noexec-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "#!/bin/sh\necho hi\n", 18), 18);
  ::close(fd);
  ::chmod(path, 0644);
  const Result result = run(make({path}));
  ::unlink(path);
  EXPECT_EQ(result.failure, RunFailure::spawn);
  EXPECT_THAT(result.failure_message, HasSubstr(path));
  EXPECT_THAT(result.failure_message, HasSubstr("Permission denied"));
}

TEST_F(ProcessRunnerTest, ScriptWithoutShebangIsASpawnError) {
  char path[] = "/tmp/gleaner-noshebang-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "echo hi\n", 8), 8);
  ::close(fd);
  ::chmod(path, 0755);
  const Result result = run(make({path}));
  ::unlink(path);
  EXPECT_EQ(result.failure, RunFailure::spawn);
  EXPECT_THAT(result.failure_message, HasSubstr("Exec format error"));
}

TEST_F(ProcessRunnerTest, ADirectoryIsNotExecutable) {
  const Result result = run(make({"/tmp"}));
  EXPECT_EQ(result.failure, RunFailure::spawn);
  EXPECT_THAT(result.failure_message, HasSubstr("/tmp: Permission denied"));
}

TEST_F(ProcessRunnerTest, MissingWorkingDirIsASpawnError) {
  Command command = make({"pwd"});
  command.working_dir = "/nonexistent-dir";
  const Result result = run(command);
  EXPECT_EQ(result.failure, RunFailure::spawn);
  EXPECT_THAT(result.failure_message, HasSubstr("working_dir /nonexistent-dir"));
}

TEST_F(ProcessRunnerTest, ExitCodeAndSignalAreReported) {
  EXPECT_EQ(run(sh("exit 3")).exit_code, 3);
  const Result killed = run(sh("kill -9 $$"));
  EXPECT_EQ(killed.failure, RunFailure::none);
  EXPECT_EQ(killed.term_signal, SIGKILL);
  EXPECT_FALSE(killed.exit_code.has_value());
  EXPECT_THAT(killed.describe(), HasSubstr("signal 9"));
}

TEST_F(ProcessRunnerTest, EnvironmentIsMinimalUnlessInherited) {
  ::setenv("GLEANER_TEST_SECRET", "inherited", 1);
  Command command = make({"env"});
  command.env = {"EXTRA=1"};
  std::set<std::string> lines;
  std::istringstream minimal(run(command).stdout_data);
  for (std::string line; std::getline(minimal, line);) lines.insert(line);
  EXPECT_EQ(lines, (std::set<std::string>{std::string("PATH=") + kDefaultPath, "LC_ALL=C", "EXTRA=1"}));

  command.inherit_env = true;
  const std::string inherited = run(command).stdout_data;
  EXPECT_THAT(inherited, HasSubstr("GLEANER_TEST_SECRET=inherited\n"));
  EXPECT_THAT(inherited, HasSubstr("EXTRA=1\n"));
}

TEST_F(ProcessRunnerTest, EnvironmentCanOverridePathForLookup) {
  Command command = make({"gleaner-path-probe"});
  const gleaner::testing::ScratchDir dir;
  const std::string script = dir.file("gleaner-path-probe");
  std::ofstream(script) << "#!/bin/sh\necho found\n";
  ::chmod(script.c_str(), 0755);
  command.env = {"PATH=" + dir.path().string()};
  const Result result = run(command);
  EXPECT_EQ(result.stdout_data, "found\n") << result.describe();
}

TEST_F(ProcessRunnerTest, WorkingDirIsApplied) {
  Command command = make({"pwd"});
  EXPECT_EQ(run(command).stdout_data, "/\n");
  command.working_dir = "/tmp";
  EXPECT_EQ(run(command).stdout_data, "/tmp\n");
}

TEST_F(ProcessRunnerTest, StderrKeepsItsLastFourKilobytes) {
  const Result result = run(sh("head -c 10000 /dev/zero | tr '\\0' x >&2; echo done >&2; exit 1"));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.stderr_tail.size(), 4096u);
  EXPECT_THAT(result.stderr_tail, ::testing::EndsWith("xxdone\n"));
}

TEST_F(ProcessRunnerTest, ChildrenSeeOnlyTheirStandardDescriptors) {
  // A descriptor of ours without close-on-exec must still not reach them.
  const int leaky = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(leaky, 0);
  const Result result = run(make({"ls", "/proc/self/fd"}));
  ::close(leaky);
  // 3 is ls's own handle on the directory it lists.
  EXPECT_EQ(result.stdout_data, "0\n1\n2\n3\n");
}

TEST_F(ProcessRunnerTest, ChildrenStartWithDefaultSignalsEvenThoughSigpipeIsIgnoredHere) {
  // yes would run for ever if SIGPIPE were still ignored in the child.
  const Result result = run(sh("yes | head -n 2"));
  EXPECT_TRUE(result.exited_with(0)) << result.describe();
  EXPECT_EQ(result.stdout_data, "y\ny\n");
}

TEST_F(ProcessRunnerTest, ThousandRunsLeaveNoDescriptorOrChildBehind) {
  runner_.reaper().adopt_orphans();
  run(make({"true"}));  // let lazily created descriptors (epoll, timers) exist first
  const int fds_before = gleaner::testing::open_fd_count();
  const int children_before = gleaner::testing::child_count();
  int done = 0;
  int succeeded = 0;
  for (int i = 0; i < 1000; ++i) {
    runner_.async_run(make({"true"}), [&](Result r) {
      ++done;
      succeeded += r.exited_with(0);
    });
  }
  ASSERT_TRUE(run_until(io_, [&] { return done == 1000; }));
  EXPECT_EQ(succeeded, 1000);
  EXPECT_EQ(runner_.running(), 0u);
  EXPECT_EQ(gleaner::testing::open_fd_count(), fds_before);
  EXPECT_EQ(gleaner::testing::child_count(), children_before);
}

TEST_F(ProcessRunnerTest, ConcurrentLargeOutputsArriveWholeAndInOrder) {
  // Larger than a pipe holds, from many commands at once: every byte must
  // come out in order even when a command's exit is seen before its last
  // chunk of output has been handled.
  char path[] = "/tmp/gleaner-big-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string content;
  for (int i = 0; content.size() < 300'000; ++i) content += "line " + std::to_string(i) + " of the big file\n";
  ASSERT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  ::close(fd);
  constexpr int kRuns = 40;
  int done = 0, whole = 0;
  for (int i = 0; i < kRuns; ++i) {
    runner_.async_run(make({"cat", path}), [&](Result r) {
      ++done;
      whole += r.exited_with(0) && r.stdout_data == content;
    });
  }
  ASSERT_TRUE(run_until(io_, [&] { return done == kRuns; }));
  ::unlink(path);
  EXPECT_EQ(whole, kRuns);
}

TEST_F(ProcessRunnerTest, ConcurrencyLimitQueuesRunsInOrder) {
  runner_.set_max_concurrent(2);
  struct Span {
    long long start = 0, end = 0;
  };
  std::vector<Span> spans(6);
  std::vector<std::chrono::steady_clock::time_point> spawned(6);
  int done = 0;
  std::size_t most_running = 0;
  for (int i = 0; i < 6; ++i) {
    runner_.async_run(sh("date +%s%N; sleep 0.2; date +%s%N"), [&, i](Result r) {
      std::istringstream(r.stdout_data) >> spans[i].start >> spans[i].end;
      spawned[i] = r.started_at;
      ++done;
    });
    most_running = std::max(most_running, runner_.running());
  }
  EXPECT_EQ(runner_.queued(), 4u);
  ASSERT_TRUE(run_until(io_, [&] {
    most_running = std::max(most_running, runner_.running());
    return done == 6;
  }));
  EXPECT_LE(most_running, 2u);
  for (int i = 0; i < 6; ++i) {
    ASSERT_GT(spans[i].start, 0) << i;
    int overlapping = 0;
    for (int j = 0; j < 6; ++j) overlapping += spans[j].start <= spans[i].start && spans[i].start < spans[j].end;
    EXPECT_LE(overlapping, 2) << "run " << i << " started while two others ran";
  }
  // In order: the runner spawns them as they were queued (first in, first
  // out). Its own spawn times, taken one after another on the loop, decide,
  // not the children's clocks, which two runs started together may read in
  // either order.
  for (int i = 1; i < 6; ++i) EXPECT_LT(spawned[i - 1], spawned[i]) << "run " << i << " spawned before run " << i - 1;
}

TEST_F(ProcessRunnerTest, CancellationTerminatesTheGroup) {
  asio::cancellation_signal cancel;
  std::optional<Result> result;
  runner_.async_run(sh("echo $$; exec sleep 60"),
                    asio::bind_cancellation_slot(cancel.slot(), [&](Result r) { result = std::move(r); }));
  ASSERT_TRUE(run_until(io_, [&] { return runner_.running() == 1; }));
  io_.run_for(50ms);
  cancel.emit(asio::cancellation_type::terminal);
  ASSERT_TRUE(run_until(io_, [&] { return result.has_value(); }));
  EXPECT_EQ(result->failure, RunFailure::cancelled);
  EXPECT_EQ(result->term_signal, SIGTERM);
}

TEST_F(ProcessRunnerTest, CancellingAQueuedRunNeverStartsIt) {
  runner_.set_max_concurrent(1);
  std::optional<Result> first, second;
  asio::cancellation_signal cancel;
  runner_.async_run(make({"sleep", "0.3"}), [&](Result r) { first = std::move(r); });
  runner_.async_run(make({"touch", "/tmp/gleaner-must-not-exist"}),
                    asio::bind_cancellation_slot(cancel.slot(), [&](Result r) { second = std::move(r); }));
  EXPECT_EQ(runner_.queued(), 1u);
  cancel.emit(asio::cancellation_type::terminal);
  ASSERT_TRUE(run_until(io_, [&] { return first && second; }));
  EXPECT_TRUE(first->exited_with(0));
  EXPECT_EQ(second->failure, RunFailure::cancelled);
  EXPECT_EQ(::access("/tmp/gleaner-must-not-exist", F_OK), -1);
}

TEST_F(ProcessRunnerTest, ShutdownTerminatesRunningAndRefusesNewRuns) {
  std::optional<Result> running, queued, late;
  runner_.set_max_concurrent(1);
  runner_.async_run(make({"sleep", "60"}), [&](Result r) { running = std::move(r); });
  runner_.async_run(make({"sleep", "60"}), [&](Result r) { queued = std::move(r); });
  ASSERT_TRUE(run_until(io_, [&] { return runner_.running() == 1; }));
  runner_.shutdown();
  runner_.async_run(make({"true"}), [&](Result r) { late = std::move(r); });
  ASSERT_TRUE(run_until(io_, [&] { return running && queued && late; }));
  EXPECT_EQ(running->failure, RunFailure::cancelled);
  EXPECT_EQ(running->term_signal, SIGTERM);
  EXPECT_EQ(queued->failure, RunFailure::cancelled);
  EXPECT_EQ(late->failure, RunFailure::cancelled);
}

TEST_F(ProcessRunnerTest, StreamHandsOverEachLineAsItArrives) {
  std::vector<std::string> lines;
  std::vector<std::size_t> running_at_line;
  std::optional<Result> result;
  runner_.async_stream(
      sh("for i in 1 2 3; do echo line$i; sleep 0.1; done; printf tail"), Framing::lines,
      [&](const StreamRecord& line) {
        lines.emplace_back(line.text);
        running_at_line.push_back(runner_.running());
      },
      [&](Result r) { result = std::move(r); });
  ASSERT_TRUE(run_until(io_, [&] { return result.has_value(); }));
  EXPECT_TRUE(result->exited_with(0)) << result->describe();
  EXPECT_EQ(lines, (std::vector<std::string>{"line1", "line2", "line3", "tail"}));
  // The first lines came while the command was still running.
  EXPECT_EQ(running_at_line.front(), 1u);
}

TEST_F(ProcessRunnerTest, StreamInBlocksFromACoroutine) {
  std::vector<std::string> blocks;
  std::optional<Result> result;
  asio::co_spawn(
      io_,
      [&]() -> asio::awaitable<void> {
        result = co_await runner_.async_stream(
            sh("printf 'a 1\\nb 2\\n\\nc 3\\n\\n\\nd 4'"), Framing::blocks,
            [&](const StreamRecord& block) { blocks.emplace_back(block.text); }, asio::use_awaitable);
      },
      asio::detached);
  ASSERT_TRUE(run_until(io_, [&] { return result.has_value(); }));
  EXPECT_EQ(blocks, (std::vector<std::string>{"a 1\nb 2\n", "c 3\n", "d 4\n"}));
}

TEST_F(ProcessRunnerTest, StreamRecordPastTheLimitEndsTheStream) {
  Command command = make({"yes", "a-long-line-without-end"}, 0ms);
  command.max_output = 100;
  command.argv = {"sh", "-c", "while :; do printf xxxxxxxxxx; done"};
  std::optional<Result> result;
  runner_.async_stream(command, Framing::lines, [](const StreamRecord&) {},
                       [&](Result r) { result = std::move(r); });
  ASSERT_TRUE(run_until(io_, [&] { return result.has_value(); }));
  EXPECT_EQ(result->failure, RunFailure::output_limit);
}

// A stream printing as fast as it can (seq: every record numbered) gets at
// most max_records_per_second records a second; each one handed over is the
// latest read at its turn, and the count of those coalesced before it is
// exact: together they account for every number.
TEST_F(ProcessRunnerTest, AFloodingStreamIsCoalescedToItsRateWithEveryRecordAccountedFor) {
  Command command = make({"seq", "1", "1000000000"}, 0ms);
  command.max_records_per_second = 10;
  std::vector<std::string> texts;
  std::vector<std::uint64_t> coalesced_before;
  std::optional<Result> result;
  asio::cancellation_signal cancel;
  const auto started = std::chrono::steady_clock::now();
  runner_.async_stream(
      command, Framing::lines,
      [&](const StreamRecord& record) {
        texts.emplace_back(record.text);
        coalesced_before.push_back(record.coalesced);
      },
      asio::bind_cancellation_slot(cancel.slot(), [&](Result r) { result = std::move(r); }));
  ASSERT_TRUE(run_until(io_, [&] { return texts.size() >= 25; }));
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  cancel.emit(asio::cancellation_type::terminal);
  ASSERT_TRUE(run_until(io_, [&] { return result.has_value(); }));
  // The rate: a burst of ten, then ten a second (a bound the throttle keeps
  // whatever the machine's load; a slower machine hands over fewer).
  EXPECT_LE(static_cast<double>(texts.size()), 10 + 10 * elapsed + 1) << "in " << elapsed << " s";
  // The first records come as a burst; after it, records were coalesced.
  std::uint64_t coalesced = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto number = std::stoull(texts[i]);
    const auto previous = i == 0 ? 0 : std::stoull(texts[i - 1]);
    // Nothing lost and nothing out of order: the numbers skipped are the ones counted.
    EXPECT_EQ(number, previous + 1 + coalesced_before[i]) << "record " << i;
    coalesced += coalesced_before[i];
  }
  EXPECT_GT(coalesced, 0u);
}

// A stream that closed its stdout can print nothing more: it is ended, not
// left running with its last values published for ever.
TEST_F(ProcessRunnerTest, AStreamThatClosesItsOutputAndKeepsRunningIsEnded) {
  std::vector<std::string> lines;
  std::optional<Result> result;
  const auto started = std::chrono::steady_clock::now();
  runner_.async_stream(
      sh("echo m 1; exec >&-; sleep 60"), Framing::lines, [&](const StreamRecord& line) { lines.emplace_back(line.text); },
      [&](Result r) { result = std::move(r); });
  ASSERT_TRUE(run_until(io_, [&] { return result.has_value(); }));
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_EQ(lines, std::vector<std::string>{"m 1"});
  EXPECT_EQ(result->failure, RunFailure::output_closed) << result->describe();
  EXPECT_EQ(result->term_signal, SIGTERM);
  // The grace is a second; a broken version waits for the sleep's 60.
  EXPECT_LT(took, 30.0);
}

// Closing stdout right before exiting is a clean end, not a failure.
TEST_F(ProcessRunnerTest, AStreamThatClosesItsOutputAndExitsEndsCleanly) {
  std::optional<Result> result;
  runner_.async_stream(sh("echo m 1; exec >&-; exit 0"), Framing::lines, [](const StreamRecord&) {},
                       [&](Result r) { result = std::move(r); });
  ASSERT_TRUE(run_until(io_, [&] { return result.has_value(); }));
  EXPECT_TRUE(result->exited_with(0)) << result->describe();
}

TEST_F(ProcessRunnerTest, StreamsDoNotTakeAPlaceFromPeriodicRuns) {
  runner_.set_max_concurrent(1);
  std::optional<Result> stream_result, periodic;
  asio::cancellation_signal cancel;
  runner_.async_stream(make({"sleep", "60"}, 0ms), Framing::lines, [](const StreamRecord&) {},
                       asio::bind_cancellation_slot(cancel.slot(), [&](Result r) { stream_result = std::move(r); }));
  runner_.async_run(make({"true"}), [&](Result r) { periodic = std::move(r); });
  ASSERT_TRUE(run_until(io_, [&] { return periodic.has_value(); }));
  EXPECT_TRUE(periodic->exited_with(0));
  cancel.emit(asio::cancellation_type::terminal);
  ASSERT_TRUE(run_until(io_, [&] { return stream_result.has_value(); }));
}

TEST_F(ProcessRunnerTest, ALeaderThatLeavesItsGroupIsStillTerminated) {
  // perl is in every Debian base system; it moves itself to the test
  // runner's process group, out of reach of a signal to its own group.
  if (::access("/usr/bin/perl", X_OK) != 0) GTEST_SKIP() << "no perl";
  const std::string script = "setpgrp(0, " + std::to_string(::getpgrp()) + "); sleep 60";
  const Result result = run(make({"perl", "-e", script}, 300ms));
  EXPECT_EQ(result.failure, RunFailure::timeout);
  EXPECT_EQ(result.term_signal, SIGTERM);
}

}  // namespace
}  // namespace gleaner::subprocess
