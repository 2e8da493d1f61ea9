// Containment through the real binary: what a collector's command leaves
// running in a session of its own is ended after its run and at the
// daemon's stop, unless the collector has allow_background: true.
//
// Each test's processes are found by an unusual command line (sleep 98.321,
// …) and killed in the teardown should a test fail, or when they were
// allowed to outlive the daemon.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/support/daemon_fixture.h"
#include "tests/support/daemon_process.h"
#include "tests/support/io_wait.h"
#include "tests/support/process_census.h"

namespace gleaner::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class ContainmentTest : public DaemonFixture {
 protected:
  void TearDown() override {
    DaemonFixture::TearDown();
    for (const auto& argv : spawned_) kill_processes_running(argv);
  }

  std::vector<std::string> track(std::vector<std::string> argv) {
    spawned_.push_back(argv);
    return argv;
  }

  // Scrapes until the collector has started at least `runs` runs.
  std::string wait_for_runs(const std::string& collector, double runs) {
    const auto series = "gleaner_collector_runs_total{collector=\"" + collector + "\"}";
    return scrape_until([&](const std::string& body) { return value_of(body, series).value_or(0) >= runs; });
  }

  std::vector<std::vector<std::string>> spawned_;
};

TEST_F(ContainmentTest, ProcessesEscapingToANewSessionNeitherPileUpNorOutliveTheDaemon) {
  const auto sleeper = track({"sleep", "98.321"});
  auto& daemon = start(R"(collectors:
  - name: escape
    plugin: exec
    interval: 1s
    shell: 'setsid sleep 98.321 & sleep 0.2; echo m 1'
)");
  const auto body = wait_for_runs("escape", 5);
  // At most the current run's: every earlier one was ended after its run.
  EXPECT_TRUE(eventually([&] { return live_processes_running(sleeper).size() <= 1; }))
      << live_processes_running(sleeper).size() << " escaped sleeps running\n"
      << daemon.log();
  EXPECT_GE(value_of(body, "gleaner_orphans_killed_total").value_or(0), 3) << body;
  EXPECT_THAT(daemon.log(), HasSubstr("(sleep)"));

  const auto stop = std::chrono::steady_clock::now();
  daemon.signal(SIGTERM);
  ASSERT_EQ(daemon.wait_for_exit(), 0) << daemon.log();
  EXPECT_LT(std::chrono::steady_clock::now() - stop, 5s);
  EXPECT_TRUE(eventually([&] { return live_processes_running(sleeper).empty(); }, 3s))
      << "an escaped sleep outlived the daemon\n"
      << daemon.log();
}

TEST_F(ContainmentTest, AtTheStopAnOrphanIgnoringSigtermIsKilledAfterTheGrace) {
  const auto shell = track({"sh", "-c", "trap '' TERM; sleep 86.321; :"});
  const auto sleeper = track({"sleep", "86.321"});
  auto& daemon = start(R"(collectors:
  - name: stubborn
    plugin: exec
    interval: 1m
    timeout: 50s
    shell: |
      setsid sh -c "trap '' TERM; sleep 86.321; :" &
      sleep 30
)");
  ASSERT_TRUE(eventually([&] { return live_processes_running(sleeper).size() == 1; })) << daemon.log();
  const auto stop = std::chrono::steady_clock::now();
  daemon.signal(SIGTERM);
  ASSERT_EQ(daemon.wait_for_exit(), 0) << daemon.log();
  const auto stopped_after = std::chrono::steady_clock::now() - stop;
  EXPECT_GE(stopped_after, 900ms) << "no grace before SIGKILL";
  EXPECT_LT(stopped_after, 5s);
  EXPECT_TRUE(eventually([&] { return live_processes_running(sleeper).empty(); }, 3s)) << daemon.log();
  EXPECT_TRUE(eventually([&] { return live_processes_running(shell).empty(); }, 3s)) << daemon.log();
  EXPECT_THAT(daemon.log(), HasSubstr("(sh): a command left it running outside its run"));
}

TEST_F(ContainmentTest, AllowBackgroundSparesOnlyThatCollectorsProcessesEvenAtStop) {
  const auto allowed = track({"sleep", "97.321"});
  const auto contained = track({"sleep", "98.322"});
  auto& daemon = start(R"(collectors:
  - name: background
    plugin: exec
    interval: 1s
    allow_background: true
    shell: 'setsid sleep 97.321 & sleep 0.2; echo m 1'
  - name: contained
    plugin: exec
    interval: 1s
    shell: 'setsid sleep 98.322 & sleep 0.2; echo m 1'
)");
  wait_for_runs("background", 3);
  wait_for_runs("contained", 3);
  EXPECT_TRUE(eventually([&] {
    return live_processes_running(allowed).size() >= 3 && live_processes_running(contained).size() <= 1;
  })) << live_processes_running(allowed).size() << " allowed and " << live_processes_running(contained).size()
      << " contained sleeps running\n"
      << daemon.log();

  daemon.signal(SIGTERM);
  ASSERT_EQ(daemon.wait_for_exit(), 0) << daemon.log();
  EXPECT_TRUE(eventually([&] { return live_processes_running(contained).empty(); }, 3s)) << daemon.log();
  EXPECT_GE(live_processes_running(allowed).size(), 3u) << "allowed processes were ended at the stop";
}

}  // namespace
}  // namespace gleaner::testing
