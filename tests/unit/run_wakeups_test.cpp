// What wakes the loop for a run (README "How it works", subprocess layer):
// one epoll set of pidfds, and a timer for the delay after which a run's
// pipes are watched. Each child's exit must be seen once, however many
// exit together; a forgotten watch never fires; a deadline comes at its
// time, a cancelled one never, and cancelling re-arms the timer for the
// next; handlers still waiting are released with the io_context, as a
// pending Asio operation's are.

#include "common/subprocess/run_wakeups.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "common/subprocess/pidfd.h"
#include "common/subprocess/unique_fd.h"
#include "tests/support/io_wait.h"

namespace gleaner::subprocess {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using gleaner::testing::run_until;

struct Child {
  pid_t pid = -1;
  UniqueFd pidfd;
};

// A real child running `sh -c script`, with a pidfd to watch it by.
Child start(const char* script) {
  Child child;
  char* argv[] = {const_cast<char*>("sh"), const_cast<char*>("-c"), const_cast<char*>(script), nullptr};
  EXPECT_EQ(::posix_spawnp(&child.pid, "sh", nullptr, nullptr, argv, nullptr), 0);
  child.pidfd.reset(::pidfd_open(child.pid, 0));
  EXPECT_TRUE(child.pidfd) << "pidfd_open";
  return child;
}

void reap(Child& child) {
  if (child.pid > 0) ::waitpid(child.pid, nullptr, 0);
  child.pid = -1;
}

TEST(RunWakeupsTest, EveryChildOfAHundredAndFiftyKilledTogetherIsSeenOnce) {
  // All exited before the loop first looks: more than one epoll_wait's
  // worth (64 events) at one wake-up.
  asio::io_context io;
  auto watcher = std::make_shared<RunWakeups>(io.get_executor());
  std::vector<Child> children;
  for (int i = 0; i < 150; ++i) children.push_back(start("exec sleep 30"));
  std::vector<int> seen(children.size(), 0);
  for (std::size_t i = 0; i < children.size(); ++i) {
    ASSERT_NE(watcher->watch_exit(children[i].pidfd.get(), [&seen, i] { ++seen[i]; }), 0u);
  }
  for (const auto& child : children) ::kill(child.pid, SIGKILL);
  ASSERT_TRUE(run_until(io, [&] {
    for (const int count : seen) {
      if (count == 0) return false;
    }
    return true;
  }));
  // A while longer: nothing fires twice (a pidfd stays readable after its exit).
  const auto until = std::chrono::steady_clock::now() + 200ms;
  run_until(io, [&] { return std::chrono::steady_clock::now() > until; });
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 1) << "child " << i;
  for (auto& child : children) reap(child);
}

TEST(RunWakeupsTest, AnExitIsSeenOnlyOnceTheChildHasExited) {
  asio::io_context io;
  auto watcher = std::make_shared<RunWakeups>(io.get_executor());
  Child child = start("exec sleep 30");
  bool seen = false;
  ASSERT_NE(watcher->watch_exit(child.pidfd.get(), [&] { seen = true; }), 0u);
  const auto until = std::chrono::steady_clock::now() + 300ms;
  run_until(io, [&] { return seen || std::chrono::steady_clock::now() > until; });
  EXPECT_FALSE(seen) << "seen while the child still ran";
  ::kill(child.pid, SIGKILL);
  ASSERT_TRUE(run_until(io, [&] { return seen; }));
  // Seen means exited: a zombie now, waiting to be reaped.
  siginfo_t info{};
  ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(child.pid), &info, WEXITED | WNOHANG | WNOWAIT), 0);
  EXPECT_EQ(info.si_pid, child.pid);
  reap(child);
}

TEST(RunWakeupsTest, AForgottenWatchNeverFiresAndThePidfdCanBeWatchedAgain) {
  asio::io_context io;
  auto watcher = std::make_shared<RunWakeups>(io.get_executor());
  Child child = start("exec sleep 0.2");
  int first = 0, second = 0;
  const auto id = watcher->watch_exit(child.pidfd.get(), [&] { ++first; });
  ASSERT_NE(id, 0u);
  watcher->forget_exit(child.pidfd.get(), id);
  // Handed on, as a run hands a child that will not die to the reaper.
  ASSERT_NE(watcher->watch_exit(child.pidfd.get(), [&] { ++second; }), 0u);
  ASSERT_TRUE(run_until(io, [&] { return second == 1; }));
  EXPECT_EQ(first, 0);
  reap(child);
}

TEST(RunWakeupsTest, AHandlerMayStartTheNextWatch) {
  // What a run's completion does: the next queued run starts and is watched.
  asio::io_context io;
  auto watcher = std::make_shared<RunWakeups>(io.get_executor());
  Child first = start("exit 0");
  Child second;
  bool second_seen = false;
  ASSERT_NE(watcher->watch_exit(first.pidfd.get(),
                           [&] {
                             second = start("exit 0");
                             EXPECT_NE(watcher->watch_exit(second.pidfd.get(), [&] { second_seen = true; }), 0u);
                           }),
            0u);
  ASSERT_TRUE(run_until(io, [&] { return second_seen; }));
  reap(first);
  reap(second);
}

TEST(RunWakeupsTest, HandlersStillWaitingAreReleasedWithTheIoContext) {
  Child child = start("exec sleep 30");
  auto held = std::make_shared<int>(0);
  std::weak_ptr<int> weak = held;
  {
    asio::io_context io;
    auto watcher = std::make_shared<RunWakeups>(io.get_executor());
    ASSERT_NE(watcher->watch_exit(child.pidfd.get(), [held = std::move(held)] { ++*held; }), 0u);
    io.poll();
    EXPECT_FALSE(weak.expired());
  }
  EXPECT_TRUE(weak.expired()) << "a handler outlived its io_context";
  ::kill(child.pid, SIGKILL);
  reap(child);
}

TEST(RunWakeupsTest, AWatcherDestroyedFirstNeverCallsItsHandlers) {
  asio::io_context io;
  Child child = start("exit 0");
  bool called = false;
  {
    auto watcher = std::make_shared<RunWakeups>(io.get_executor());
    ASSERT_NE(watcher->watch_exit(child.pidfd.get(), [&] { called = true; }), 0u);
  }
  const auto until = std::chrono::steady_clock::now() + 300ms;
  run_until(io, [&] { return std::chrono::steady_clock::now() > until; });
  EXPECT_FALSE(called);
  reap(child);
}

TEST(RunWakeupsTest, DeadlinesComeInTheirOrderAndNotBeforeTheirTime) {
  asio::io_context io;
  auto wakeups = std::make_shared<RunWakeups>(io.get_executor());
  const auto start = RunWakeups::Clock::now();
  std::vector<std::pair<int, RunWakeups::Clock::duration>> called;
  // Added out of order: the timer is re-armed for an earlier one.
  for (const int ms : {300, 100, 200}) {
    wakeups->call_at(start + std::chrono::milliseconds(ms),
                     [&, ms] { called.emplace_back(ms, RunWakeups::Clock::now() - start); });
  }
  ASSERT_TRUE(run_until(io, [&] { return called.size() == 3; }));
  EXPECT_EQ(called[0].first, 100);
  EXPECT_EQ(called[1].first, 200);
  EXPECT_EQ(called[2].first, 300);
  for (const auto& [ms, after] : called) EXPECT_GE(after, std::chrono::milliseconds(ms)) << ms << " ms came early";
}

TEST(RunWakeupsTest, ACancelledDeadlineNeverComesAndTheNextStillDoes) {
  asio::io_context io;
  auto wakeups = std::make_shared<RunWakeups>(io.get_executor());
  const auto start = RunWakeups::Clock::now();
  bool first = false;
  std::optional<RunWakeups::Clock::duration> second;
  const auto earliest = wakeups->call_at(start + 100ms, [&] { first = true; });
  wakeups->call_at(start + 400ms, [&] { second = RunWakeups::Clock::now() - start; });
  wakeups->cancel(earliest);  // the timer is re-armed for the second
  ASSERT_TRUE(run_until(io, [&] { return second.has_value(); }));
  EXPECT_FALSE(first);
  EXPECT_GE(*second, 400ms);
}

TEST(RunWakeupsTest, WithEverythingCancelledTheLoopHasNothingLeftToWaitFor) {
  // What a run done before its pipes' watch delay leaves: no timer armed
  // and no wait pending, so an io_context with no other work returns from
  // run() at once instead of waking at the cancelled time.
  asio::io_context io;
  auto wakeups = std::make_shared<RunWakeups>(io.get_executor());
  const auto deadline = wakeups->call_at(RunWakeups::Clock::now() + 2s, [] {});
  Child child = start("exec sleep 30");
  const auto id = wakeups->watch_exit(child.pidfd.get(), [] {});
  ASSERT_NE(id, 0u);
  wakeups->cancel(deadline);
  wakeups->forget_exit(child.pidfd.get(), id);
  const auto before = std::chrono::steady_clock::now();
  io.run_for(5s);
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1s) << "still waiting for a cancelled deadline or a forgotten exit";
  ::kill(child.pid, SIGKILL);
  reap(child);
}

}  // namespace
}  // namespace gleaner::subprocess
