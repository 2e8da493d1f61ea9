#pragma once
// The only state shared between collectors and scrapes: the latest complete
// set of series of every collector, replaced whole on each successful run,
// so a scrape sees either the previous run or the new one, never a mix.
//
// Series are serialised once, when published, so a scrape only stitches
// text together. Families of the same name from several collectors are
// written under one HELP/TYPE header, as the text format requires.

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sample.h"

namespace gleaner::metrics {

class MetricStore {
 public:
  // Replaces the collector's series. Every sample gets the `collector`
  // label and the constant labels.
  void publish(const std::string& collector, const Families& families, const Labels& constant_labels);
  // The collector's series disappear (a failed run, or a removed collector).
  void remove(const std::string& collector);
  // Series the collector exposes now.
  std::size_t series(const std::string& collector) const;

  // Appends the whole exposition to out: every collector's families, then
  // `own` (gleaner's self metrics, made at scrape time).
  void render(const Families& own, std::string& out) const;

 private:
  struct FamilyText {
    std::string name;
    MetricType type;
    std::string help;
    std::string samples;  // serialised lines
  };
  struct CollectorSeries {
    std::vector<FamilyText> families;
    std::size_t series = 0;
  };

  std::map<std::string, std::shared_ptr<const CollectorSeries>> collectors_;
};

}  // namespace gleaner::metrics
