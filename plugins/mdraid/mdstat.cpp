#include "plugins/mdraid/mdstat.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "common/metrics/names.h"
#include "common/parsers/parse_error.h"

namespace gleaner::plugins::mdraid {
namespace {

struct Line {
  std::size_t number;
  std::string_view text;
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t number = 0;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(Line{++number, line});
  }
  return lines;
}

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  while (true) {
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos) return out;
    line.remove_prefix(start);
    const auto end = line.find_first_of(" \t");
    out.push_back(line.substr(0, end));
    line.remove_prefix(end == std::string_view::npos ? line.size() : end);
  }
}

bool to_int(std::string_view text, std::int64_t& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

std::int64_t count(std::string_view text, std::string_view what) {
  std::int64_t n = 0;
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// A device name as messages show it: as it is when it is short and plain
// ("md127"), else quoted short, since the file may hold anything.
std::string shown(std::string_view device) {
  const bool plain = device.size() <= 32 && std::all_of(device.begin(), device.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  return plain ? std::string(device) : parsers::quote(device);
}

bool blank(std::string_view line) { return line.find_first_not_of(" \t") == std::string_view::npos; }

// Reads the indented lines of one array (status first) into array; an
// error message, or "".
std::string read_body(std::string_view header, const std::vector<std::string_view>& body, MdArray& array) {
  static const RE2 status_re(R"((\d+) blocks .*\[(\d+)/(\d+)\] \[([U_]+)\])");
  static const RE2 progress_re(R"(\((\d+)/\d+\))");
  if (body.empty()) return "no status line after " + parsers::quote(header);
  const auto status = fields(body.front());
  if (status.empty() || !to_int(status.front(), array.blocks)) {
    return "expected a block count in " + parsers::quote(body.front());
  }
  if (header.find("raid0") != std::string_view::npos || header.find("linear") != std::string_view::npos) {
    // No redundancy, no [n/m]: every member listed is needed and active.
    array.disks_total = array.disks_active = count(header, "[");
  } else if (header.find("inactive") == std::string_view::npos) {
    std::string total, active;
    if (!RE2::PartialMatch(body.front(), status_re, nullptr, &total, &active) ||
        !to_int(total, array.disks_total) || !to_int(active, array.disks_active)) {
      return "expected \"[n/m] [U_]\" in " + parsers::quote(body.front());
    }
  }
  array.blocks_synced = array.blocks;
  // The sync line follows the status, or the bitmap line after it.
  std::size_t sync = 1;
  if (sync < body.size() && body[sync].find("bitmap") != std::string_view::npos) ++sync;
  if (sync >= body.size()) return {};
  const auto line = body[sync];
  const auto has = [&](std::string_view word) { return line.find(word) != std::string_view::npos; };
  if (has("recovery")) {
    array.state = "recovering";
  } else if (has("reshape")) {
    array.state = "reshaping";
  } else if (has("check")) {
    array.state = "checking";
  } else if (has("resync")) {
    array.state = "resyncing";
  } else {
    return {};
  }
  if (has("PENDING") || has("DELAYED")) {
    array.blocks_synced = 0;
    return {};
  }
  std::string synced;
  if (!RE2::PartialMatch(line, progress_re, &synced) || !to_int(synced, array.blocks_synced)) {
    return "expected \"(done/total)\" in " + parsers::quote(line);
  }
  return {};
}

}  // namespace

MdStat parse_mdstat(std::string_view text) {
  MdStat mdstat;
  const auto lines = split_lines(text);
  std::map<std::string, std::size_t> first_lines;  // device (as labelled) → its header's line
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto line = lines[i].text;
    if (blank(line) || line.front() == ' ' || line.front() == '\t' || line.starts_with("Personalities") ||
        line.starts_with("unused")) {
      continue;
    }
    const auto header = fields(line);
    if (header.size() < 3 || header[1] != ":") {
      mdstat.error = parsers::at_line(lines[i].number, "not an array: " + parsers::quote(line));
      return mdstat;
    }
    MdArray array;
    array.device = std::string(header[0]);
    // The kernel lists each array once; a file naming one twice (or two
    // whose names read alike once made valid UTF-8, as labels are) is not
    // mdstat, and would give duplicate series.
    const auto [first, unseen] = first_lines.emplace(metrics::sanitize_utf8(array.device), lines[i].number);
    if (!unseen) {
      mdstat.error = parsers::at_line(lines[i].number, shown(array.device) + ": listed a second time (first at line " +
                                                           std::to_string(first->second) + ")");
      return mdstat;
    }
    array.state = std::string(header[2]);
    array.disks_failed = count(line, "(F)");
    array.disks_spare = count(line, "(S)");
    std::vector<std::string_view> body;
    for (std::size_t j = i + 1; j < lines.size() && !blank(lines[j].text) &&
                                (lines[j].text.front() == ' ' || lines[j].text.front() == '\t');
         ++j) {
      body.push_back(lines[j].text);
    }
    if (auto error = read_body(line, body, array); !error.empty()) {
      mdstat.error = parsers::at_line(lines[i].number, shown(array.device) + ": " + error);
      return mdstat;
    }
    i += body.size();
    mdstat.arrays.push_back(std::move(array));
  }
  return mdstat;
}

}  // namespace gleaner::plugins::mdraid
