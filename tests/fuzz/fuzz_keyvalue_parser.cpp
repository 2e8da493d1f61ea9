// The key=value parser under three option sets, picked by the first byte,
// each under on_error: skip and fail:
//   '0'  no separator (the first '=' or ':'), prefix "app_": the common case
//   '1'  separator ":", prefix "meminfo_", counters: /proc/meminfo's "Key:  12 kB"
//   '2'  a two-byte separator "=>" and no prefix: keys become names as they are

#include <memory>

#include "tests/fuzz/round_trip.h"
#include "common/parsers/keyvalue_parser.h"

namespace {

using gleaner::metrics::MetricType;
using gleaner::parsers::KeyValueOptions;
using gleaner::parsers::KeyValueParser;
using gleaner::parsers::OnError;

std::vector<KeyValueOptions> option_sets() {
  return {KeyValueOptions{"app_", MetricType::gauge, ""}, KeyValueOptions{"meminfo_", MetricType::counter, ":"},
          KeyValueOptions{"", MetricType::gauge, "=>"}};
}

// Each set under on_error: skip, then under fail, in the same order.
gleaner::fuzz::ParserSet make_parsers(OnError on_error) {
  gleaner::fuzz::ParserSet all;
  for (auto options : option_sets()) {
    options.on_error = on_error;
    all.push_back(std::make_unique<KeyValueParser>(options));
  }
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
