// The table parser under the option sets its fixtures are read with, picked
// by the first byte, each under on_error: skip and fail:
//   '0'  df -h / df -hP: named columns (the header is skipped), units, %
//   '1'  df -i: named columns, `-` for "no value"
//   '2'  ps aux: columns named by the header, the last one with spaces
//   '3'  vmstat: one line skipped before the header
//   '4'  free -b: named columns, a shorter Swap row, "Mem:" trimmed
//   '5'  no header at all, named columns, counters

#include <memory>

#include "tests/fuzz/round_trip.h"
#include "common/parsers/table_parser.h"

namespace {

using gleaner::metrics::MetricType;
using gleaner::parsers::TableOptions;
using gleaner::parsers::OnError;
using gleaner::parsers::TableParser;

// Each set under on_error: skip or fail, in the same order.
gleaner::fuzz::ParserSet make_parsers(OnError on_error) {
  gleaner::fuzz::ParserSet all;
  const auto add = [&](TableOptions options) {
    options.on_error = on_error;
    all.push_back(std::make_unique<TableParser>(std::move(options)));
  };
  TableOptions df;
  df.columns = {"filesystem", "size", "used", "avail", "use", "mountpoint"};
  df.labels = {"filesystem", "mountpoint"};
  df.values = {{"size", "fs_size_bytes"}, {"used", "fs_used_bytes"}, {"use", "fs_used_ratio"}};
  add(df);

  TableOptions df_inodes;
  df_inodes.columns = {"filesystem", "inodes", "iused", "ifree", "iuse", "mountpoint"};
  df_inodes.labels = {"mountpoint"};
  df_inodes.values = {{"inodes", "fs_inodes"}, {"iuse", "fs_inodes_used_ratio"}};
  add(df_inodes);

  TableOptions ps;
  ps.labels = {"PID", "USER", "COMMAND"};
  ps.values = {{"%CPU", "process_cpu_percent"}, {"RSS", "process_rss_kib"}};
  add(ps);

  TableOptions vmstat;
  vmstat.skip_lines = 1;
  vmstat.values = {{"r", "procs_running"}, {"free", "memory_free_kib"}, {"id", "cpu_idle_percent"}};
  add(vmstat);

  TableOptions free;
  free.columns = {"kind", "total", "used", "free", "shared", "buff_cache", "available"};
  free.labels = {"kind"};
  free.values = {{"total", "memory_total_bytes"}, {"available", "memory_available_bytes"}};
  free.trim_labels = ":";
  add(free);

  TableOptions headerless;
  headerless.header = false;
  headerless.columns = {"name", "value", "comment"};
  headerless.labels = {"name", "comment"};
  headerless.values = {{"value", "thing_total"}};
  headerless.type = MetricType::counter;
  add(headerless);
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const gleaner::fuzz::ParserSet skip = make_parsers(OnError::skip);
  static const gleaner::fuzz::ParserSet fail = make_parsers(OnError::fail);
  const auto picked = gleaner::fuzz::pick_option_set(data, size, skip.size());
  gleaner::fuzz::check_parse_round_trip(*skip[picked.index], picked.text);
  gleaner::fuzz::check_parse_round_trip(*fail[picked.index], picked.text);
  gleaner::fuzz::check_on_error_modes(*skip[picked.index], *fail[picked.index], picked.text);
  return 0;
}
