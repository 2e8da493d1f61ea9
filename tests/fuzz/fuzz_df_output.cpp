// The df plugin's reader of `df -P -T` output (plugins/df/df_output.h) on
// any bytes. The reader promises (fuzz_checks.h): it returns, an error is
// short valid UTF-8 on one line, the same input reads the same twice. And
// what it read holds: a row's device and type are single words, its mount
// point is the rest of a line, its counts are non-negative; written back as
// df would print them, the rows read back the same.
// Seeds: the df fixtures.

#include <cmath>
#include <cstdio>
#include <string>

#include "tests/fuzz/fuzz_checks.h"
#include "plugins/df/df_output.h"

namespace {

using gleaner::plugins::df::DfRow;
using gleaner::plugins::df::DfTable;
using gleaner::plugins::df::parse_df_output;

DfTable read_or_die(std::string_view text) {
  try {
    return parse_df_output(text);
  } catch (const std::exception& error) {
    gleaner::fuzz::violated("parse_df_output never throws", error.what());
  }
}

bool same_count(const std::optional<double>& a, const std::optional<double>& b) {
  return a.has_value() == b.has_value() && (!a || *a == *b);
}

bool same_rows(const DfTable& a, const DfTable& b) {
  if (a.rows.size() != b.rows.size()) return false;
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    const DfRow& x = a.rows[i];
    const DfRow& y = b.rows[i];
    if (x.device != y.device || x.fstype != y.fstype || x.mountpoint != y.mountpoint || !same_count(x.total, y.total) ||
        !same_count(x.used, y.used) || !same_count(x.available, y.available)) {
      return false;
    }
  }
  return true;
}

bool is_word(const std::string& text) { return !text.empty() && text.find_first_of(" \t\n") == std::string::npos; }

// A count as df prints it, or "" when it cannot be printed exactly.
std::string count_text(const std::optional<double>& count) {
  if (!count) return "-";
  if (*count != std::floor(*count) || *count >= 9007199254740992.0) return "";
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", *count);
  return text;
}

void check_row(const DfRow& row) {
  if (!is_word(row.device)) gleaner::fuzz::violated("a device is one word", row.device);
  if (!is_word(row.fstype)) gleaner::fuzz::violated("a type is one word", row.fstype);
  if (row.mountpoint.empty() || row.mountpoint.find('\n') != std::string::npos ||
      row.mountpoint.find_first_of(" \t") == 0) {
    gleaner::fuzz::violated("a mount point is the rest of one line", row.mountpoint);
  }
  for (const auto& count : {row.total, row.used, row.available}) {
    if (count && !(*count >= 0 && std::isfinite(*count))) {
      gleaner::fuzz::violated("counts are finite and not negative", std::to_string(*count));
    }
  }
}

// The rows as df -P -T prints them; "" when a row cannot be written so that
// it reads back the same (a count with a fraction, from df -h's sizes, or a
// mount point ending in a carriage return, which a line's end drops).
std::string as_df_output(const DfTable& table) {
  std::string text = "Filesystem Type 1-blocks Used Available Capacity Mounted on\n";
  for (const auto& row : table.rows) {
    const std::string total = count_text(row.total), used = count_text(row.used), available = count_text(row.available);
    if (total.empty() || used.empty() || available.empty() || row.mountpoint.back() == '\r') return "";
    text += row.device + " " + row.fstype + " " + total + " " + used + " " + available + " 1% " + row.mountpoint + "\n";
  }
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = gleaner::fuzz::as_text(data, size);
  const DfTable table = read_or_die(text);
  const DfTable again = read_or_die(text);
  if (again.error != table.error || !same_rows(again, table)) {
    gleaner::fuzz::violated("the same output reads the same twice", table.error + " / " + again.error);
  }
  if (!table.ok()) {
    gleaner::fuzz::check_reader_error("df", table.error);
    return 0;
  }
  for (const auto& row : table.rows) check_row(row);
  const std::string written = as_df_output(table);
  if (written.empty()) return 0;
  const DfTable reread = read_or_die(written);
  if (!reread.ok() || !same_rows(reread, table)) {
    gleaner::fuzz::violated("rows written back as df prints them read back the same", reread.error + "\n" + written);
  }
  return 0;
}
