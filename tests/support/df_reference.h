#pragma once
// What df itself reports, for comparing gleaner's df series against. Test
// machines differ: a container may show only /dev, so tests ask df which
// filesystems there are rather than assuming "/".

#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/shell_output.h"

namespace gleaner::testing {

struct DfLine {
  std::string mountpoint;
  double size = 0;
  double used = 0;
  double available = 0;
};

// `df -P -B1 <args>`, one entry per filesystem (mount points may hold spaces).
inline std::vector<DfLine> df_reference(const std::string& args = "") {
  const std::string text = shell_output("LC_ALL=C df -P -B1 " + args + " 2>/dev/null");
  std::vector<DfLine> lines;
  std::istringstream rows(text);
  std::string row;
  std::getline(rows, row);  // header
  while (std::getline(rows, row)) {
    std::istringstream fields(row);
    std::string device, capacity;
    DfLine line;
    fields >> device >> line.size >> line.used >> line.available >> capacity;
    std::getline(fields, line.mountpoint);
    line.mountpoint.erase(0, line.mountpoint.find_first_not_of(' '));
    lines.push_back(line);
  }
  return lines;
}

// "/" when df reports it, else the first filesystem it reports.
inline std::optional<DfLine> df_root_or_first(const std::string& args = "") {
  const auto lines = df_reference(args);
  for (const auto& line : lines) {
    if (line.mountpoint == "/") return line;
  }
  if (lines.empty()) return std::nullopt;
  return lines.front();
}

}  // namespace gleaner::testing
