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
  std::string fstype;  // only from df_typed_reference (df -T)
  double size = 0;
  double used = 0;
  double available = 0;
};

// df's POSIX output read into lines; `typed` when it was run with -T (a
// Type column after the device).
inline std::vector<DfLine> read_df_lines(const std::string& text, bool typed) {
  std::vector<DfLine> lines;
  std::istringstream rows(text);
  std::string row;
  std::getline(rows, row);  // header
  while (std::getline(rows, row)) {
    std::istringstream fields(row);
    std::string device, capacity;
    DfLine line;
    fields >> device;
    if (typed) fields >> line.fstype;
    fields >> line.size >> line.used >> line.available >> capacity;
    std::getline(fields, line.mountpoint);
    line.mountpoint.erase(0, line.mountpoint.find_first_not_of(' '));
    lines.push_back(line);
  }
  return lines;
}

// `df -P -B1 <args>`, one entry per filesystem (mount points may hold spaces).
inline std::vector<DfLine> df_reference(const std::string& args = "") {
  return read_df_lines(shell_output("LC_ALL=C df -P -B1 " + args + " 2>/dev/null"), false);
}

// `df -P -T -B1 <args>`, the command the df plugin runs, with each
// filesystem's type.
inline std::vector<DfLine> df_typed_reference(const std::string& args = "") {
  return read_df_lines(shell_output("LC_ALL=C df -P -T -B1 " + args + " 2>/dev/null"), true);
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
