// The zoo: hostile commands run together for 20 s next to a well-behaved
// collector, while the test scrapes every 50 ms. Each hostile command must
// cost its collector a failure of the right reason and nothing else: every
// scrape answers, the well-behaved collector keeps its schedule, the
// exposition stays valid, and SIGTERM leaves no process behind.
//
//   ctest --test-dir build -R zoo_test --output-on-failure
//
// The scrape latency's p99 and maximum are printed: the team's goal is
// 100 ms, but the test only requires 2 s, which a loaded 2-core machine
// (other builds running) still meets.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../support/background_scraper.h"
#include "../support/daemon_process.h"
#include "../support/exposition_values.h"
#include "../support/latency_record.h"
#include "../support/process_tree.h"
#include "../support/promtool.h"
#include "../support/scratch_dir.h"

namespace gleaner::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kZooTime = 20s;
constexpr auto kScrapePeriod = 50ms;
constexpr auto kWarmUp = 2s;  // before the well-behaved collector's schedule is judged
constexpr double kSteadyInterval = 0.2;  // seconds

// A hostile collector, and the failure reason its runs must show ("" when
// its runs must succeed in spite of what it does).
struct Hostile {
  std::string name;
  std::string failure;
};

const std::vector<Hostile> kHostile = {
    {"ignores_term", "timeout"},       {"forks_holding_pipes", ""}, {"skips_stdin", ""},
    {"gigabyte", "output_limit"},      {"garbage", "parse"},        {"closes_stdout", "timeout"},
    {"exec_directory", "spawn"},       {"no_shebang", "spawn"},     {"exits_three", "exit_code"},
};

const char* const kReasons[] = {"spawn", "timeout", "exit_code", "output_limit", "parse", "series_limit"};

std::string zoo_config(const ScratchDir& dir) {
  // More than a pipe holds (64 KiB), so the daemon is still writing when
  // the command exits without reading.
  const std::string big_stdin(256 * 1024, 's');
  return "limits: {max_concurrent: 16}\n"
         "collectors:\n"
         "  - {name: steady, plugin: exec, interval: 200ms, command: [echo, steady_value, \"1\"]}\n"
         "  - {name: ignores_term, plugin: exec, interval: 1s, timeout: 500ms, shell: \"trap '' TERM; sleep 300\"}\n"
         // Background children inherit stdout and outlive the leader.
         "  - {name: forks_holding_pipes, plugin: exec, interval: 1s, timeout: 5s,"
         " shell: \"sleep 300 & sleep 300 & echo forked_value 1\"}\n"
         "  - {name: skips_stdin, plugin: exec, interval: 1s, shell: \"echo skipped_stdin_value 1\", stdin: \"" +
         big_stdin +
         "\"}\n"
         "  - {name: gigabyte, plugin: exec, interval: 1s, max_output: 1MiB, command: [head, -c, 1G, /dev/zero]}\n"
         "  - {name: garbage, plugin: exec, interval: 1s, command: [cat, " + dir.file("garbage.bin") + "]}\n"
         "  - {name: closes_stdout, plugin: exec, interval: 1s, timeout: 500ms, shell: \"exec >&-; sleep 30\"}\n"
         "  - {name: exec_directory, plugin: exec, interval: 1s, command: [" + dir.path().string() + "]}\n"
         "  - {name: no_shebang, plugin: exec, interval: 1s, command: [" + dir.file("no_shebang") + "]}\n"
         "  - {name: exits_three, plugin: exec, interval: 1s, shell: \"echo partial_value 1; exit 3\"}\n";
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

TEST(Zoo, HostileCommandsCostOnlyTheirOwnCollectorsAFailure) {
  ScratchDir dir;
  dir.write("garbage.bin", garbage_bytes());
  // Executable, but no "#!": execve fails with ENOEXEC, and gleaner runs
  // argv without a shell, so it must not fall back to /bin/sh either.
  ::chmod(dir.write("no_shebang", "echo no_shebang_value 1\n").c_str(), 0700);
  DaemonProcess daemon({"--config", dir.write("gleaner.yaml", zoo_config(dir)), "--listen", "127.0.0.1:0"});
  ASSERT_GT(daemon.port(), 0) << daemon.log();

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
  ASSERT_FALSE(first_body.empty() || last_body.empty()) << daemon.log();

  // Fixed-rate ticks: runs started in the window match its length.
  const double expected_runs = (last_at - first_at) / kSteadyInterval;
  const double steady_runs = series_value_or(last_body, runs_series("steady")) -
                             series_value_or(first_body, runs_series("steady"));
  EXPECT_NEAR(steady_runs, expected_runs, 3) << "the well-behaved collector lost its schedule";
  EXPECT_EQ(series_value(last_body, up_series("steady")), 1);

  for (const auto& hostile : kHostile) {
    SCOPED_TRACE(hostile.name);
    EXPECT_GE(series_value_or(last_body, runs_series(hostile.name)), 2) << "it stopped being run";
    for (const char* reason : kReasons) {
      const double failures = series_value_or(last_body, failures_series(hostile.name, reason));
      if (reason == hostile.failure) {
        EXPECT_GE(failures, 1) << "no failure with reason " << reason;
      } else {
        EXPECT_EQ(failures, 0) << "failures with reason " << reason;
      }
    }
    if (hostile.failure.empty()) {
      EXPECT_EQ(series_value(last_body, up_series(hostile.name)), 1);
    }
  }
  // The leader's exit ends the run: its children holding stdout do not.
  EXPECT_LT(series_value_or(last_body, "gleaner_collector_duration_seconds{collector=\"forks_holding_pipes\"}", 99), 2);

  const auto verdict = promtool_check_metrics(last_body);
  EXPECT_TRUE(verdict.valid) << verdict.output;

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(5s), 0) << daemon.log();
  std::vector<ProcessInfo> left;
  eventually([&] { return (left = live_members(groups)).empty(); }, 5s);
  EXPECT_TRUE(left.empty()) << "left behind by the daemon:\n" << describe(left);
  for (const auto& process : left) ::kill(process.pid, SIGKILL);
}

}  // namespace
}  // namespace gleaner::testing
