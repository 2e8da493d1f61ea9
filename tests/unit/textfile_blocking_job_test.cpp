// Blocking work off the loop, bounded in time, one thread per key at most:
// a job that blocks (as a read on a hung mount does) times out, and the
// runs after it are refused at once until it returns, without more threads.

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <future>
#include <optional>

#include "plugins/textfile/blocking_job.h"

namespace gleaner::plugins::textfile {
namespace {

using namespace std::chrono_literals;
using Jobs = BlockingJobs<int>;

// Runs one job on a fresh io_context to its end.
JobOutcome<int> run_job(const std::string& key, std::function<int()> work, std::chrono::milliseconds limit) {
  boost::asio::io_context io;
  std::optional<JobOutcome<int>> outcome;
  boost::asio::co_spawn(io, Jobs::run(key, std::move(work), limit),
                        [&](std::exception_ptr, JobOutcome<int> result) { outcome = result; });
  io.run();
  return outcome.value_or(JobOutcome<int>{JobEnd::cancelled, -1, {}});
}

std::size_t thread_count() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) ++count;
  return count;
}

// Polls for a condition, up to 20 s.
template <typename Condition>
bool eventually(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

TEST(BlockingJobs, AQuickJobGivesItsResult) {
  const auto outcome = run_job(
      "quick", [] { return 42; }, 20'000ms);
  EXPECT_EQ(outcome.end, JobEnd::finished);
  EXPECT_EQ(outcome.result, 42);
}

TEST(BlockingJobs, AHungJobTimesOutAndHoldsItsKeyWithOneThread) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  const auto threads_before = thread_count();
  const auto hung = run_job(
      "hung",
      [released] {
        released.wait();
        return 1;
      },
      100ms);
  EXPECT_EQ(hung.end, JobEnd::timed_out);
  EXPECT_TRUE(Jobs::running("hung"));
  // Later runs under the key are refused at once, starting no thread.
  for (int run = 0; run < 5; ++run) {
    const auto started = std::chrono::steady_clock::now();
    const auto refused = run_job(
        "hung", [] { return 2; }, 20'000ms);
    EXPECT_EQ(refused.end, JobEnd::previous_still_running);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    EXPECT_GE(refused.busy_for, 100ms);
  }
  EXPECT_EQ(thread_count(), threads_before + 1);
  // Another key is not held up.
  EXPECT_EQ(run_job(
                "other", [] { return 3; }, 20'000ms)
                .result,
            3);
  // Once the kernel lets the hung one go, the key is free again and its
  // late result is dropped.
  release.set_value();
  ASSERT_TRUE(eventually([] { return !Jobs::running("hung"); }));
  const auto after = run_job(
      "hung", [] { return 4; }, 20'000ms);
  EXPECT_EQ(after.end, JobEnd::finished);
  EXPECT_EQ(after.result, 4);
  EXPECT_TRUE(eventually([&] { return thread_count() == threads_before; }));
}

}  // namespace
}  // namespace gleaner::plugins::textfile
