// Scrape: /metrics with many series, under a bounded loopback load from
// wrk, without and with gzip; optionally while the collectors keep
// republishing.
//
//   scrape_bench [--series 10000] [--collectors 10] [--interval-ms 60000]
//                [--seconds 10] [--connections 4] [--threads 2]
//                [--gleaner PATH] [--count-allocations 1000]
//
// Prints one line per encoding: p50/p99 latency, requests/s, body size, and
// the daemon's RSS. When the interval is under a minute (the collectors
// republish during the measurement), each run prints new values for all
// of its series, as counters would: an unchanged output would cost nothing
// to republish and measure nothing.
//
// Figures count only if every answer was a 200: a server answering 503, or
// dropping connections, would be fast for nothing. Any non-2xx answer or
// socket error from wrk fails the bench (exit status 1, and says so).
//
// --gleaner runs another build of gleaner (an older one, to compare).
// --count-allocations N preloads the malloc counter (libmalloc_counter.so,
// next to this binary) into gleaner, makes N scrapes in each encoding one
// after the other, and prints the heap allocations and bytes asked for per
// scrape instead of running wrk.

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/raw_http_connection.h"
#include "tests/bench/bench_support.h"

namespace {

using namespace gleaner;

struct Options {
  int series = 10000;
  int collectors = 10;
  int interval_ms = 60000;
  int seconds = 10;
  int connections = 4;
  int threads = 2;
  std::string gleaner;          // empty: the gleaner built with this bench
  int count_allocations = 0;    // scrapes per encoding; 0: run wrk
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--gleaner") {
      options.gleaner = argv[i + 1];
      continue;
    }
    const int value = std::atoi(argv[i + 1]);
    if (flag == "--series") options.series = value;
    else if (flag == "--collectors") options.collectors = value;
    else if (flag == "--interval-ms") options.interval_ms = value;
    else if (flag == "--seconds") options.seconds = value;
    else if (flag == "--connections") options.connections = value;
    else if (flag == "--threads") options.threads = value;
    else if (flag == "--count-allocations") options.count_allocations = value;
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
  double requests = 0;     // "N requests in 10.00s"
  long non_2xx = 0;        // "Non-2xx or 3xx responses: N"
  long socket_errors = 0;  // "Socket errors: connect A, read B, write C, timeout D", summed
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
  const std::string command = "wrk -t" + std::to_string(options.threads) + " -c" + std::to_string(options.connections) + " -d" +
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
  if (std::regex_search(result.raw, match, std::regex(R"(([0-9]+) requests in)"))) result.requests = std::stod(match[1]);
  if (std::regex_search(result.raw, match, std::regex(R"(Non-2xx or 3xx responses:\s+([0-9]+))"))) result.non_2xx = std::stol(match[1]);
  if (std::regex_search(result.raw, match,
                        std::regex(R"(Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+))"))) {
    for (int i = 1; i <= 4; ++i) result.socket_errors += std::stol(match[i]);
  }
  return result;
}

// Heap allocations so far in gleaner, as the preloaded counter reports
// them: asks through its FIFO and waits for its line.
struct AllocationCount {
  double allocations = 0, bytes = 0;
};

std::optional<AllocationCount> allocations_so_far(const std::string& counter_file, const std::string& ask_fifo) {
  const auto lines_in = [&] {
    const std::string text = testing::read_file(counter_file);
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  };
  const std::size_t before = lines_in();
  const int ask = ::open(ask_fifo.c_str(), O_WRONLY | O_CLOEXEC | O_NONBLOCK);
  if (ask < 0) return std::nullopt;  // nobody reads it: the counter is not there
  ::close(ask);
  if (!testing::eventually([&] { return lines_in() > before; })) return std::nullopt;
  std::istringstream text(testing::read_file(counter_file));
  AllocationCount count;
  for (std::string line; std::getline(text, line);) std::istringstream(line) >> count.allocations >> count.bytes;
  return count;
}

// N scrapes one after the other on one kept-alive connection; the heap
// allocations gleaner made meanwhile, per scrape.
int count_allocations(int port, const Options& options, const std::string& counter_file,
                      const std::string& ask_fifo) {
  for (const bool gzip : {false, true}) {
    testing::RawHttpConnection connection(port);
    const std::string request = std::string("GET /metrics HTTP/1.1\r\nHost: localhost\r\n") +
                                (gzip ? "Accept-Encoding: gzip\r\n" : "") + "\r\n";
    // One scrape first: the first after a change builds the shared part.
    if (!connection.send(request) || !connection.read_reply()) return 1;
    const auto before = allocations_so_far(counter_file, ask_fifo);
    std::size_t body_bytes = 0;
    for (int i = 0; i < options.count_allocations; ++i) {
      const auto reply = connection.send(request) ? connection.read_reply() : std::nullopt;
      if (!reply || reply->status != 200) {
        std::fprintf(stderr, "FAILED: scrape %d was not answered 200\n", i);
        return 1;
      }
      body_bytes = reply->body.size();
    }
    const auto after = allocations_so_far(counter_file, ask_fifo);
    if (!before || !after) {
      std::fprintf(stderr, "FAILED: the malloc counter did not answer (is %s preloaded?)\n", counter_file.c_str());
      return 1;
    }
    const double scrapes = options.count_allocations;
    std::printf("series=%d encoding=%s body=%.0fKiB scrapes=%d allocations_per_scrape=%.1f "
                "bytes_allocated_per_scrape=%.0f\n",
                options.series, gzip ? "gzip" : "identity", body_bytes / 1024.0, options.count_allocations,
                (after->allocations - before->allocations) / scrapes, (after->bytes - before->bytes) / scrapes);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = parse(argc, argv);
  const gleaner::testing::ScratchDir scratch;  // removed with what is in it, however the bench ends
  const std::string dir = scratch.path().string();
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
  // Another gleaner runs in the built one's place through a launcher: sh
  // drops the built one's path and execs the other with the arguments.
  std::vector<std::string> launcher;
  if (!options.gleaner.empty()) launcher = {"sh", "-c", "shift; exec \"$0\" \"$@\"", options.gleaner};
  std::vector<std::string> environment;
  const std::string counter_file = std::string(dir) + "/allocations.txt";
  const std::string ask_fifo = std::string(dir) + "/allocations.ask";
  if (options.count_allocations > 0) {
    const auto counter = std::filesystem::canonical("/proc/self/exe").parent_path() / "libmalloc_counter.so";
    if (::mkfifo(ask_fifo.c_str(), 0600) != 0) return 1;
    environment = {"LD_PRELOAD=" + counter.string(), "MALLOC_COUNTER_OUT=" + counter_file,
                   "MALLOC_COUNTER_ASK=" + ask_fifo};
  }
  testing::DaemonProcess daemon({"--config", config, "--listen", "127.0.0.1:0"}, environment, launcher);
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
  if (options.count_allocations > 0) {
    const int status = count_allocations(port, options, counter_file, ask_fifo);
    daemon.signal(SIGTERM);
    daemon.wait_for_exit();
    return status;
  }
  const auto gzipped = testing::http_request(port, "/metrics", {"Accept-Encoding: gzip"});
  for (const bool gzip : {false, true}) {
    const auto cpu_before = bench::cpu_of(daemon.pid());
    const auto result = run_wrk(port, options, gzip);
    const auto cpu_after = bench::cpu_of(daemon.pid());
    if (result.requests_per_second == 0) {
      std::fprintf(stderr, "wrk failed:\n%s\n", result.raw.c_str());
      return 1;
    }
    if (result.non_2xx > 0 || result.socket_errors > 0) {
      std::fprintf(stderr,
                   "FAILED: %ld answers were not 2xx and %ld socket errors (%s): these figures mean nothing\n%s\n",
                   result.non_2xx, result.socket_errors, gzip ? "gzip" : "identity", result.raw.c_str());
      return 1;
    }
    // The daemon's own CPU per answer: what a scrape costs it, whoever else
    // shares the cores (the collectors' runs count in it while they republish).
    const double cpu_per_request_us = (cpu_after.self - cpu_before.self) / std::max(result.requests, 1.0) * 1e6;
    std::printf("series=%d interval=%dms encoding=%s body=%.0fKiB p50=%.2fms p99=%.2fms requests_per_second=%.0f "
                "daemon_cpu_per_request=%.0fus rss=%.1fMiB\n",
                options.series, options.interval_ms, gzip ? "gzip" : "identity",
                (gzip && gzipped ? gzipped->body.size() : body.size()) / 1024.0, result.p50_ms, result.p99_ms,
                result.requests_per_second, cpu_per_request_us, bench::status_bytes(daemon.pid(), "VmRSS") / 1048576);
  }
  daemon.signal(SIGTERM);
  daemon.wait_for_exit();
  return 0;
}
