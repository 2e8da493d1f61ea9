// Stall: how long the daemon's one thread is kept from answering while a
// collector's huge result is parsed, admitted and published, and the first
// scrape after it joins the exposition.
//
//   stall_bench [--series 1000000] [--seconds 20]
//
// A probe thread asks /-/healthy over and over on one kept-alive
// connection, from the daemon's start until the collector's series are out
// and scraped; the slowest answer is the longest the loop was blocked (an
// answer takes well under a millisecond otherwise). Prints that, the time
// until the series were out, and the daemon's CPU and peak RSS.

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "../support/daemon_process.h"
#include "../support/http_client.h"
#include "bench_support.h"

namespace {

using namespace gleaner;
using namespace gleaner::testing;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

}  // namespace

int main(int argc, char** argv) {
  int series = 1'000'000;
  int seconds = 60;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--series") series = std::atoi(argv[i + 1]);
    else if (flag == "--seconds") seconds = std::atoi(argv[i + 1]);
  }
  char dir_template[] = "/tmp/gleaner-stall-XXXXXX";
  const std::string dir = ::mkdtemp(dir_template);
  {
    std::ofstream out(dir + "/series.prom");
    out << "# HELP stall_value A value for the stall benchmark.\n# TYPE stall_value gauge\n";
    for (int i = 0; i < series; ++i) out << "stall_value{device=\"sd" << i << "\",kind=\"disk\"} " << i * 1.5 << "\n";
  }
  const auto bytes = std::filesystem::file_size(dir + "/series.prom");
  std::ofstream(dir + "/gleaner.yaml")
      << "limits: {max_series: " << series + 10 << "}\n"
      << "collectors:\n"
      << "  - {name: huge, plugin: exec, interval: 1h, timeout: 60s, max_output: " << bytes + 1024
      << ", command: [cat, " << dir << "/series.prom]}\n";

  DaemonProcess gleaner_daemon({"--config", dir + "/gleaner.yaml", "--listen", "127.0.0.1:0"});
  const int port = gleaner_daemon.port();
  const auto started = Clock::now();

  std::atomic<bool> stop{false};
  std::vector<double> latencies;
  std::thread probe([&] {
    while (!stop) {
      const auto asked = Clock::now();
      const auto reply = http_get(port, "/-/healthy");
      if (reply && reply->status == 200) latencies.push_back(ms_since(asked));
    }
  });

  double published_ms = -1, scrape_ms = 0;
  while (ms_since(started) < seconds * 1000.0) {
    const auto asked = Clock::now();
    const auto reply = http_get(port, "/metrics");
    const double took = ms_since(asked);
    if (reply && reply->body.find("gleaner_collector_series{collector=\"huge\"} " + std::to_string(series)) !=
                     std::string::npos) {
      published_ms = ms_since(started);
      scrape_ms = took;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  // Keep probing a little after the first full scrape.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  stop = true;
  probe.join();

  const auto cpu = bench::cpu_of(gleaner_daemon.pid());
  const double peak_rss = bench::status_bytes(gleaner_daemon.pid(), "VmHWM");
  std::sort(latencies.begin(), latencies.end());
  const double longest = latencies.empty() ? -1 : latencies.back();
  const double p99 = latencies.empty() ? -1 : latencies[latencies.size() * 99 / 100];
  std::printf(
      "stall: %d series (%.0f MiB of text): out after %.0f ms; longest /-/healthy answer %.1f ms (p99 %.2f ms, %zu "
      "probes); first full scrape %.0f ms; daemon CPU %.2f s, peak RSS %.0f MiB\n",
      series, bytes / 1048576.0, published_ms, longest, p99, latencies.size(), scrape_ms, cpu.self,
      peak_rss / 1048576.0);
  std::filesystem::remove_all(dir);
  return published_ms < 0 ? 1 : 0;
}
