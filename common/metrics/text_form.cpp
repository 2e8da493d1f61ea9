#include "common/metrics/text_form.h"

#include "common/metrics/exposition.h"

namespace gleaner::metrics {
namespace {

// The name of a sample line: up to `{` or the space.
std::string_view line_name(std::string_view line) { return line.substr(0, line.find_first_of("{ ")); }

// Calls f(line) for each line of text, its newline included.
template <typename F>
void for_each_line(std::string_view text, F f) {
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view line = text.substr(0, end == std::string_view::npos ? text.size() : end + 1);
    text.remove_prefix(line.size());
    f(line);
  }
}

}  // namespace

std::string text_family_name(std::string_view name, MetricType type) {
  return type == MetricType::info ? std::string(name).append("_info") : std::string(name);
}

MetricType text_type(MetricType type) {
  switch (type) {
    case MetricType::info:
    case MetricType::stateset: return MetricType::gauge;
    case MetricType::gaugehistogram: return MetricType::histogram;
    default: return type;
  }
}

void append_text_group(std::string& out, std::string_view name, MetricType type, std::string_view help,
                       const std::vector<const std::string*>& parts) {
  out += family_header(text_family_name(name, type), text_type(type), help);
  if (type != MetricType::gaugehistogram) {
    for (const auto* part : parts) out += *part;
    return;
  }
  // Buckets under the histogram; then _gcount's and _gsum's lines, each a
  // gauge, in that order as the Python client sorts them.
  const std::string gcount = std::string(name) + "_gcount";
  const std::string gsum = std::string(name) + "_gsum";
  std::string gcount_lines, gsum_lines;
  for (const auto* part : parts) {
    for_each_line(*part, [&](std::string_view line) {
      const auto sample = line_name(line);
      if (sample == gcount) {
        gcount_lines += line;
      } else if (sample == gsum) {
        gsum_lines += line;
      } else {
        out += line;
      }
    });
  }
  for (const auto& [gauge, lines] : {std::pair<const std::string&, const std::string&>{gcount, gcount_lines},
                                     std::pair<const std::string&, const std::string&>{gsum, gsum_lines}}) {
    if (lines.empty()) continue;
    out += family_header(gauge, MetricType::gauge, help);
    out += lines;
  }
}

}  // namespace gleaner::metrics
