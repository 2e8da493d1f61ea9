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
#include <optional>
#include <string>
#include <unordered_set>
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

  // The same exposition in two parts, for scrapes: `stable`, every
  // collector's families, kept between scrapes until a collector publishes
  // or goes (the same pointer until then); and `rest`, gleaner's own. When
  // an own family shares a name with a collector's, the two must share one
  // header: then stable is null and rest holds everything.
  struct Parts {
    std::shared_ptr<const std::string> stable;
    std::string rest;
  };
  Parts render_parts(const Families& own) const;

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

  struct Stable {
    std::shared_ptr<const std::string> text;
    std::unordered_set<std::string> family_names;
  };

  std::map<std::string, std::shared_ptr<const CollectorSeries>> collectors_;
  mutable std::optional<Stable> stable_;  // built on the first scrape after a change
};

}  // namespace gleaner::metrics
