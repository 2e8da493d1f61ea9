#pragma once
// The soak's per-second samples of the daemon, and the two ways they are
// shown: a CSV with every sample (to plot), and a table of min/max per third
// of the run after warm-up (to see flatness at a glance). Flatness is judged
// on thirds because a leak is a trend: whatever the daemon holds at its
// busiest in the last third should not exceed what it held in the first.

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <span>
#include <string>
#include <vector>

namespace gleaner::testing {

struct SoakSample {
  double seconds = 0;  // since sampling began, as soon as the daemon listened
  int fds = 0;
  int threads = 0;
  long rss_kib = 0;     // VmRSS
  int children = 0;     // processes whose parent is the daemon
  int descendants = 0;  // every process whose ancestry leads to it
  int zombies = 0;      // among those
  bool scrape_ok = false;
  double scrape_ms = 0;
};

// One quantity of a sample, by name, and the decimals it is shown with.
struct SoakColumn {
  const char* name;
  double (*read)(const SoakSample&);
  int decimals = 0;
};

inline const std::vector<SoakColumn>& soak_columns() {
  static const std::vector<SoakColumn> columns = {
      {"fds", [](const SoakSample& s) { return double(s.fds); }},
      {"threads", [](const SoakSample& s) { return double(s.threads); }},
      {"rss_kib", [](const SoakSample& s) { return double(s.rss_kib); }},
      {"children", [](const SoakSample& s) { return double(s.children); }},
      {"descendants", [](const SoakSample& s) { return double(s.descendants); }},
      {"zombies", [](const SoakSample& s) { return double(s.zombies); }},
      {"scrape_ms", [](const SoakSample& s) { return s.scrape_ms; }, 1},
  };
  return columns;
}

inline const SoakColumn& soak_column(const std::string& name) {
  const auto& columns = soak_columns();
  return *std::find_if(columns.begin(), columns.end(), [&](const SoakColumn& c) { return c.name == name; });
}

struct Range {
  double min = 0;
  double max = 0;
};

inline Range range_of(std::span<const SoakSample> samples, const SoakColumn& column) {
  if (samples.empty()) return {};
  Range range{column.read(samples.front()), column.read(samples.front())};
  for (const auto& sample : samples) {
    range.min = std::min(range.min, column.read(sample));
    range.max = std::max(range.max, column.read(sample));
  }
  return range;
}

// The samples in three consecutive parts of (nearly) equal size.
inline std::array<std::span<const SoakSample>, 3> thirds(std::span<const SoakSample> samples) {
  const std::size_t part = samples.size() / 3;
  return {samples.subspan(0, part), samples.subspan(part, part), samples.subspan(2 * part)};
}

// A row per quantity: min/max in each third.
inline std::string thirds_table(std::span<const SoakSample> steady) {
  const auto parts = thirds(steady);
  std::string table;
  char line[200];
  std::snprintf(line, sizeof line, "%-12s %22s %22s %22s\n", "", "first third min/max", "middle third min/max",
                "last third min/max");
  table += line;
  for (const auto& column : soak_columns()) {
    std::string row;
    std::snprintf(line, sizeof line, "%-12s", column.name);
    row += line;
    for (const auto& part : parts) {
      const Range range = range_of(part, column);
      std::snprintf(line, sizeof line, " %11.*f/%-10.*f", column.decimals, range.min, column.decimals, range.max);
      row += line;
    }
    table += row + "\n";
  }
  return table;
}

inline void write_csv(const std::string& path, std::span<const SoakSample> samples) {
  std::ofstream csv(path);
  csv << "seconds,fds,threads,rss_kib,children,descendants,zombies,scrape_ok,scrape_ms\n";
  for (const auto& s : samples) {
    csv << s.seconds << ',' << s.fds << ',' << s.threads << ',' << s.rss_kib << ',' << s.children << ','
        << s.descendants << ',' << s.zombies << ',' << (s.scrape_ok ? 1 : 0) << ',' << s.scrape_ms << '\n';
  }
}

}  // namespace gleaner::testing
