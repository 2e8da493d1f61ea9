// Soak: the real daemon runs many collectors at short intervals, commands
// of every kind (well-behaved, failing, hanging, ignoring SIGTERM, flooding,
// streaming, dying and restarted, leaving grandchildren, printing garbage),
// while the test samples it about once a second: open fds, threads, resident
// memory, the processes under it and zombies among them, and a scrape.
// After a warm-up, what it holds must stay flat: no trend from the first
// third of the run to the last.
//
// Duration: GLEANER_SOAK_SECONDS (default 45, the CI form).
//   ctest --test-dir build -L soak --output-on-failure          # 45 s; the table shows with -V
//   GLEANER_SOAK_SECONDS=600 ctest --test-dir build -L soak -V   # 10 min
//   GLEANER_SOAK_SECONDS=600 build/tests/soak_test               # the same, directly
// (ctest gives up on it after 20 minutes; run the binary directly for longer.)
// Every sample goes to soak_samples.csv in the build folder; the summary
// table is printed.

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/background_scraper.h"
#include "tests/support/daemon_fixture.h"
#include "tests/support/exposition_values.h"
#include "tests/support/process_tree.h"
#include "tests/soak/soak_samples.h"

#ifndef GLEANER_SOAK_CSV
#error "needs GLEANER_SOAK_CSV, where the samples go"
#endif

namespace gleaner::testing {
namespace {

using namespace std::chrono_literals;

// Start-up, first runs and the allocator's first growth are not a trend.
constexpr int kWarmUpSeconds = 5;
// About once a second, but a little off: the collectors' cycles divide into
// whole seconds (or nearly), so samples on the second would always catch
// each of them at the same moment of its cycle; these sweep through them.
constexpr auto kSamplePeriod = 1037ms;

// How much a later third may peak above the first (see where they are used).
constexpr double kFdAllowance = 8;
constexpr double kRssAllowanceKib = 1024;

int soak_seconds() {
  const char* text = std::getenv("GLEANER_SOAK_SECONDS");
  return text && std::atoi(text) > 0 ? std::atoi(text) : 45;
}

// Well-behaved collectors, so that the daemon is busy with ordinary work too.
const std::vector<std::string> kWellBehaved = {"echo_200ms", "echo_300ms", "echo_500ms", "echo_700ms", "echo_1s"};
// Every other collector, each hostile in its own way (see soak_config()).
const std::vector<std::string> kHostile = {"exit_three", "missing_executable", "hang",         "hang_ignoring_term",
                                           "flood",      "ticker_stream",      "dying_stream", "grandchild",
                                           "garbage",    "persistent",         "persistent_hanging", "persistent_dying"};

std::string soak_config() {
  std::string config = "limits: {max_concurrent: 16}\ncollectors:\n";
  const char* intervals[] = {"200ms", "300ms", "500ms", "700ms", "1s"};
  for (std::size_t i = 0; i < kWellBehaved.size(); ++i) {
    config += "  - {name: " + kWellBehaved[i] + ", plugin: exec, interval: " + intervals[i] +
              ", command: [echo, x, \"1\"]}\n";
  }
  config += R"(  - {name: exit_three, plugin: exec, interval: 500ms, shell: "exit 3"}
  - {name: missing_executable, plugin: exec, interval: 500ms, command: [/nonexistent/gleaner-soak-missing]}
  - {name: hang, plugin: exec, interval: 1s, timeout: 300ms, command: [sleep, "300"]}
  - {name: hang_ignoring_term, plugin: exec, interval: 1s, timeout: 300ms, shell: "trap '' TERM; sleep 300"}
  - {name: flood, plugin: exec, interval: 500ms, max_output: 4KiB, command: ["yes"]}
  - {name: ticker_stream, plugin: exec, mode: stream, shell: "while :; do echo tick 1; sleep 0.1; done"}
  - {name: dying_stream, plugin: exec, mode: stream, shell: "echo brief 1; sleep 1; exit 1"}
  - {name: grandchild, plugin: exec, interval: 500ms, shell: "sleep 60 & echo v 1"}
  - {name: garbage, plugin: exec, interval: 500ms, command: [head, -c, "512", /dev/urandom]}
  - {name: persistent, plugin: exec, mode: persistent, interval: 200ms, shell: "while read x; do echo answer 1; echo; done"}
  - {name: persistent_hanging, plugin: exec, mode: persistent, interval: 500ms, timeout: 300ms, shell: "read x; echo a 1; echo; read x; sleep 300"}
  - {name: persistent_dying, plugin: exec, mode: persistent, interval: 500ms, shell: "read x; echo a 1; echo; read x; exit 1"}
)";
  return config;
}

std::string log_tail(const DaemonProcess& daemon) {
  const std::string log = daemon.log();
  return log.size() > 4000 ? log.substr(log.size() - 4000) : log;
}

// Later thirds may exceed the first third's peak by `allowance` at most.
void expect_flat(std::span<const SoakSample> steady, const char* name, double allowance) {
  const auto parts = thirds(steady);
  const SoakColumn& column = soak_column(name);
  const double first_peak = range_of(parts[0], column).max;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    EXPECT_LE(range_of(parts[i], column).max, first_peak + allowance)
        << name << " grows: third " << i + 1 << " peaks above the first third's " << first_peak << " + " << allowance;
  }
}

class Soak : public DaemonFixture {};

TEST_F(Soak, TheDaemonHoldsSteadyUnderEveryKindOfCommand) {
  const int duration = soak_seconds();
  ASSERT_GE(duration, kWarmUpSeconds + 9) << "GLEANER_SOAK_SECONDS too short for three thirds after warm-up";
  DaemonProcess& daemon = start(soak_config());
  ASSERT_GT(daemon.port(), 0);
  const pid_t pid = daemon.pid();
  std::printf("soak: %d s, a sample every %lld ms, warm-up %d s\n", duration,
              static_cast<long long>(kSamplePeriod.count()), kWarmUpSeconds);

  std::vector<SoakSample> samples;
  std::vector<std::string> problems;  // zombies that stayed, scrapes that failed
  std::set<pid_t> zombies_before;
  std::string warm_body;  // the first good scrape after warm-up
  std::string last_body;  // the last good scrape
  std::set<pid_t> recent_groups;
  const auto start = std::chrono::steady_clock::now();
  for (int k = 1; k * kSamplePeriod <= std::chrono::seconds(duration); ++k) {
    std::this_thread::sleep_until(start + k * kSamplePeriod);
    const double at = std::chrono::duration<double>(k * kSamplePeriod).count();
    const std::string when = "at " + std::to_string(at) + " s: ";
    ASSERT_FALSE(daemon.exited()) << "the daemon died " << when << "\n" << log_tail(daemon);
    SoakSample sample;
    sample.seconds = at;
    sample.fds = open_fd_count(pid);
    sample.threads = static_cast<int>(status_number(pid, "Threads"));
    sample.rss_kib = status_number(pid, "VmRSS");
    const ProcessTree tree = process_tree(pid);
    sample.children = tree.children;
    sample.descendants = static_cast<int>(tree.below.size());
    sample.zombies = static_cast<int>(tree.zombies.size());
    // A zombie lives until the daemon reaps it, which it does after each
    // run and once a second: the same one twice in a row was forgotten.
    std::set<pid_t> zombies_now(tree.zombies.begin(), tree.zombies.end());
    for (const pid_t zombie : zombies_now) {
      if (zombies_before.count(zombie)) {
        problems.push_back(when + "zombie " + std::to_string(zombie) + " seen in two consecutive samples");
      }
    }
    zombies_before = zombies_now;
    // Groups the daemon's commands are in, near the end: none may outlive it.
    if (at > duration - 3) recent_groups.insert(tree.groups.begin(), tree.groups.end());

    const TimedScrape scrape = timed_scrape(daemon.port());
    sample.scrape_ok = scrape.ok;
    sample.scrape_ms = scrape.milliseconds;
    if (!scrape.ok) {
      problems.push_back(when + "scrape failed, status " + std::to_string(scrape.status) + " after " +
                         std::to_string(scrape.milliseconds) + " ms");
    } else {
      if (at >= kWarmUpSeconds && warm_body.empty()) warm_body = scrape.body;
      last_body = scrape.body;
    }
    samples.push_back(sample);
  }

  write_csv(GLEANER_SOAK_CSV, samples);
  const auto warm =
      std::find_if(samples.begin(), samples.end(), [](const SoakSample& s) { return s.seconds >= kWarmUpSeconds; });
  const std::span<const SoakSample> steady(warm, samples.end());
  std::printf("after warm-up, %zu samples (every sample: %s)\n%s", steady.size(), GLEANER_SOAK_CSV,
              thirds_table(steady).c_str());
  std::fflush(stdout);

  for (const auto& problem : problems) ADD_FAILURE() << problem;
  // What a leak would exceed. The collectors above make nearly 40 runs and
  // stream records a second (echo_200ms alone 5, persistent 5; about 1,500
  // in the 40 s after warm-up here), so between the first third and the end
  // of the last (some 25 s at the 45 s of CI) the daemon makes hundreds: a descriptor or a kilobyte kept per run, or per run of
  // the slowest collector alone (25 runs), is far above these allowances.
  // What they allow is how much more the daemon may hold at a busier moment
  // than at the first third's busiest: a few more commands in flight at
  // once, three or four descriptors each (pipes, pidfd), and the
  // allocator's bins. Measured on 2026-11-30 (45 s, a loaded 2-core
  // machine): fds 19-33 in every third (peaks 33, 32, 33), RSS the same
  // 13,676 KiB throughout.
  expect_flat(steady, "fds", kFdAllowance);
  expect_flat(steady, "threads", 1);
  expect_flat(steady, "children", 6);
  expect_flat(steady, "descendants", 10);
#ifdef GLEANER_SANITIZED_DAEMON
  // AddressSanitizer keeps freed memory in quarantine (256 MiB by default)
  // before reusing it, so resident memory grows for a long while by design.
  std::printf("RSS not judged: the daemon is built with sanitizers\n");
#else
  expect_flat(steady, "rss_kib", kRssAllowanceKib);
#endif

  ASSERT_FALSE(warm_body.empty() || last_body.empty()) << "no good scrape to compare";
  std::vector<std::string> all = kWellBehaved;
  all.insert(all.end(), kHostile.begin(), kHostile.end());
  std::string runs_line = "runs after warm-up:";
  for (const auto& name : all) {
    const double runs = required_value(last_body, runs_series(name)) - required_value(warm_body, runs_series(name));
    runs_line += " " + name + "=" + std::to_string(static_cast<long>(runs));
    EXPECT_GT(runs, 0) << name << " stopped running after warm-up";
  }
  std::printf("%s\n", runs_line.c_str());
  for (const auto& name : kWellBehaved) EXPECT_EQ(value_of(last_body, up_series(name)), 1) << name;

  // Long-running commands (hang, the streams) are always there near the end.
  ASSERT_FALSE(recent_groups.empty());
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(5s), 0) << log_tail(daemon);
  std::vector<ProcessInfo> left;
  eventually([&] { return (left = live_members(recent_groups)).empty(); }, 5s);
  EXPECT_TRUE(left.empty()) << "left behind by the daemon:\n" << describe(left);
  for (const auto& process : left) ::kill(process.pid, SIGKILL);
}

}  // namespace
}  // namespace gleaner::testing
