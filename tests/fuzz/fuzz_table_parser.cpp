// The table parser under the option sets its fixtures are read with, picked
// by the first byte:
//   '0'  df -h / df -hP: named columns (the header is skipped), units, %
//   '1'  df -i: named columns, `-` for "no value"
//   '2'  ps aux: columns named by the header, the last one with spaces
//   '3'  vmstat: one line skipped before the header
//   '4'  free -b: fewer named columns than the widest row
//   '5'  no header at all, named columns, counters

#include <memory>

#include "fuzz_checks.h"
#include "parsers/table_parser.h"

namespace {

using gleaner::metrics::MetricType;
using gleaner::parsers::TableOptions;
using gleaner::parsers::TableParser;

gleaner::fuzz::ParserSet make_parsers() {
  gleaner::fuzz::ParserSet all;
  TableOptions df;
  df.columns = {"filesystem", "size", "used", "avail", "use", "mountpoint"};
  df.labels = {"filesystem", "mountpoint"};
  df.values = {{"size", "fs_size_bytes"}, {"used", "fs_used_bytes"}, {"use", "fs_used_ratio"}};
  all.push_back(std::make_unique<TableParser>(df));

  TableOptions df_inodes;
  df_inodes.columns = {"filesystem", "inodes", "iused", "ifree", "iuse", "mountpoint"};
  df_inodes.labels = {"mountpoint"};
  df_inodes.values = {{"inodes", "fs_inodes"}, {"iuse", "fs_inodes_used_ratio"}};
  all.push_back(std::make_unique<TableParser>(df_inodes));

  TableOptions ps;
  ps.labels = {"PID", "USER", "COMMAND"};
  ps.values = {{"%CPU", "process_cpu_percent"}, {"RSS", "process_rss_kib"}};
  all.push_back(std::make_unique<TableParser>(ps));

  TableOptions vmstat;
  vmstat.skip_lines = 1;
  vmstat.values = {{"r", "procs_running"}, {"free", "memory_free_kib"}, {"id", "cpu_idle_percent"}};
  all.push_back(std::make_unique<TableParser>(vmstat));

  TableOptions free;
  free.columns = {"kind", "total", "used", "rest"};
  free.labels = {"kind"};
  free.values = {{"total", "memory_total_bytes"}, {"used", "memory_used_bytes"}};
  all.push_back(std::make_unique<TableParser>(free));

  TableOptions headerless;
  headerless.header = false;
  headerless.columns = {"name", "value", "comment"};
  headerless.labels = {"name", "comment"};
  headerless.values = {{"value", "thing_total"}};
  headerless.type = MetricType::counter;
  all.push_back(std::make_unique<TableParser>(headerless));
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const gleaner::fuzz::ParserSet parsers = make_parsers();
  const auto picked = gleaner::fuzz::pick_option_set(data, size, parsers.size());
  gleaner::fuzz::check_parse(*parsers[picked.index], picked.text);
  return 0;
}
