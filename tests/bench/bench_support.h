#pragma once
// What the load and scrape benchmarks share: reading a process's CPU and
// memory from /proc, scraping numbers out of an exposition, quantiles from
// a Prometheus histogram.

#include <unistd.h>

#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace gleaner::bench {

struct ProcessCpu {
  double self = 0;      // seconds, user + system
  double children = 0;  // seconds, of reaped children
};

inline ProcessCpu cpu_of(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(file, stat);
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::vector<std::string> values;
  for (std::string field; fields >> field;) values.push_back(field);
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  // proc(5): utime stime cutime cstime are fields 14-17 (11-14 here).
  return {(std::stod(values[11]) + std::stod(values[12])) / ticks,
          (std::stod(values[13]) + std::stod(values[14])) / ticks};
}

// A line of /proc/PID/status in bytes ("VmRSS", "VmHWM"), or 0.
inline double status_bytes(pid_t pid, const std::string& key) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(file, line);) {
    if (line.rfind(key + ":", 0) == 0) return std::stod(line.substr(key.size() + 1)) * 1024;
  }
  return 0;
}

inline int thread_count(pid_t pid) { return static_cast<int>(status_bytes(pid, "Threads") / 1024); }

// Sum of every sample of a metric (all label sets) in an exposition.
inline double sum_of(const std::string& exposition, const std::string& metric) {
  double total = 0;
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(metric, 0) != 0) continue;
    const char next = line.size() > metric.size() ? line[metric.size()] : '\0';
    if (next != '{' && next != ' ') continue;
    total += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return total;
}

// Cumulative bucket counts of a histogram: upper bound → count.
inline std::map<double, double> histogram_buckets(const std::string& exposition, const std::string& metric) {
  std::map<double, double> buckets;
  const std::string prefix = metric + "_bucket{le=\"";
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) != 0) continue;
    const auto bound_text = line.substr(prefix.size(), line.find('"', prefix.size()) - prefix.size());
    const double bound = bound_text == "+Inf" ? INFINITY : std::stod(bound_text);
    buckets[bound] = std::stod(line.substr(line.rfind(' ') + 1));
  }
  return buckets;
}

// The q-quantile of the observations between two snapshots of a histogram,
// interpolated within a bucket as Prometheus' histogram_quantile does.
inline double quantile(double q, const std::map<double, double>& before, const std::map<double, double>& after) {
  std::vector<std::pair<double, double>> counts;
  for (const auto& [bound, count] : after) {
    const auto it = before.find(bound);
    counts.emplace_back(bound, count - (it == before.end() ? 0 : it->second));
  }
  if (counts.empty() || counts.back().second <= 0) return NAN;
  const double rank = q * counts.back().second;
  double lower_bound = 0, lower_count = 0;
  for (const auto& [bound, count] : counts) {
    if (count >= rank) {
      if (std::isinf(bound)) return lower_bound;
      return lower_bound + (bound - lower_bound) * (rank - lower_count) / std::max(1e-12, count - lower_count);
    }
    lower_bound = bound;
    lower_count = count;
  }
  return lower_bound;
}

}  // namespace gleaner::bench
