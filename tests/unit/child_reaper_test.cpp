// Containment: nothing a run starts outlives it. Commands here escape their
// run's process group (setsid, a double fork into a new session, a process
// ignoring SIGTERM); the reaper, a child subreaper, must find them when they
// come back to it and end them: SIGTERM, SIGKILL after the grace, reaped.
//
// Each test's processes are found by an unusual command line of their own
// (sleep 98.123, …) and killed in the teardown should a test fail.

#include "common/subprocess/child_reaper.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <spawn.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/io_wait.h"
#include "tests/support/process_census.h"
#include "common/subprocess/process_runner.h"

namespace gleaner::subprocess {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using gleaner::testing::kill_processes_running;
using gleaner::testing::live_processes_running;
using gleaner::testing::run_until;

// A shell line that starts `program` in a session of its own, in the
// background, and waits until it has left the shell's process group (from
// then on, killing the run's group cannot reach it) and setsid has become
// the program.
std::string escape_to_new_session(const std::string& program) {
  return "setsid " + program + " & p=$!; " +
         "while [ \"$(cut -d' ' -f5 /proc/$p/stat)\" != \"$p\" ] || [ \"$(cat /proc/$p/comm)\" = setsid ]; " +
         "do sleep 0.01; done; ";
}

class ChildReaperTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const auto& argv : spawned_) kill_processes_running(argv);
  }

  // Remembers a command line the test starts, for the teardown.
  std::vector<std::string> track(std::vector<std::string> argv) {
    spawned_.push_back(argv);
    return argv;
  }

  Result run(const std::string& script, bool allow_background = false, bool inherit_env = false) {
    std::optional<Result> result;
    Command command = Command::shell(script);
    command.timeout = 10s;
    command.allow_background = allow_background;
    command.inherit_env = inherit_env;
    runner_.async_run(std::move(command), [&](Result r) { result = std::move(r); });
    EXPECT_TRUE(run_until(io_, [&] { return result.has_value(); }));
    return result.value_or(Result{});
  }

  // How long after now until nothing runs argv, or nullopt if it never stops.
  std::optional<std::chrono::steady_clock::duration> time_until_gone(const std::vector<std::string>& argv) {
    const auto start = std::chrono::steady_clock::now();
    if (!run_until(io_, [&] { return live_processes_running(argv).empty(); })) return std::nullopt;
    return std::chrono::steady_clock::now() - start;
  }

  asio::io_context io_;
  ProcessRunner runner_{io_.get_executor(), {.max_concurrent = 16}};
  std::vector<std::vector<std::string>> spawned_;
};

TEST_F(ChildReaperTest, ABackgroundChildInANewSessionIsEndedRightAfterItsRun) {
  runner_.reaper().adopt_orphans();
  const auto sleeper = track({"sleep", "98.123"});
  const Result result = run(escape_to_new_session("sleep 98.123") + "echo x");
  ASSERT_TRUE(result.exited_with(0)) << result.describe();
  ASSERT_EQ(result.stdout_data, "x\n");
  const auto gone = time_until_gone(sleeper);
  ASSERT_TRUE(gone.has_value()) << "the escaped sleep outlived its run";
  // Found when the leader was reaped, not only by a later sweep; sleep dies
  // at SIGTERM, so no grace either.
  EXPECT_LT(*gone, 5s);
}

TEST_F(ChildReaperTest, ADoubleForkIntoANewSessionIsEnded) {
  runner_.reaper().adopt_orphans();
  const auto sleeper = track({"sleep", "97.123"});
  // The inner shell leads a new session, starts the sleep and exits at once:
  // the sleep comes back to the reaper while the run is still going.
  const Result result = run("(setsid sh -c 'sleep 97.123 & :'); echo x");
  ASSERT_TRUE(result.exited_with(0)) << result.describe();
  const auto gone = time_until_gone(sleeper);
  ASSERT_TRUE(gone.has_value()) << "the double-forked sleep outlived its run";
  EXPECT_LT(*gone, 5s);
}

TEST_F(ChildReaperTest, AnOrphanIgnoringSigtermIsKilledAfterTheGrace) {
  runner_.reaper().adopt_orphans();
  // The shell leads its own process group; the sleep inherits the ignored
  // SIGTERM and stays in that group, so only SIGKILL to the group ends both.
  const auto shell = track({"sh", "-c", "trap '' TERM; sleep 96.123; :"});
  const auto sleeper = track({"sleep", "96.123"});
  const Result result = run(escape_to_new_session("sh -c \"trap '' TERM; sleep 96.123; :\"") +
                            "while ! pgrep -xf 'sleep 96.123' >/dev/null; do sleep 0.01; done; echo x");
  ASSERT_TRUE(result.exited_with(0)) << result.describe();
  const auto gone = time_until_gone(sleeper);
  ASSERT_TRUE(gone.has_value()) << "an orphan ignoring SIGTERM outlived its run";
  EXPECT_GE(*gone, 900ms) << "SIGKILL came before the grace";
  EXPECT_LT(*gone, 5s);
  const auto shell_gone = time_until_gone(shell);  // killed with the sleep, in the same group
  ASSERT_TRUE(shell_gone.has_value());
  EXPECT_LT(*shell_gone, 1s);
}

TEST_F(ChildReaperTest, AnOrphanStillInItsLiveRunsGroupIsLeftToTheRun) {
  runner_.reaper().adopt_orphans();
  track({"sleep", "95.123"});
  // The subshell exits at once: the sleep comes back to the reaper while
  // the run goes on (past two sweeps), still in the run's process group.
  // It is the run's until the run ends; then the group is killed.
  const Result result =
      run("p=$( (sleep 95.123 >/dev/null 2>&1 & echo $!) ); sleep 2.5; kill -0 $p && echo alive");
  EXPECT_EQ(result.stdout_data, "alive\n") << result.describe();
  EXPECT_TRUE(time_until_gone({"sleep", "95.123"}).has_value());
}

TEST_F(ChildReaperTest, ShutdownEndsTheOrphansOfRunsItTerminates) {
  runner_.reaper().adopt_orphans();
  const auto sleeper = track({"sleep", "94.123"});
  std::optional<Result> result;
  runner_.async_run(Command::shell(escape_to_new_session("sleep 94.123") + "echo started; sleep 60"),
                    [&](Result r) { result = std::move(r); });
  ASSERT_TRUE(run_until(io_, [&] { return live_processes_running(sleeper).size() == 1; }));
  runner_.shutdown();
  ASSERT_TRUE(run_until(io_, [&] { return result.has_value(); }));
  EXPECT_EQ(result->failure, RunFailure::cancelled);
  const auto gone = time_until_gone(sleeper);
  ASSERT_TRUE(gone.has_value()) << "the orphan outlived the runner's shutdown";
  EXPECT_LT(*gone, 5s);
}

TEST_F(ChildReaperTest, GoingAwayTheReaperKillsTheOrphansItWasEnding) {
  const auto sleeper = track({"sleep", "87.123"});
  {
    ProcessRunner runner(io_.get_executor(), {});
    runner.reaper().set_orphan_grace(60s);  // only the reaper's going away can kill it in time
    runner.reaper().adopt_orphans();
    std::optional<Result> result;
    Command command = Command::shell(escape_to_new_session("sh -c \"trap '' TERM; sleep 87.123; :\"") +
                                     "while ! pgrep -xf 'sleep 87.123' >/dev/null; do sleep 0.01; done");
    runner.async_run(std::move(command), [&](Result r) { result = std::move(r); });
    ASSERT_TRUE(run_until(io_, [&] { return result.has_value() && runner.reaper().orphans_being_ended() == 1; }));
  }  // SIGTERM was ignored; SIGKILL comes when the runner's last run lets go of it
  const auto gone = time_until_gone(sleeper);
  ASSERT_TRUE(gone.has_value());
  EXPECT_LT(*gone, 5s);
}

TEST_F(ChildReaperTest, TheListenerHearsThePidAndCommandNameOfEachOrphanEnded) {
  std::vector<std::pair<pid_t, std::string>> ended;
  runner_.reaper().on_orphan_ended([&](pid_t pid, std::string_view name) { ended.emplace_back(pid, name); });
  runner_.reaper().adopt_orphans();
  const auto sleeper = track({"sleep", "93.123"});
  const Result result = run(escape_to_new_session("sleep 93.123") + "echo $p");
  const pid_t escaped = std::atoi(result.stdout_data.c_str());
  ASSERT_TRUE(time_until_gone(sleeper).has_value());
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].first, escaped);
  EXPECT_EQ(ended[0].second, "sleep");
  EXPECT_TRUE(run_until(io_, [&] { return runner_.reaper().orphans_being_ended() == 0; }));
  EXPECT_TRUE(run_until(io_, [] { return gleaner::testing::child_count() == 0; })) << "not reaped";
}

// Found when its leader is reaped, before the run's handler: not left to
// the once-a-second sweep. (A sweep falling between the leader's exit and
// its reaping could find it too; nothing earlier can, since until the
// leader exits the orphan is the leader's child, not ours.)
TEST_F(ChildReaperTest, AnOrphanIsFoundWhenItsLeaderIsReaped) {
  std::vector<pid_t> ended;
  runner_.reaper().on_orphan_ended([&](pid_t pid, std::string_view) { ended.push_back(pid); });
  runner_.reaper().adopt_orphans();
  const auto sleeper = track({"sleep", "86.123"});
  const Result result = run(escape_to_new_session("sleep 86.123") + "echo $p");
  ASSERT_TRUE(result.exited_with(0)) << result.describe();
  EXPECT_EQ(ended, std::vector<pid_t>{std::atoi(result.stdout_data.c_str())});
  EXPECT_TRUE(time_until_gone(sleeper).has_value());
}

TEST_F(ChildReaperTest, WithTheProcScanOrphansAreEndedAsPromptly) {
  runner_.reaper().set_child_listing(ChildListing::proc_scan);
  runner_.reaper().adopt_orphans();
  const auto sleeper = track({"sleep", "92.123"});
  const auto double_forked = track({"sleep", "91.123"});
  const Result result =
      run(escape_to_new_session("sleep 92.123") + "(setsid sh -c 'sleep 91.123 & :'); echo x");
  ASSERT_TRUE(result.exited_with(0)) << result.describe();
  for (const auto& argv : {sleeper, double_forked}) {
    const auto gone = time_until_gone(argv);
    ASSERT_TRUE(gone.has_value()) << argv[1] << " outlived its run";
    EXPECT_LT(*gone, 5s);
  }
}

TEST_F(ChildReaperTest, ARunAllowingBackgroundProcessesKeepsThem) {
  runner_.reaper().adopt_orphans();
  const auto allowed = track({"sleep", "90.123"});
  const auto in_group = track({"sleep", "90.124"});
  // One in a session of its own, one left in the run's process group.
  const Result result =
      run(escape_to_new_session("sleep 90.123") + "sleep 90.124 & echo x", /*allow_background=*/true);
  ASSERT_TRUE(result.exited_with(0)) << result.describe();
  EXPECT_EQ(result.stdout_data, "x\n");
  // Past the sweeps of two seconds, both still run.
  const auto until = std::chrono::steady_clock::now() + 2500ms;
  run_until(io_, [&] { return std::chrono::steady_clock::now() > until; });
  EXPECT_EQ(live_processes_running(allowed).size(), 1u);
  EXPECT_EQ(live_processes_running(in_group).size(), 1u);
  EXPECT_EQ(runner_.reaper().orphans_being_ended(), 0u);
}

TEST_F(ChildReaperTest, TheAllowingMarkIsNeverInheritedFromTheDaemon) {
  ::setenv(kBackgroundAllowedName, "1", 1);
  runner_.reaper().adopt_orphans();
  const auto sleeper = track({"sleep", "89.123"});
  const Result result = run(escape_to_new_session("sleep 89.123") + "echo x", /*allow_background=*/false,
                            /*inherit_env=*/true);
  ASSERT_TRUE(result.exited_with(0)) << result.describe();
  EXPECT_TRUE(time_until_gone(sleeper).has_value());
}

// The kernel hands a subreaper's orphans to its main thread, whichever
// thread started their parent; the kept file is read afresh each time.
TEST(ChildListingTest, AnOrphanOfALeaderStartedOnAnotherThreadIsTheMainThreads) {
  if (available_child_listing() != ChildListing::task_children) GTEST_SKIP() << "no task children files here";
  ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  MainThreadChildren main_thread;
  const auto before = main_thread.list();
  std::thread([] {
    pid_t leader = -1;
    char* argv[] = {const_cast<char*>("sh"), const_cast<char*>("-c"),
                    const_cast<char*>("sleep 85.123 & exit 0"), nullptr};
    ASSERT_EQ(::posix_spawnp(&leader, "sh", nullptr, nullptr, argv, nullptr), 0);
    ::waitpid(leader, nullptr, 0);
  }).join();
  // The orphan may not have become sleep yet.
  std::vector<pid_t> orphans;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (orphans.empty() && std::chrono::steady_clock::now() < deadline) {
    orphans = gleaner::testing::live_processes_running({"sleep", "85.123"});
    if (orphans.empty()) std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(orphans.size(), 1u);
  auto listed = main_thread.list();
  std::erase_if(listed, [&](pid_t pid) { return std::find(before.begin(), before.end(), pid) != before.end(); });
  EXPECT_EQ(listed, orphans);
  ::kill(orphans[0], SIGKILL);
  ::waitpid(orphans[0], nullptr, 0);
  EXPECT_EQ(main_thread.list(), before);
}

// Both ways of listing children see the same ones.
TEST(ChildListingTest, TaskFilesAndProcScanAgree) {
  if (available_child_listing() != ChildListing::task_children) GTEST_SKIP() << "no task children files here";
  std::vector<pid_t> started;
  for (const char* duration : {"88.123", "88.124", "88.125"}) {
    pid_t pid = -1;
    char* argv[] = {const_cast<char*>("sleep"), const_cast<char*>(duration), nullptr};
    ASSERT_EQ(::posix_spawnp(&pid, "sleep", nullptr, nullptr, argv, nullptr), 0);
    started.push_back(pid);
  }
  auto from_tasks = list_children(ChildListing::task_children);
  auto from_scan = list_children(ChildListing::proc_scan);
  std::sort(from_tasks.begin(), from_tasks.end());
  std::sort(from_scan.begin(), from_scan.end());
  EXPECT_EQ(from_tasks, from_scan);
  for (const pid_t pid : started) {
    EXPECT_NE(std::find(from_tasks.begin(), from_tasks.end(), pid), from_tasks.end());
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
}

}  // namespace
}  // namespace gleaner::subprocess
