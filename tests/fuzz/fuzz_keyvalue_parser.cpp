// The key=value parser under three option sets, picked by the first byte:
//   '0'  no separator (the first '=' or ':'), prefix "app_": the common case
//   '1'  separator ":", prefix "meminfo_", counters: /proc/meminfo's "Key:  12 kB"
//   '2'  a two-byte separator "=>" and no prefix: keys become names as they are

#include <memory>

#include "fuzz_checks.h"
#include "parsers/keyvalue_parser.h"

namespace {

using gleaner::metrics::MetricType;
using gleaner::parsers::KeyValueOptions;
using gleaner::parsers::KeyValueParser;

gleaner::fuzz::ParserSet make_parsers() {
  gleaner::fuzz::ParserSet all;
  all.push_back(std::make_unique<KeyValueParser>(KeyValueOptions{"app_", MetricType::gauge, ""}));
  all.push_back(std::make_unique<KeyValueParser>(KeyValueOptions{"meminfo_", MetricType::counter, ":"}));
  all.push_back(std::make_unique<KeyValueParser>(KeyValueOptions{"", MetricType::gauge, "=>"}));
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const gleaner::fuzz::ParserSet parsers = make_parsers();
  const auto picked = gleaner::fuzz::pick_option_set(data, size, parsers.size());
  gleaner::fuzz::check_parse(*parsers[picked.index], picked.text);
  return 0;
}
