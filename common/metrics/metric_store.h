#pragma once
// The only state shared between collectors and scrapes: the latest complete
// set of series of every collector, replaced whole on each successful run,
// so a scrape sees either the previous run or the new one, never a mix.
//
// It is also where collectors meet (README "What a collector may expose"):
// when two collectors print one name as families of different types (or a
// histogram `x` in one and `x_sum` in another), the one that comes first in
// the configuration keeps the name and the other's series of it are not
// exposed, counted as dropped for a conflict. Which collector shows what is
// settled again whenever one publishes or goes, so the outcome depends on
// the configuration's order alone, never on which ran first.
//
// Series are serialised once, when published (see admission.h), so a
// scrape only stitches text together. Families of one name from several
// collectors are written under one HELP/TYPE header, as the format requires.

#include <array>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/metrics/admission.h"
#include "common/metrics/openmetrics.h"
#include "common/metrics/sample.h"

namespace gleaner::metrics {

class MetricStore {
 public:
  // Collectors in the configuration's order: earlier ones keep a name when
  // two conflict. Collectors not named come after, in name order.
  void set_precedence(const std::vector<std::string>& collectors);

  struct Published {
    std::size_t conflicting = 0;  // series of this collector not exposed for a conflict
    std::string first_conflict;   // why, for the log and the status page
  };
  // Replaces the collector's series with an admitted result.
  Published publish(const std::string& collector, std::vector<AdmittedFamily> families);
  // admit() and publish() in one, for callers without drop bookkeeping.
  Published publish(const std::string& collector, const Families& families, const Labels& constant_labels);
  // The collector's series disappear (a failed run, or a removed collector).
  void remove(const std::string& collector);
  // Series the collector exposes now: conflicts lost are not counted.
  std::size_t series(const std::string& collector) const;
  // Why some of the collector's families do not show now, or "".
  std::string first_conflict(const std::string& collector) const;
  // Collectors whose series() changed in the last publish, remove or
  // set_precedence (one collector's result can hide or reveal another's).
  const std::vector<std::string>& recounted() const { return recounted_; }

  // Appends the whole exposition to out: every collector's families, then
  // `own` (gleaner's self metrics, made at scrape time, under names no
  // collector may use). In OpenMetrics, `# EOF` ends it.
  void render(const Families& own, std::string& out, TextFormat format = TextFormat::prometheus) const;

  // The same exposition in two parts, for scrapes: `stable`, every
  // collector's families, kept between scrapes until a collector publishes
  // or goes (the same pointer until then); and `rest`, gleaner's own. Each
  // format has its own stable part. `own_text`, own families written
  // already in `format`, comes first in `rest`.
  struct Parts {
    std::shared_ptr<const std::string> stable;
    std::string rest;
  };
  Parts render_parts(const Families& own, TextFormat format = TextFormat::prometheus, std::string own_text = {}) const;

 private:
  struct Family {
    AdmittedFamily admitted;
    std::vector<std::string> taken_names;
    bool shown = true;
  };
  struct CollectorSeries {
    std::size_t precedence = 0;
    std::vector<Family> families;
    std::size_t shown_series = 0;
  };
  // Who prints a family that takes a name.
  struct Claim {
    std::string collector;
    std::size_t family = 0;  // index in the collector's families
  };

  using Collectors = std::map<std::string, CollectorSeries>;

  static std::size_t shown_series_of(const CollectorSeries& series);
  static bool same_shape(const CollectorSeries& current, const std::vector<AdmittedFamily>& families);
  Published republish(Collectors::value_type& entry, std::vector<AdmittedFamily> families);
  std::size_t precedence_of(const std::string& collector) const;
  bool comes_before(const Collectors::value_type& a, std::size_t a_family, const Collectors::value_type& b,
                    std::size_t b_family) const;
  void add_claims(const std::string& collector);
  void drop_claims(const std::string& collector, std::vector<std::string>& touched);
  // Decides again whether each family that takes one of `names` is shown.
  void settle(const std::vector<std::string>& names);
  // The claims on one name that decide who shows it: the first in order,
  // and the first of another shape than the first's (none when all agree).
  struct Deciders {
    const Claim* first = nullptr;
    const Claim* other_shape = nullptr;
  };
  Deciders deciders_of(const std::vector<Claim>& claims) const;
  // The claim that hides `claim` on that name, or null when none does.
  const Claim* blocker_on(const Deciders& deciders, const Claim& claim) const;
  const AdmittedFamily& admitted_of(const Claim& claim) const;
  // Why a family does not show, or "" when it does.
  std::string blocked_by(const Collectors::value_type& owner, std::size_t family) const;
  void render_collectors(std::string& out, TextFormat format) const;
  static void render_own(const Families& own, std::string& out, TextFormat format);
  void forget_rendered() { stable_ = {}; }

  std::unordered_map<std::string, std::size_t> precedence_;
  Collectors collectors_;
  std::unordered_map<std::string, std::vector<Claim>> claims_;  // by name taken
  std::vector<std::string> recounted_;
  // By format, built on the first scrape in that format after a change.
  mutable std::array<std::shared_ptr<const std::string>, 2> stable_;
};

}  // namespace gleaner::metrics
