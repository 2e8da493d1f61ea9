// A stream command that prints as fast as it can, beside well-behaved
// collectors: what it costs the daemon, scrapes and the neighbours'
// schedule, against the same configuration without the flood.
//
//   stream_flood_bench [--flood none|yes|invalid] [--seconds 20]
//                      [--neighbours 5] [--raw PATH]
//
// `yes` floods with a valid record ("flood_metric 1"), `invalid` with a line
// that fails to parse, `none` runs the neighbours alone (the idle figures).
// The neighbours are collectors running `echo` every second. During the
// measurement /metrics is scraped in a loop, one request every 20 ms (what
// a scraper sees, without saturating the machine as wrk would).
//
// Prints one line: scrape p50/p99/max, the neighbours' lateness p50/p99
// (gleaner_scheduler_lateness_seconds, tick to spawn) and runs completed
// against expected, the daemon's CPU and the flooding command's as a share
// of one core, the stream's runs and skipped records, and what was logged.
// With --raw, every scrape's latency and the expositions before and after
// are appended to PATH.

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/scratch_dir.h"
#include "tests/bench/bench_support.h"

namespace {

using namespace gleaner;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string flood = "yes";
  int seconds = 20;
  int neighbours = 5;
  int warmup_seconds = 3;
  std::string raw_path;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--flood") options.flood = value;
    else if (flag == "--seconds") options.seconds = std::stoi(value);
    else if (flag == "--neighbours") options.neighbours = std::stoi(value);
    else if (flag == "--warmup-seconds") options.warmup_seconds = std::stoi(value);
    else if (flag == "--raw") options.raw_path = value;
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      std::exit(2);
    }
  }
  if (options.flood != "none" && options.flood != "yes" && options.flood != "invalid") {
    std::fprintf(stderr, "--flood takes none, yes or invalid\n");
    std::exit(2);
  }
  return options;
}

std::string scrape(int port) {
  const auto reply = testing::http_get(port, "/metrics");
  return reply ? reply->body : "";
}

// CPU seconds of the daemon's child running `name` (the flooding command),
// or 0: a stream command is never reaped while it runs, so its time is not
// in the daemon's children's figure.
double child_cpu(pid_t daemon, const std::string& name) {
  std::ifstream children("/proc/" + std::to_string(daemon) + "/task/" + std::to_string(daemon) + "/children");
  double total = 0;
  for (pid_t child; children >> child;) {
    std::ifstream comm("/proc/" + std::to_string(child) + "/comm");
    std::string command;
    std::getline(comm, command);
    if (command == name) total += bench::cpu_of(child).self;
  }
  return total;
}

double percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

// The size of the daemon's log (its stderr, a file), without reading it:
// a flood of log lines can make it gigabytes.
std::size_t log_size(pid_t daemon) {
  std::error_code error;
  const auto size = std::filesystem::file_size("/proc/" + std::to_string(daemon) + "/fd/2", error);
  return error ? 0 : static_cast<std::size_t>(size);
}

// Lines written to the log between two sizes: counted when they are few
// enough to read, else estimated from the average length of the last MiB.
std::string log_lines_between(pid_t daemon, std::size_t from, std::size_t to) {
  constexpr std::size_t kMaxRead = 64 << 20;
  const std::size_t start = to - from > kMaxRead ? to - (1 << 20) : from;
  std::ifstream file("/proc/" + std::to_string(daemon) + "/fd/2", std::ios::binary);
  file.seekg(static_cast<std::streamoff>(start));
  std::string text(to - start, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  const auto lines = static_cast<double>(std::count(text.begin(), text.end(), '\n'));
  if (start == from) return std::to_string(static_cast<long long>(lines));
  return "~" + std::to_string(static_cast<long long>(lines * static_cast<double>(to - from) / static_cast<double>(to - start)));
}

std::string log_tail(pid_t daemon, std::size_t size) {
  constexpr std::size_t kTail = 8192;
  const std::size_t start = size > kTail ? size - kTail : 0;
  std::ifstream file("/proc/" + std::to_string(daemon) + "/fd/2", std::ios::binary);
  file.seekg(static_cast<std::streamoff>(start));
  std::string text(size - start, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = parse(argc, argv);
  const gleaner::testing::ScratchDir scratch;  // removed with what is in it, however the bench ends
  const std::string dir = scratch.path().string();
  const std::string config = std::string(dir) + "/gleaner.yaml";
  {
    std::ofstream out(config);
    out << "collectors:\n";
    for (int i = 0; i < options.neighbours; ++i) {
      out << "  - {name: neighbour_" << i << ", plugin: exec, interval: 1s, command: [echo, \"neighbour_value " << i
          << "\"]}\n";
    }
    if (options.flood == "yes") out << "  - {name: flood, plugin: exec, mode: stream, command: [yes, \"flood_metric 1\"]}\n";
    if (options.flood == "invalid") out << "  - {name: flood, plugin: exec, mode: stream, command: [yes, \"not a metric {\"]}\n";
  }
  testing::DaemonProcess daemon({"--config", config, "--listen", "127.0.0.1:0"});
  const int port = daemon.port();
  if (port == 0) {
    std::fprintf(stderr, "gleaner did not start:\n%s\n", daemon.log().c_str());
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::seconds(options.warmup_seconds));

  const auto before_text = scrape(port);
  const auto cpu_before = bench::cpu_of(daemon.pid());
  const double flood_cpu_before = child_cpu(daemon.pid(), "yes");
  const std::size_t log_before = log_size(daemon.pid());
  const auto start = Clock::now();
  const auto end = start + std::chrono::seconds(options.seconds);
  std::vector<double> latencies_ms;
  std::size_t failed_scrapes = 0;
  while (Clock::now() < end) {
    const auto asked = Clock::now();
    const auto reply = testing::http_get(port, "/metrics");
    latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - asked).count());
    if (!reply || reply->status != 200) ++failed_scrapes;
    std::this_thread::sleep_until(asked + std::chrono::milliseconds(20));
  }
  const auto after_text = scrape(port);
  const auto cpu_after = bench::cpu_of(daemon.pid());
  const double flood_cpu_after = child_cpu(daemon.pid(), "yes");
  const std::size_t log_after = log_size(daemon.pid());
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();

  const auto delta = [&](const std::string& metric) {
    return bench::sum_of(after_text, metric) - bench::sum_of(before_text, metric);
  };
  const auto lateness_before = bench::histogram_buckets(before_text, "gleaner_scheduler_lateness_seconds");
  const auto lateness_after = bench::histogram_buckets(after_text, "gleaner_scheduler_lateness_seconds");
  double neighbour_runs = 0;
  for (int i = 0; i < options.neighbours; ++i) {
    neighbour_runs += delta("gleaner_collector_runs_total{collector=\"neighbour_" + std::to_string(i) + "\"}");
  }
  const std::string stream = "{collector=\"flood\"}";
  const double stream_runs = delta("gleaner_collector_runs_total" + stream);
  const double stream_skipped = delta("gleaner_collector_skipped_total" + stream);
  const std::size_t log_bytes = log_after - std::min(log_after, log_before);
  const std::string log_lines = log_lines_between(daemon.pid(), log_after - log_bytes, log_after);

  std::printf("flood=%s seconds=%.0f scrapes=%zu failed_scrapes=%zu scrape_p50=%.2fms scrape_p99=%.2fms "
              "scrape_max=%.2fms lateness_p50=%.2fms lateness_p99=%.2fms neighbour_runs=%.0f expected=%.0f "
              "daemon_cpu=%.1f%% flood_command_cpu=%.1f%% stream_runs_per_s=%.1f stream_skipped_per_s=%.0f "
              "log_lines=%s log_bytes=%zu\n",
              options.flood.c_str(), wall, latencies_ms.size(), failed_scrapes, percentile(latencies_ms, 0.5),
              percentile(latencies_ms, 0.99), percentile(latencies_ms, 1.0),
              bench::quantile(0.5, lateness_before, lateness_after) * 1000,
              bench::quantile(0.99, lateness_before, lateness_after) * 1000, neighbour_runs,
              options.neighbours * wall, (cpu_after.self - cpu_before.self) / wall * 100,
              (flood_cpu_after - flood_cpu_before) / wall * 100, stream_runs / wall, stream_skipped / wall,
              log_lines.c_str(), log_bytes);

  if (!options.raw_path.empty()) {
    std::ofstream raw(options.raw_path, std::ios::app);
    raw << "== stream_flood_bench --flood " << options.flood << " --seconds " << options.seconds
        << " --neighbours " << options.neighbours << "\n-- scrape latencies (ms), in order:\n";
    for (const double latency : latencies_ms) raw << latency << "\n";
    raw << "-- exposition before:\n" << before_text << "-- exposition after:\n" << after_text;
    raw << "-- the log's last 20 lines:\n";
    std::istringstream lines(log_tail(daemon.pid(), log_size(daemon.pid())));
    std::vector<std::string> tail;
    for (std::string line; std::getline(lines, line);) {
      tail.push_back(line.substr(0, 300));
      if (tail.size() > 20) tail.erase(tail.begin());
    }
    for (const auto& line : tail) raw << line << "\n";
  }
  daemon.signal(SIGTERM);
  daemon.wait_for_exit();
  return failed_scrapes > 0 ? 1 : 0;
}
