// Stall: how long the daemon's one thread is kept from answering while a
// collector's huge result is parsed, admitted and published, and the first
// scrape after it joins the exposition.
//
//   stall_bench [--series 1000000] [--seconds 20]
//
// A probe thread asks /-/healthy every 2 ms, from the daemon's start until the collector's series are out
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

#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/scratch_dir.h"
#include "tests/bench/bench_support.h"

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
  const gleaner::testing::ScratchDir scratch;  // removed with what is in it, however the bench ends
  const std::string dir = scratch.path().string();
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
      // Paced, so that the probe measures the loop rather than competing
      // with it for the two cores.
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });

  // Published: the status page (small) shows the series count. Then one
  // scrape of the whole exposition, whose first build joins the text.
  double published_ms = -1, scrape_ms = 0;
  const std::string shown = "<td class=\"num\">" + std::to_string(series) + "</td>";
  while (ms_since(started) < seconds * 1000.0) {
    const auto reply = http_get(port, "/");
    if (reply && reply->body.find(shown) != std::string::npos) {
      published_ms = ms_since(started);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto until_scrape = [&] {
    stop = true;
    probe.join();
    const double longest = latencies.empty() ? -1 : *std::max_element(latencies.begin(), latencies.end());
    latencies.clear();
    stop = false;
    return longest;
  };
  const double longest_publishing = until_scrape();
  probe = std::thread([&] {
    while (!stop) {
      const auto asked = Clock::now();
      const auto reply = http_get(port, "/-/healthy");
      if (reply && reply->status == 200) latencies.push_back(ms_since(asked));
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  {
    const auto asked = Clock::now();
    const auto reply = http_get(port, "/metrics");
    scrape_ms = ms_since(asked);
    if (!reply || reply->status != 200) published_ms = -1;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const double longest_scraping = until_scrape();
  stop = true;

  const auto cpu = bench::cpu_of(gleaner_daemon.pid());
  const double peak_rss = bench::status_bytes(gleaner_daemon.pid(), "VmHWM");
  std::printf(
      "stall: %d series (%.0f MiB of text): out after %.0f ms; longest /-/healthy answer while reading and "
      "publishing %.1f ms, during the first full scrape %.1f ms (that scrape %.0f ms); daemon CPU %.2f s, peak RSS "
      "%.0f MiB\n",
      series, bytes / 1048576.0, published_ms, longest_publishing, longest_scraping, scrape_ms, cpu.self,
      peak_rss / 1048576.0);
  return published_ms < 0 ? 1 : 0;
}
