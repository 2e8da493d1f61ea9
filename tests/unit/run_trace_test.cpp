// RunTrace (daemon/scheduler/run_trace.h): what a run's log lines say of its
// commands (README "What is logged"). A collector keeps one trace and
// resets it at each run; the commands come from run_command, as in the
// daemon.

#include "daemon/scheduler/run_trace.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "common/subprocess/process_runner.h"
#include "plugins/command_run.h"
#include "tests/support/io_wait.h"

namespace gleaner::daemon {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using ::testing::ElementsAre;

// The fields as "key=value", to compare whole.
std::vector<std::string> texts(const logging::Fields& fields) {
  std::vector<std::string> out;
  for (const auto& field : fields) out.push_back(field.key + "=" + field.value);
  return out;
}

subprocess::Command command(std::vector<std::string> argv) {
  subprocess::Command made;
  made.argv = std::move(argv);
  return made;
}

subprocess::Result exited(int code, std::string out = {}) {
  subprocess::Result result;
  result.exit_code = code;
  result.stdout_data = std::move(out);
  return result;
}

// A run of three commands, some words longer than a short string holds,
// the last killed; then a reset, and a run of one shorter command: the
// trace reads as a new one would, and holds nothing of the first run.
TEST(RunTraceTest, AResetTraceReadsAsANewOneAndRecordsTheNextRunsCommands) {
  RunTrace trace;
  trace.started = std::chrono::steady_clock::now();
  trace.add(command({"/usr/sbin/smartctl", "--json", "--all", "/dev/disk/by-id/nvme-first-of-two"}), exited(0, "12345"));
  trace.add(command({"/usr/sbin/smartctl", "--json", "--all", "/dev/disk/by-id/nvme-second-of-two"}), exited(0, "678"));
  subprocess::Result killed;
  killed.term_signal = 9;
  trace.add(command({"df", "-P"}), killed);
  ASSERT_EQ(trace.bytes_read, 8u);

  trace.reset();
  const RunTrace fresh;
  EXPECT_FALSE(trace.ran_commands());
  EXPECT_EQ(trace.command(), "");
  EXPECT_TRUE(trace.command_fields().empty());
  EXPECT_EQ(trace.bytes_read, 0u);
  EXPECT_FALSE(trace.started.has_value());
  EXPECT_EQ(trace.ended(), fresh.ended());
  EXPECT_FALSE(trace.last.exit_code.has_value());
  EXPECT_FALSE(trace.last.term_signal.has_value());
  EXPECT_EQ(trace.last.failure, subprocess::RunFailure::none);
  EXPECT_EQ(trace.last.failure_message, "");

  trace.add(command({"/usr/sbin/smartctl", "--scan"}), exited(2, "ab"));
  EXPECT_TRUE(trace.ran_commands());
  EXPECT_EQ(trace.command(), "/usr/sbin/smartctl --scan");
  EXPECT_EQ(trace.ended(), "exit code 2");
  EXPECT_THAT(texts(trace.command_fields()), ElementsAre("command=/usr/sbin/smartctl --scan", "exit_code=2"));
  EXPECT_EQ(trace.bytes_read, 2u);

  // And a later run longer than the kept ones: all its commands, in order.
  trace.reset();
  for (const auto* word : {"a", "b", "c", "d"}) trace.add(command({"echo", word}), exited(0));
  EXPECT_EQ(trace.command(), "echo a; echo b; echo c; echo d");
}

// A command not started because the run's earlier commands took its whole
// timeout ends the trace: a failure's log line names it, and takes no
// exit_code from the command before it.
TEST(RunTraceTest, ACommandNotStartedForWantOfTimeIsTheLastOne) {
  asio::io_context io;
  subprocess::ProcessRunner runner{io.get_executor(), {}};
  plugins::CollectContext context{runner, {}, {}, {}, {}, {}};
  RunTrace trace;
  context.on_command_finished = [&](const subprocess::Command& run, const subprocess::Result& result) {
    trace.add(run, result);
  };
  plugins::CollectorSettings settings;
  settings.name = "test";
  settings.timeout = 2s;
  const std::vector<int> success = {0};
  const auto run = [&](std::vector<std::string> argv) {
    std::optional<plugins::CommandRun> done;
    asio::co_spawn(io, plugins::run_command(context, plugins::command_for(settings, std::move(argv)), success),
                   [&](std::exception_ptr error, plugins::CommandRun result) {
                     if (error) std::rethrow_exception(error);
                     done = std::move(result);
                   });
    EXPECT_TRUE(testing::run_until(io, [&] { return done.has_value(); }));
    return done ? std::move(*done) : plugins::CommandRun{};
  };

  ASSERT_TRUE(run({"true"}).ok());
  context.commands_ran = settings.timeout;  // as if `true` had taken it all
  ASSERT_FALSE(run({"echo", "late"}).ok());

  EXPECT_EQ(trace.command(), "true; echo late");
  EXPECT_EQ(trace.ended(), "timeout: not started: the run's earlier commands took its whole timeout (2000ms)");
  EXPECT_THAT(texts(trace.command_fields()), ElementsAre("command=true; echo late"));
}

}  // namespace
}  // namespace gleaner::daemon
