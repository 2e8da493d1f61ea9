// Scrape: /metrics with many series, under a bounded loopback load from
// wrk, without and with gzip; optionally while the collectors keep
// republishing.
//
//   scrape_bench [--series 10000] [--collectors 10] [--interval-ms 60000]
//                [--seconds 10] [--connections 4]
//
// Prints one line per encoding: p50/p99 latency, requests/s, body size, and
// the daemon's RSS. When the interval is under a minute (the collectors
// republish during the measurement), each run prints new values for all
// of its series, as counters would: an unchanged output would cost nothing
// to republish and measure nothing.

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>

#include "../support/daemon_process.h"
#include "../support/http_client.h"
#include "bench_support.h"

namespace {

using namespace gleaner;

struct Options {
  int series = 10000;
  int collectors = 10;
  int interval_ms = 60000;
  int seconds = 10;
  int connections = 4;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (flag == "--series") options.series = value;
    else if (flag == "--collectors") options.collectors = value;
    else if (flag == "--interval-ms") options.interval_ms = value;
    else if (flag == "--seconds") options.seconds = value;
    else if (flag == "--connections") options.connections = value;
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      std::exit(2);
    }
  }
  return options;
}

// A realistic series: a node_exporter-like gauge with three labels.
void write_series(const std::string& path, int collector, int count) {
  std::ofstream out(path);
  out << "# HELP bench_value A value for the scrape benchmark.\n# TYPE bench_value gauge\n";
  for (int i = 0; i < count; ++i) {
    out << "bench_value{device=\"/dev/sd" << collector << "_" << i << "\",fstype=\"ext4\",mountpoint=\"/srv/data/"
        << collector << "/" << i << "\"} " << (i * 1048576.0 + collector) << "\n";
  }
}

struct WrkResult {
  double p50_ms = 0, p99_ms = 0, requests_per_second = 0;
  std::string raw;
};

double to_ms(const std::string& value, const std::string& unit) {
  const double number = std::stod(value);
  if (unit == "us") return number / 1000;
  if (unit == "ms") return number;
  if (unit == "s") return number * 1000;
  return number;
}

WrkResult run_wrk(int port, const Options& options, bool gzip) {
  const std::string command = "wrk -t1 -c" + std::to_string(options.connections) + " -d" +
                              std::to_string(options.seconds) + "s --latency " +
                              (gzip ? "-H 'Accept-Encoding: gzip' " : "") + "http://127.0.0.1:" +
                              std::to_string(port) + "/metrics 2>&1";
  WrkResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  char buffer[4096];
  while (const auto n = std::fread(buffer, 1, sizeof buffer, pipe)) result.raw.append(buffer, n);
  ::pclose(pipe);
  std::smatch match;
  if (std::regex_search(result.raw, match, std::regex(R"(50%\s+([0-9.]+)(us|ms|s))"))) result.p50_ms = to_ms(match[1], match[2]);
  if (std::regex_search(result.raw, match, std::regex(R"(99%\s+([0-9.]+)(us|ms|s))"))) result.p99_ms = to_ms(match[1], match[2]);
  if (std::regex_search(result.raw, match, std::regex(R"(Requests/sec:\s+([0-9.]+))"))) result.requests_per_second = std::stod(match[1]);
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = parse(argc, argv);
  char dir[] = "/tmp/gleaner-scrape-XXXXXX";
  if (!::mkdtemp(dir)) return 1;
  const std::string config = std::string(dir) + "/gleaner.yaml";
  {
    std::ofstream out(config);
    out << "limits: {max_series: 1000000}\ncollectors:\n";
    for (int c = 0; c < options.collectors; ++c) {
      const auto file = std::string(dir) + "/series_" + std::to_string(c) + ".prom";
      write_series(file, c, options.series / options.collectors);
      out << "  - {name: scrape_" << c << ", plugin: exec, interval: " << options.interval_ms
          << "ms, max_output: 64MiB, command: ";
      if (options.interval_ms < 60000) {
        // Every value replaced by the time of the run, in nanoseconds.
        out << "[sh, -c, \"sed '/^#/!s/ [^ ]*$/ '$(date +%s%N)'/' " << file << "\"]}\n";
      } else {
        out << "[cat, " << file << "]}\n";
      }
    }
  }
  testing::DaemonProcess daemon({"--config", config, "--listen", "127.0.0.1:0"});
  const int port = daemon.port();
  if (port == 0) {
    std::fprintf(stderr, "gleaner did not start:\n%s\n", daemon.log().c_str());
    return 1;
  }
  std::string body;
  const bool ready = testing::eventually([&] {
    const auto reply = testing::http_get(port, "/metrics");
    body = reply ? reply->body : "";
    return bench::sum_of(body, "gleaner_collector_series") >= options.series;
  });
  if (!ready) {
    std::fprintf(stderr, "the collectors did not all succeed:\n%s\n", daemon.log().c_str());
    return 1;
  }
  const auto gzipped = testing::http_request(port, "/metrics", {"Accept-Encoding: gzip"});
  for (const bool gzip : {false, true}) {
    const auto result = run_wrk(port, options, gzip);
    if (result.requests_per_second == 0) {
      std::fprintf(stderr, "wrk failed:\n%s\n", result.raw.c_str());
      return 1;
    }
    std::printf("series=%d interval=%dms encoding=%s body=%.0fKiB p50=%.2fms p99=%.2fms requests_per_second=%.0f "
                "rss=%.1fMiB\n",
                options.series, options.interval_ms, gzip ? "gzip" : "identity",
                (gzip && gzipped ? gzipped->body.size() : body.size()) / 1024.0, result.p50_ms, result.p99_ms,
                result.requests_per_second, bench::status_bytes(daemon.pid(), "VmRSS") / 1048576);
  }
  daemon.signal(SIGTERM);
  daemon.wait_for_exit();
  std::filesystem::remove_all(dir);
  return 0;
}
