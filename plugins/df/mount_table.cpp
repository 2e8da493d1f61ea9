#include "plugins/df/mount_table.h"

namespace gleaner::plugins::df {
namespace {

bool is_octal(char c) { return c >= '0' && c <= '7'; }

// The kernel's escape (mangle) of a mount table field undone: \NNN octal.
std::string unescape_field(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && is_octal(field[i + 1]) && is_octal(field[i + 2]) &&
        is_octal(field[i + 3])) {
      out += static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0'));
      i += 3;
    } else {
      out += field[i];
    }
  }
  return out;
}

// Cuts the next space- or tab-separated field off the front of line.
std::string_view next_field(std::string_view& line) {
  std::size_t start = 0;
  while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
  std::size_t end = start;
  while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
  const auto field = line.substr(start, end - start);
  line.remove_prefix(end);
  return field;
}

bool has_option(std::string_view options, std::string_view wanted) {
  while (!options.empty()) {
    const auto comma = options.find(',');
    if (options.substr(0, comma) == wanted) return true;
    if (comma == std::string_view::npos) break;
    options.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::map<MountKey, bool> parse_mount_table(std::string_view text) {
  std::map<MountKey, bool> read_only;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    const auto device = next_field(line);
    const auto mountpoint = next_field(line);
    const auto fstype = next_field(line);
    const auto options = next_field(line);
    if (options.empty()) continue;
    read_only.emplace(MountKey{unescape_field(device), unescape_field(fstype), unescape_field(mountpoint)},
                      has_option(options, "ro"));
  }
  return read_only;
}

}  // namespace gleaner::plugins::df
