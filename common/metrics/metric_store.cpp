#include "common/metrics/metric_store.h"

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>

#include "common/metrics/exposition.h"
#include "common/metrics/sample_text.h"
#include "common/metrics/text_form.h"

namespace gleaner::metrics {

void MetricStore::set_precedence(const std::vector<std::string>& collectors) {
  recounted_.clear();
  std::unordered_map<std::string, std::size_t> precedence;
  for (std::size_t i = 0; i < collectors.size(); ++i) precedence.emplace(collectors[i], i);
  if (precedence == precedence_) return;
  precedence_ = std::move(precedence);
  for (auto& [name, series] : collectors_) series.precedence = precedence_of(name);
  std::vector<std::string> every_name;
  every_name.reserve(claims_.size());
  for (const auto& [name, claims] : claims_) every_name.push_back(name);
  settle(every_name);
  forget_rendered();
}

std::size_t MetricStore::precedence_of(const std::string& collector) const {
  const auto it = precedence_.find(collector);
  return it == precedence_.end() ? std::numeric_limits<std::size_t>::max() : it->second;
}

bool MetricStore::comes_before(const Collectors::value_type& a, std::size_t a_family, const Collectors::value_type& b,
                               std::size_t b_family) const {
  return std::tie(a.second.precedence, a.first, a_family) < std::tie(b.second.precedence, b.first, b_family);
}

MetricStore::Published MetricStore::publish(const std::string& collector, const Families& families,
                                            const Labels& constant_labels) {
  Labels added{Label{"collector", collector}};
  added.insert(added.end(), constant_labels.begin(), constant_labels.end());
  return publish(collector, admit(families, added).families);
}

MetricStore::Published MetricStore::publish(const std::string& collector, std::vector<AdmittedFamily> families) {
  recounted_.clear();
  if (const auto it = collectors_.find(collector); it != collectors_.end() && same_shape(it->second, families)) {
    return republish(*it, std::move(families));
  }
  std::vector<std::string> touched;
  drop_claims(collector, touched);
  auto& series = collectors_[collector];
  series.precedence = precedence_of(collector);
  series.families.clear();
  series.families.reserve(families.size());
  for (auto& family : families) {
    auto taken = names_taken_by(family.name, family.type);
    series.families.push_back(Family{std::move(family), std::move(taken), true});
  }
  add_claims(collector);
  for (const auto& family : series.families) touched.insert(touched.end(), family.taken_names.begin(), family.taken_names.end());
  settle(touched);
  forget_rendered();

  Published published;
  auto& entry = *collectors_.find(collector);
  entry.second.shown_series = shown_series_of(entry.second);
  for (std::size_t i = 0; i < entry.second.families.size(); ++i) {
    const auto& family = entry.second.families[i];
    if (family.shown) continue;
    if (published.conflicting == 0) published.first_conflict = blocked_by(entry, i);
    published.conflicting += family.admitted.series;
  }
  return published;
}

// The same families (names and types, in the same order) as the
// collector's last result: what it may show cannot have changed, for it or
// for anyone else. The usual case, a command printing the same series with
// new values, so it costs the new text alone.
bool MetricStore::same_shape(const CollectorSeries& current, const std::vector<AdmittedFamily>& families) {
  if (current.families.size() != families.size()) return false;
  for (std::size_t i = 0; i < families.size(); ++i) {
    const auto& before = current.families[i].admitted;
    if (before.name != families[i].name || before.type != families[i].type) return false;
  }
  return true;
}

MetricStore::Published MetricStore::republish(Collectors::value_type& entry, std::vector<AdmittedFamily> families) {
  auto& series = entry.second;
  const auto before = series.shown_series;
  series.shown_series = 0;
  Published published;
  for (std::size_t i = 0; i < families.size(); ++i) {
    auto& family = series.families[i];
    family.admitted = std::move(families[i]);
    if (family.shown) {
      series.shown_series += family.admitted.series;
    } else {
      if (published.conflicting == 0) published.first_conflict = blocked_by(entry, i);
      published.conflicting += family.admitted.series;
    }
  }
  if (series.shown_series != before) recounted_.push_back(entry.first);
  forget_rendered();
  return published;
}

void MetricStore::remove(const std::string& collector) {
  recounted_.clear();
  if (collectors_.count(collector) == 0) return;
  std::vector<std::string> touched;
  drop_claims(collector, touched);
  collectors_.erase(collector);
  settle(touched);
  forget_rendered();
}

std::size_t MetricStore::series(const std::string& collector) const {
  const auto it = collectors_.find(collector);
  return it == collectors_.end() ? 0 : it->second.shown_series;
}

std::string MetricStore::first_conflict(const std::string& collector) const {
  const auto it = collectors_.find(collector);
  if (it == collectors_.end()) return "";
  for (std::size_t i = 0; i < it->second.families.size(); ++i) {
    if (!it->second.families[i].shown) return blocked_by(*it, i);
  }
  return "";
}

void MetricStore::add_claims(const std::string& collector) {
  const auto& families = collectors_.at(collector).families;
  for (std::size_t i = 0; i < families.size(); ++i) {
    for (const auto& name : families[i].taken_names) claims_[name].push_back(Claim{collector, i});
  }
}

void MetricStore::drop_claims(const std::string& collector, std::vector<std::string>& touched) {
  const auto it = collectors_.find(collector);
  if (it == collectors_.end()) return;
  for (const auto& family : it->second.families) {
    for (const auto& name : family.taken_names) {
      const auto claims = claims_.find(name);
      if (claims == claims_.end()) continue;
      std::erase_if(claims->second, [&](const Claim& claim) { return claim.collector == collector; });
      if (claims->second.empty()) claims_.erase(claims);
      touched.push_back(name);
    }
  }
}

// The message names the claim that hides the family, the one settle()
// decided by, so the two cannot disagree.
std::string MetricStore::blocked_by(const Collectors::value_type& owner, std::size_t index) const {
  const auto& family = owner.second.families[index];
  const Claim self{owner.first, index};
  for (const auto& name : family.taken_names) {
    const Claim* blocker = blocker_on(deciders_of(claims_.at(name)), self);
    if (blocker == nullptr) continue;
    const auto& earlier = admitted_of(*blocker);
    const std::string where = blocker->collector == owner.first
                                  ? "earlier in its own output"
                                  : "in collector \"" + blocker->collector + "\", earlier in the configuration";
    return "family \"" + family.admitted.name + "\" (" + std::string(to_string(family.admitted.type)) +
           ") clashes with " + std::string(to_string(earlier.type)) + " \"" + earlier.name + "\" " + where;
  }
  return "";
}

std::size_t MetricStore::shown_series_of(const CollectorSeries& series) {
  std::size_t count = 0;
  for (const auto& family : series.families) count += family.shown ? family.admitted.series : 0;
  return count;
}

// Whether a family shows depends, for each name it takes, on the claims
// before it: any earlier claim of another shape (name and type) hides it.
// So per name two claims decide for everyone: the first, and the first of
// a shape other than the first's. Finding them is one pass over the name's
// claims, where asking blocked_by() for every claimant would compare each
// with all the others: 1,000 collectors printing one family would cost a
// million comparisons on every change.
MetricStore::Deciders MetricStore::deciders_of(const std::vector<Claim>& claims) const {
  Deciders deciders;
  const auto before = [&](const Claim& a, const Claim& b) {
    return comes_before(*collectors_.find(a.collector), a.family, *collectors_.find(b.collector), b.family);
  };
  for (const auto& claim : claims) {
    if (!deciders.first || before(claim, *deciders.first)) deciders.first = &claim;
  }
  if (!deciders.first) return deciders;
  const auto& first = admitted_of(*deciders.first);
  for (const auto& claim : claims) {
    const auto& admitted = admitted_of(claim);
    if (admitted.name == first.name && admitted.type == first.type) continue;
    if (!deciders.other_shape || before(claim, *deciders.other_shape)) deciders.other_shape = &claim;
  }
  return deciders;
}

const AdmittedFamily& MetricStore::admitted_of(const Claim& claim) const {
  return collectors_.find(claim.collector)->second.families[claim.family].admitted;
}

const MetricStore::Claim* MetricStore::blocker_on(const Deciders& deciders, const Claim& claim) const {
  const auto& own = admitted_of(claim);
  const auto& first = admitted_of(*deciders.first);
  if (own.name != first.name || own.type != first.type) return deciders.first;  // the first is of another shape
  if (!deciders.other_shape) return nullptr;
  const auto& other = *deciders.other_shape;
  const bool earlier =
      comes_before(*collectors_.find(other.collector), other.family, *collectors_.find(claim.collector), claim.family);
  return earlier ? deciders.other_shape : nullptr;
}

void MetricStore::settle(const std::vector<std::string>& names) {
  std::unordered_map<std::string_view, Deciders> deciders;
  const auto deciders_for = [&](const std::string& name) -> const Deciders& {
    auto [it, inserted] = deciders.try_emplace(name);
    if (inserted) it->second = deciders_of(claims_.at(name));
    return it->second;
  };
  std::set<std::pair<std::string, std::size_t>> families;
  for (const auto& name : names) {
    const auto claims = claims_.find(name);
    if (claims == claims_.end()) continue;
    for (const auto& claim : claims->second) families.emplace(claim.collector, claim.family);
  }
  std::set<std::string> affected;
  for (const auto& [collector, index] : families) {
    auto& family = collectors_.find(collector)->second.families[index];
    const Claim self{collector, index};
    family.shown = std::none_of(family.taken_names.begin(), family.taken_names.end(),
                                [&](const std::string& name) { return blocker_on(deciders_for(name), self) != nullptr; });
    affected.insert(collector);
  }
  for (const auto& collector : affected) {
    auto& series = collectors_.at(collector);
    const auto before = series.shown_series;
    series.shown_series = shown_series_of(series);
    if (series.shown_series != before) recounted_.push_back(collector);
  }
}

void MetricStore::render_collectors(std::string& out, TextFormat format) const {
  std::vector<const Collectors::value_type*> ordered;
  ordered.reserve(collectors_.size());
  for (const auto& entry : collectors_) ordered.push_back(&entry);
  std::sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return std::tie(a->second.precedence, a->first) < std::tie(b->second.precedence, b->first);
  });

  struct Group {
    const AdmittedFamily* first;
    std::string_view help;
    const std::string* first_collector;
    std::vector<const AdmittedFamily*> parts;
  };
  std::vector<Group> groups;
  std::unordered_map<std::string_view, std::size_t> by_name;
  std::size_t total_size = 0;
  for (const auto* entry : ordered) {
    for (const auto& family : entry->second.families) {
      if (!family.shown) continue;
      const auto& admitted = family.admitted;
      auto [it, inserted] = by_name.try_emplace(admitted.name, groups.size());
      if (inserted) groups.push_back(Group{&admitted, admitted.help, &entry->first, {}});
      auto& group = groups[it->second];
      if (group.help.empty()) group.help = admitted.help;
      group.parts.push_back(&admitted);
      total_size += admitted.text.size();
    }
  }
  out.reserve(out.size() + total_size + groups.size() * 128);
  std::vector<OpenMetricsPart> openmetrics_parts;
  std::vector<const std::string*> text_parts;
  for (const auto& group : groups) {
    // Every family gets a HELP: where no command gave one, it names the
    // collector that printed the family.
    const std::string fallback =
        group.help.empty() ? "Metric collected by gleaner collector \"" + *group.first_collector + "\"." : "";
    const std::string_view help = group.help.empty() ? fallback : group.help;
    if (format == TextFormat::openmetrics) {
      openmetrics_parts.clear();
      for (const auto* part : group.parts) {
        openmetrics_parts.push_back(OpenMetricsPart{part->openmetrics, &part->text, &part->openmetrics_text});
      }
      append_openmetrics_group(out, group.first->name, group.first->type, help, openmetrics_parts,
                               group.first->unit);
      continue;
    }
    text_parts.clear();
    for (const auto* part : group.parts) text_parts.push_back(&part->text);
    append_text_group(out, group.first->name, group.first->type, help, text_parts);
  }
}

void MetricStore::render(const Families& own, std::string& out, TextFormat format) const {
  render_collectors(out, format);
  render_own(own, out, format);
}

void MetricStore::render_own(const Families& own, std::string& out, TextFormat format) {
  for (const auto& family : own) {
    if (family.samples.empty()) continue;
    if (format == TextFormat::prometheus) {
      out += family_header(family.name, family.type, family.help);
      for (const auto& sample : family.samples) append_sample_line(out, sample.name, sample.labels, sample.value);
      continue;
    }
    // The same path as a collector's family, and a UNIT where the name
    // ends in one.
    std::string text;
    OpenMetricsSamples openmetrics(family.name, family.type);
    for (const auto& sample : family.samples) {
      append_sample_line(text, sample.name, sample.labels, sample.value);
      openmetrics.add(sample, sample.labels);
    }
    auto written = openmetrics.finish();
    const std::string name = openmetrics_family_name(family.name, family.type);
    append_openmetrics_group(out, family.name, family.type, family.help,
                             {OpenMetricsPart{written.form, &text, &written.text}}, unit_of(name));
  }
  if (format == TextFormat::openmetrics) out += kOpenMetricsEnd;
}

MetricStore::Parts MetricStore::render_parts(const Families& own, TextFormat format, std::string own_text) const {
  auto& stable = stable_[static_cast<std::size_t>(format)];
  if (!stable) {
    auto text = std::make_shared<std::string>();
    render_collectors(*text, format);
    stable = std::move(text);
  }
  Parts parts;
  parts.stable = stable;
  parts.rest = std::move(own_text);
  render_own(own, parts.rest, format);
  return parts;
}

}  // namespace gleaner::metrics
