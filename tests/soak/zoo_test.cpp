// The zoo: hostile commands run together for 20 s next to a well-behaved
// collector, while the test scrapes every 50 ms. Each hostile command must
// cost its collector a failure of the right reason and nothing else: every
// scrape answers, the well-behaved collector keeps its schedule, the
// exposition stays valid, and SIGTERM leaves no process behind.
//
//   ctest --test-dir build -R zoo_test --output-on-failure
//
// README: the endpoint must answer within 100 ms throughout. Every scrape
// must answer within 2 s, and 95 % of them within 100 ms (see
// kAnsweredInTime for why a quantile and why that one); the median, p99 and
// maximum are printed.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/background_scraper.h"
#include "tests/support/daemon_fixture.h"
#include "tests/support/exposition_values.h"
#include "tests/support/latency_record.h"
#include "tests/support/process_tree.h"
#include "tests/support/promtool.h"

namespace gleaner::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kZooTime = 20s;
constexpr auto kScrapePeriod = 50ms;
constexpr auto kWarmUp = 2s;             // before the well-behaved collector's schedule is judged
constexpr double kSteadyInterval = 0.2;  // seconds

// What tells README's promise (answers within 100 ms) from its breach on a
// loaded 2-core machine: a loop that is wedged, by a command it waits for
// or output it reads while blocking, delays every scrape that arrives
// meanwhile, and the hostile commands here run every second, so such a
// loop delays a large share of the 400 scrapes, by up to the whole wedge
// (half a second and more for the timeouts: 500 ms, then 1 s of grace). A
// loaded machine instead delays a scrape now and then, when the daemon or
// the test waits for a core. So most scrapes, not all, must be in time: at
// most 5 % (20 of 400) may take longer than 100 ms. A wedge of 200 ms on
// each of the nine hostile runs a second would put more than half over.
constexpr double kAnsweredInTime = 0.95;
constexpr double kAnswerMilliseconds = 100;

// A hostile collector, and the failure reason its runs must show ("" when
// its runs must succeed in spite of what it does).
struct Hostile {
  std::string name;
  std::string failure;
};

const std::vector<Hostile> kHostile = {
    {"ignores_term", "timeout"},  {"forks_holding_pipes", ""}, {"skips_stdin", ""},
    {"gigabyte", "output_limit"}, {"garbage", "parse"},        {"closes_stdout", "timeout"},
    {"exec_directory", "spawn"},  {"no_shebang", "spawn"},     {"exits_three", "exit_code"},
};

std::string zoo_config(const std::string& dir) {
  // More than a pipe holds (64 KiB), so the daemon is still writing when
  // the command exits without reading.
  const std::string big_stdin(256 * 1024, 's');
  const std::vector<std::string> collectors = {
      R"(name: steady, interval: 200ms, command: [echo, steady_value, "1"])",
      R"(name: ignores_term, interval: 1s, timeout: 500ms, shell: "trap '' TERM; sleep 300")",
      // Background children inherit stdout and outlive the leader.
      R"(name: forks_holding_pipes, interval: 1s, timeout: 5s, shell: "sleep 300 & sleep 300 & echo forked_value 1")",
      R"(name: skips_stdin, interval: 1s, shell: "echo skipped_stdin_value 1", stdin: ")" + big_stdin + "\"",
      R"(name: gigabyte, interval: 1s, max_output: 1MiB, command: [head, -c, 1G, /dev/zero])",
      "name: garbage, interval: 1s, command: [cat, " + dir + "/garbage.bin]",
      R"(name: closes_stdout, interval: 1s, timeout: 500ms, shell: "exec >&-; sleep 30")",
      "name: exec_directory, interval: 1s, command: [" + dir + "]",
      "name: no_shebang, interval: 1s, command: [" + dir + "/no_shebang]",
      R"(name: exits_three, interval: 1s, shell: "echo partial_value 1; exit 3")",
  };
  std::string config = "limits: {max_concurrent: 16}\ncollectors:\n";
  for (const auto& collector : collectors) config += "  - {plugin: exec, " + collector + "}\n";
  return config;
}

// Binary bytes, NULs and invalid UTF-8 (a lone continuation byte, a
// truncated sequence, an encoded surrogate, overlong forms).
std::string garbage_bytes() {
  std::string bytes = "\x80 \xc3( \xed\xa0\x80 \xc0\xaf \xff\xfe{{{ \"unterminated\n";
  for (int i = 0; i < 4096; ++i) bytes.push_back(static_cast<char>((i * 7919 + 13) % 256));
  return bytes;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class Zoo : public DaemonFixture {};

TEST_F(Zoo, HostileCommandsCostOnlyTheirOwnCollectorsAFailure) {
  write("garbage.bin", garbage_bytes());
  // Executable, but no "#!": execve fails with ENOEXEC, and gleaner runs
  // argv without a shell, so it must not fall back to /bin/sh either.
  write("no_shebang", "echo no_shebang_value 1\n", true);
  DaemonProcess& daemon = start(zoo_config(dir_));
  ASSERT_GT(daemon.port(), 0);

  LatencyRecord latencies;
  std::vector<std::string> failed_scrapes;
  std::set<pid_t> groups;  // every process group the daemon's commands were seen in
  std::string first_body, last_body;
  double first_at = 0, last_at = 0;  // when they were taken, mid-request, in seconds
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; std::chrono::steady_clock::now() - start < kZooTime; ++i) {
    std::this_thread::sleep_until(start + i * kScrapePeriod);
    if (i % 4 == 0) {
      const ProcessTree tree = process_tree(daemon.pid());
      groups.insert(tree.groups.begin(), tree.groups.end());
    }
    const double before = seconds_since(start);
    const TimedScrape scrape = timed_scrape(daemon.port());
    const double taken_at = (before + seconds_since(start)) / 2;
    latencies.add(scrape.milliseconds);
    if (!scrape.ok) {
      failed_scrapes.push_back("at " + std::to_string(before) + " s: status " + std::to_string(scrape.status) +
                               " after " + std::to_string(scrape.milliseconds) + " ms");
      continue;
    }
    if (first_body.empty() && before >= std::chrono::duration<double>(kWarmUp).count()) {
      first_body = scrape.body;
      first_at = taken_at;
    }
    last_body = scrape.body;
    last_at = taken_at;
  }
  const ProcessTree final_tree = process_tree(daemon.pid());
  groups.insert(final_tree.groups.begin(), final_tree.groups.end());

  std::printf("zoo scrapes every %lld ms for %lld s, %s (goal: 100 ms)\n",
              static_cast<long long>(kScrapePeriod.count()), static_cast<long long>(kZooTime.count()),
              latencies.summary("scrapes").c_str());
  std::fflush(stdout);
  for (const auto& failure : failed_scrapes) ADD_FAILURE() << "scrape failed " << failure;
  EXPECT_LE(latencies.quantile(kAnsweredInTime), kAnswerMilliseconds)
      << "more than " << (1 - kAnsweredInTime) * 100 << " % of the scrapes took longer than README's "
      << kAnswerMilliseconds << " ms: " << latencies.summary("scrapes");
  ASSERT_FALSE(first_body.empty() || last_body.empty()) << daemon.log();

  // Fixed-rate ticks: runs started in the window match its length.
  const double expected_runs = (last_at - first_at) / kSteadyInterval;
  const double steady_runs =
      required_value(last_body, runs_series("steady")) - required_value(first_body, runs_series("steady"));
  EXPECT_NEAR(steady_runs, expected_runs, 3) << "the well-behaved collector lost its schedule";
  EXPECT_EQ(value_of(last_body, up_series("steady")), 1);

  for (const auto& hostile : kHostile) {
    SCOPED_TRACE(hostile.name);
    EXPECT_GE(required_value(last_body, runs_series(hostile.name)), 2) << "it stopped being run";
    // Every reason is there for every collector (README, Self-metrics): a
    // missing one fails, it is not read as 0.
    for (const char* reason : kFailureReasons) {
      const double failures = required_value(last_body, failures_series(hostile.name, reason));
      if (reason == hostile.failure) {
        EXPECT_GE(failures, 1) << "no failure with reason " << reason;
      } else {
        EXPECT_EQ(failures, 0) << "failures with reason " << reason;
      }
    }
    if (hostile.failure.empty()) {
      EXPECT_EQ(value_of(last_body, up_series(hostile.name)), 1);
    }
  }
  // The leader's exit ends the run: its children holding stdout do not.
  EXPECT_LT(required_value(last_body, duration_series("forks_holding_pipes")), 2);

  const auto verdict = promtool_check_metrics(last_body);
  EXPECT_TRUE(verdict.valid) << verdict.output;

  // The census must have seen the commands' groups, or the check below proves nothing.
  ASSERT_FALSE(groups.empty());
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(5s), 0) << daemon.log();
  std::vector<ProcessInfo> left;
  eventually([&] { return (left = live_members(groups)).empty(); }, 5s);
  EXPECT_TRUE(left.empty()) << "left behind by the daemon:\n" << describe(left);
  for (const auto& process : left) ::kill(process.pid, SIGKILL);
}

}  // namespace
}  // namespace gleaner::testing
