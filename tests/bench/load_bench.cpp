// Load: N collectors, each running a one-line shell script every interval,
// for a while; what it costs the host and how well the schedule holds.
//
//   load_bench [--collectors 100] [--interval-ms 1000] [--seconds 30]
//              [--command 'echo load_value 1'] [--warmup-seconds 3]
//
// Prints one line: total CPU (daemon + its commands) as a share of one
// core, the daemon's own share, RSS now and at peak, runs completed against
// expected, skipped ticks, and lateness p50/p99 from
// gleaner_scheduler_lateness_seconds (tick to spawn).

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/scratch_dir.h"
#include "tests/bench/bench_support.h"

namespace {

using namespace gleaner;

struct Options {
  int collectors = 100;
  int interval_ms = 1000;
  int seconds = 30;
  int warmup_seconds = 3;
  std::string command = "echo load_value 1";
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--collectors") options.collectors = std::stoi(value);
    else if (flag == "--interval-ms") options.interval_ms = std::stoi(value);
    else if (flag == "--seconds") options.seconds = std::stoi(value);
    else if (flag == "--warmup-seconds") options.warmup_seconds = std::stoi(value);
    else if (flag == "--command") options.command = value;
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      std::exit(2);
    }
  }
  return options;
}

std::string scrape(int port) {
  const auto reply = testing::http_get(port, "/metrics");
  return reply ? reply->body : "";
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = parse(argc, argv);
  const gleaner::testing::ScratchDir scratch;  // removed with what is in it, however the bench ends
  const std::string dir = scratch.path().string();
  const std::string config = std::string(dir) + "/gleaner.yaml";
  {
    std::ofstream out(config);
    out << "limits: {max_concurrent: 16, max_series: 100000}\ncollectors:\n";
    for (int i = 0; i < options.collectors; ++i) {
      out << "  - {name: load_" << i << ", plugin: exec, interval: " << options.interval_ms
          << "ms, timeout: 10s, shell: \"" << options.command << "\"}\n";
    }
  }
  testing::DaemonProcess daemon({"--config", config, "--listen", "127.0.0.1:0"});
  const int port = daemon.port();  // from its "listening on" log line
  if (port == 0) {
    std::fprintf(stderr, "gleaner did not start:\n%s\n", daemon.log().c_str());
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::seconds(options.warmup_seconds));

  const auto before_text = scrape(port);
  const auto cpu_before = bench::cpu_of(daemon.pid());
  const auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(options.seconds));
  const auto after_text = scrape(port);
  const auto cpu_after = bench::cpu_of(daemon.pid());
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double rss = bench::status_bytes(daemon.pid(), "VmRSS");
  const double peak = bench::status_bytes(daemon.pid(), "VmHWM");

  const double runs = bench::sum_of(after_text, "gleaner_collector_runs_total") -
                      bench::sum_of(before_text, "gleaner_collector_runs_total");
  const double failures = bench::sum_of(after_text, "gleaner_collector_failures_total") -
                          bench::sum_of(before_text, "gleaner_collector_failures_total");
  const double skipped = bench::sum_of(after_text, "gleaner_collector_skipped_total") -
                         bench::sum_of(before_text, "gleaner_collector_skipped_total");
  const double expected = options.collectors * wall * 1000.0 / options.interval_ms;
  const auto lateness_before = bench::histogram_buckets(before_text, "gleaner_scheduler_lateness_seconds");
  const auto lateness_after = bench::histogram_buckets(after_text, "gleaner_scheduler_lateness_seconds");
  const double self = (cpu_after.self - cpu_before.self) / wall;
  const double children = (cpu_after.children - cpu_before.children) / wall;

  std::printf("collectors=%d interval=%dms seconds=%.0f total_cpu=%.1f%% daemon_cpu=%.2f%% children_cpu=%.1f%% "
              "rss=%.1fMiB peak_rss=%.1fMiB runs=%.0f expected=%.0f failures=%.0f skipped=%.0f "
              "lateness_p50=%.3fms lateness_p99=%.3fms daemon_cpu_per_run=%.1fus total_cpu_per_run=%.1fus\n",
              options.collectors, options.interval_ms, wall, (self + children) * 100, self * 100, children * 100,
              rss / 1048576, peak / 1048576, runs, expected, failures, skipped,
              bench::quantile(0.5, lateness_before, lateness_after) * 1000,
              bench::quantile(0.99, lateness_before, lateness_after) * 1000,
              runs > 0 ? (cpu_after.self - cpu_before.self) / runs * 1e6 : 0.0,
              runs > 0 ? ((cpu_after.self - cpu_before.self) + (cpu_after.children - cpu_before.children)) / runs * 1e6 : 0.0);
  daemon.signal(SIGTERM);
  daemon.wait_for_exit();
  return failures > 0 ? 1 : 0;
}
