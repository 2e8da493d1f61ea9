#pragma once
// A round trip through the exposition, for every parser's successful parse:
// the families admitted and published as a collector's would be, rendered
// by the store as a scrape renders them, then read back by the project's
// Prometheus text parser in fail mode, must be the families the parser
// gave: same names, types, HELP texts, samples, labels and values, in the
// same order. check_families says the families are valid; this says the
// exposition says what they say (a value, a label or a HELP text that is
// written wrongly, or read wrongly, breaks it).

#include <string>

#include "tests/fuzz/fuzz_checks.h"
#include "common/metrics/admission.h"
#include "common/metrics/metric_store.h"
#include "common/parsers/prometheus_parser.h"

namespace gleaner::fuzz {

// What the families say, briefly, for a report.
inline std::string describe_families(const metrics::Families& families) {
  std::string text;
  for (const auto& family : families) {
    text += family.name + " (" + std::string(metrics::to_string(family.type)) + ", help \"" + family.help + "\"):";
    for (const auto& sample : family.samples) {
      text += " " + sample.name + "{";
      for (const auto& label : sample.labels) text += label.name + "=\"" + label.value + "\",";
      text += "}=" + std::to_string(sample.value);
    }
    text += "\n";
  }
  return text.size() > 2000 ? text.substr(0, 2000) + "…" : text;
}

// A family as the text format 0.0.4 writes it (README "Parsers": OpenMetrics'
// own types as client_python's generate_latest writes them): info x is the
// gauge x_info, a stateset a gauge, a gaugehistogram the histogram of its
// buckets, then the gauges x_gcount and x_gsum.
inline void append_as_text_format(metrics::Families& out, metrics::MetricFamily family) {
  using metrics::MetricType;
  switch (family.type) {
    case MetricType::info:
      family.name += "_info";
      family.type = MetricType::gauge;
      break;
    case MetricType::stateset: family.type = MetricType::gauge; break;
    case MetricType::gaugehistogram: {
      metrics::MetricFamily buckets{family.name, MetricType::histogram, family.help, {}};
      metrics::MetricFamily gcount{family.name + "_gcount", MetricType::gauge, family.help, {}};
      metrics::MetricFamily gsum{family.name + "_gsum", MetricType::gauge, family.help, {}};
      for (auto& sample : family.samples) {
        auto& part = sample.name == gcount.name ? gcount : sample.name == gsum.name ? gsum : buckets;
        part.samples.push_back(std::move(sample));
      }
      for (auto* part : {&buckets, &gcount, &gsum}) {
        if (!part->samples.empty()) out.push_back(std::move(*part));
      }
      return;
    }
    default: break;
  }
  out.push_back(std::move(family));
}

inline void check_round_trip(const metrics::Families& parsed) {
  const auto admission = metrics::admit(parsed, {});
  // What admission leaves out (gleaner's reserved names, the same series
  // twice, malformed samples) is fuzz_exposition's to judge; the round
  // trip is for what goes out whole.
  if (admission.dropped.total() != 0) return;
  metrics::Families expected;
  for (const auto& family : parsed) {
    if (family.samples.empty()) continue;  // a family without samples is not written
    auto written = family;
    // A family printed without HELP gets the store's, naming its collector.
    if (written.help.empty()) written.help = "Metric collected by gleaner collector \"round_trip\".";
    append_as_text_format(expected, std::move(written));
  }
  metrics::MetricStore store;
  // Names that would clash in OpenMetrics (a counter x_total beside a gauge
  // x) are left out by the store, as README says; not a round trip then.
  if (store.publish("round_trip", admission.families).conflicting != 0) return;
  std::string exposition;
  store.render({}, exposition);

  static const parsers::PrometheusParser strict(parsers::PrometheusOptions{parsers::OnError::fail});
  const auto reread = parse_or_die(strict, {exposition, 0});
  if (!reread.ok()) violated("the rendered exposition reads back in fail mode", reread.error + "\n" + exposition);
  if (!same_families(reread.families, expected)) {
    violated("parse → render → parse gives the same families",
             "parsed:\n" + describe_families(expected) + "read back:\n" + describe_families(reread.families) +
                 "exposition:\n" + exposition.substr(0, 2000));
  }
}

// check_parse's promises, and the round trip of what a successful parse gave.
inline void check_parse_round_trip(const parsers::Parser& parser, std::string_view text, int exit_code = 0) {
  check_parse(parser, text, exit_code);
  const auto output = parse_or_die(parser, {text, exit_code});
  if (output.ok()) check_round_trip(output.families);
}

}  // namespace gleaner::fuzz
