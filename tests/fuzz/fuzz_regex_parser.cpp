// The regex parser under option sets picked by the first byte:
//   '0'  /proc/meminfo: (?m) anchors, one label, one value
//   '1'  uptime: three values from one match, no labels
//   '2'  key=value with an optional unit group: an unmatched label group
//   '3'  vmstat (the stream example of etc/gleaner.yaml): many groups
//   '4'  groups that may match empty text: empty matches must be skipped
//   '5'  \C, which matches any byte: labels from invalid UTF-8

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tests/fuzz/round_trip.h"
#include "common/parsers/regex_parser.h"

namespace {

using gleaner::metrics::MetricType;
using gleaner::parsers::RegexOptions;
using gleaner::parsers::RegexParser;

void add(gleaner::fuzz::ParserSet& all, std::string pattern, std::vector<std::string> labels,
         std::vector<std::pair<std::string, std::string>> values, MetricType type = MetricType::gauge) {
  all.push_back(
      std::make_unique<RegexParser>(RegexOptions{std::move(pattern), std::move(labels), std::move(values), type}));
}

gleaner::fuzz::ParserSet make_parsers() {
  gleaner::fuzz::ParserSet all;
  add(all, R"((?m)^(?P<field>[\w()]+):\s+(?P<kib>\d+) kB$)", {"field"}, {{"kib", "meminfo_kib"}});
  add(all, R"(load average: (?P<one>[\d.]+), (?P<five>[\d.]+), (?P<fifteen>[\d.]+))", {},
      {{"one", "load1"}, {"five", "load5"}, {"fifteen", "load15"}});
  add(all, R"((?m)^(?P<k>[^=\n]*)=(?P<v>[^\s]*)(?: (?P<u>\w+))?)", {"k", "u"}, {{"v", "m_total"}}, MetricType::counter);
  add(all,
      R"(^\s*(?P<r>\d+)\s+(?P<b>\d+)\s+\d+\s+(?P<free>\d+)\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+(?P<cs>\d+))",
      {},
      {{"r", "vmstat_procs_runnable"},
       {"b", "vmstat_procs_blocked"},
       {"free", "vmstat_free_kibibytes"},
       {"cs", "vmstat_context_switches_per_second"}});
  add(all, R"((?P<v>\d*)(?P<unit>[a-z]*))", {"unit"}, {{"v", "m"}});
  add(all, R"((?s)(?P<k>\C{1,8})=(?P<v>\S+))", {"k"}, {{"v", "m"}});
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const gleaner::fuzz::ParserSet parsers = make_parsers();
  const auto picked = gleaner::fuzz::pick_option_set(data, size, parsers.size());
  gleaner::fuzz::check_parse_round_trip(*parsers[picked.index], picked.text);
  return 0;
}
