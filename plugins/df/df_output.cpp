#include "plugins/df/df_output.h"

#include <charconv>
#include <cstdint>

#include "common/parsers/parse_error.h"
#include "common/units/units.h"

namespace gleaner::plugins::df {
namespace {

constexpr std::size_t kFixedFields = 6;  // device type total used available capacity

bool is_space(char c) { return c == ' ' || c == '\t'; }

// Cuts the next whitespace-separated field off the front of line.
std::string_view next_field(std::string_view& line) {
  std::size_t start = 0;
  while (start < line.size() && is_space(line[start])) ++start;
  std::size_t end = start;
  while (end < line.size() && !is_space(line[end])) ++end;
  const auto field = line.substr(start, end - start);
  line.remove_prefix(end);
  return field;
}

std::optional<std::optional<double>> parse_count(std::string_view field) {
  if (field == "-") return std::optional<double>{};
  std::uint64_t count = 0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), count);
  if (error == std::errc() && end == field.data() + field.size()) return std::optional<double>{count};
  const auto quantity = units::parse_quantity(field);
  if (!quantity || *quantity < 0 || field.back() == '%') return std::nullopt;
  return std::optional<double>{*quantity};
}

std::string where(std::size_t line_number) { return "line " + std::to_string(line_number) + ": "; }

}  // namespace

DfTable parse_df_output(std::string_view text) {
  DfTable table;
  std::size_t line_number = 0;
  bool header_seen = false;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;

    if (!header_seen) {
      std::string_view rest = line;
      if (next_field(rest) != "Filesystem" || next_field(rest) != "Type") {
        table.error = where(line_number) + "not df -P -T output: the header is " + parsers::quote(line);
        return table;
      }
      header_seen = true;
      continue;
    }

    std::string_view rest = line;
    std::string_view fields[kFixedFields];
    for (auto& field : fields) field = next_field(rest);
    // The mount point is the rest of the line after one separating space.
    std::size_t skip = 0;
    while (skip < rest.size() && is_space(rest[skip])) ++skip;
    const std::string_view mountpoint = rest.substr(skip);
    if (fields[kFixedFields - 1].empty() || mountpoint.empty()) {
      table.error = where(line_number) + "expected 7 columns in " + parsers::quote(line);
      return table;
    }
    const auto total = parse_count(fields[2]);
    const auto used = parse_count(fields[3]);
    const auto available = parse_count(fields[4]);
    if (!total || !used || !available) {
      table.error = where(line_number) + "expected counts in columns 3 to 5 of " + parsers::quote(line);
      return table;
    }
    table.rows.push_back(DfRow{std::string(fields[0]), std::string(fields[1]), std::string(mountpoint),
                               *total, *used, *available});
  }
  if (!header_seen) table.error = "no output from df";
  return table;
}

}  // namespace gleaner::plugins::df
