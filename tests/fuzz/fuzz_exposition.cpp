// The joined exposition, whatever the collectors print: the input is cut at
// 0x1E bytes into the outputs of up to four collectors (the first byte
// picks their configured labels), each is read by the prometheus parser in
// skip mode, admitted and published in turn, one collector is removed and
// published again, and the store's whole exposition must then
//  - read back whole with the parser in fail mode (nothing malformed, no
//    series twice, no label name twice: check_families);
//  - have one TYPE line and one HELP line per family;
//  - hold exactly the series the store says each collector exposes.
// A round trip through gleaner's own strict reader, not a check of the
// families handed in.

#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "tests/fuzz/fuzz_checks.h"
#include "common/metrics/admission.h"
#include "common/metrics/metric_store.h"
#include "common/parsers/prometheus_parser.h"

namespace {

using namespace gleaner;

std::vector<std::string_view> split_outputs(std::string_view text) {
  std::vector<std::string_view> outputs;
  while (outputs.size() < 3) {
    const auto cut = text.find('\x1e');
    if (cut == std::string_view::npos) break;
    outputs.push_back(text.substr(0, cut));
    text.remove_prefix(cut + 1);
  }
  outputs.push_back(text);
  return outputs;
}

// Configured labels chosen to collide with what commands like to print.
metrics::Labels configured(unsigned char pick) {
  switch (pick % 4) {
    case 1: return {{"team", "infra"}};
    case 2: return {{"team", "infra"}, {"exported_team", "x"}};
    case 3: return {{"le", "1"}, {"quantile", "0.5"}};
    default: return {};
  }
}

void check_header_lines(const std::string& text) {
  std::map<std::string, int> types, helps;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string hash, kind, name;
    words >> hash >> kind >> name;
    if (hash != "#") continue;
    if (kind == "TYPE" && ++types[name] > 1) fuzz::violated("one TYPE line per family", name);
    if (kind == "HELP" && ++helps[name] > 1) fuzz::violated("one HELP line per family", name);
  }
  for (const auto& [name, count] : types) {
    if (helps.count(name) == 0) fuzz::violated("every family has a HELP", name);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const parsers::PrometheusParser lenient({parsers::OnError::skip});
  const parsers::PrometheusParser strict({parsers::OnError::fail});
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto outputs = split_outputs(text);

  metrics::MetricStore store;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < outputs.size(); ++i) names.push_back("c" + std::to_string(i));
  store.set_precedence(names);
  const auto publish = [&](std::size_t i) {
    const auto parsed = lenient.parse({outputs[i], 0});
    metrics::Labels added{{"collector", names[i]}};
    const auto extra = configured(data[0]);
    added.insert(added.end(), extra.begin(), extra.end());
    store.publish(names[i], metrics::admit(parsed.families, added).families);
  };
  for (std::size_t i = 0; i < outputs.size(); ++i) publish(i);
  store.remove(names.front());
  publish(0);

  std::string exposition;
  store.render({}, exposition);
  const auto reread = strict.parse({exposition, 0});
  if (!reread.ok()) fuzz::violated("the exposition reads back in fail mode", reread.error);
  if (auto problem = metrics::check_families(reread.families); !problem.empty()) {
    fuzz::violated("the exposition reads back as valid families", problem);
  }
  check_header_lines(exposition);
  std::size_t exposed = 0, reread_series = 0;
  for (const auto& name : names) exposed += store.series(name);
  for (const auto& family : reread.families) reread_series += family.samples.size();
  if (exposed != reread_series) {
    fuzz::violated("series() counts what the exposition holds",
                   std::to_string(exposed) + " counted, " + std::to_string(reread_series) + " read back");
  }
  return 0;
}
