#include "metric_store.h"

#include <unordered_map>

#include "exposition.h"

namespace gleaner::metrics {

void MetricStore::publish(const std::string& collector, const Families& families,
                          const Labels& constant_labels) {
  Labels extra;
  extra.reserve(constant_labels.size() + 1);
  extra.push_back(Label{"collector", collector});
  extra.insert(extra.end(), constant_labels.begin(), constant_labels.end());

  auto series = std::make_shared<CollectorSeries>();
  series->families.reserve(families.size());
  for (const auto& family : families) {
    if (family.samples.empty()) continue;
    series->families.push_back(
        FamilyText{family.name, family.type, family.help, serialize_samples(family, extra)});
    series->series += family.samples.size();
  }
  collectors_[collector] = std::move(series);
  stable_.reset();
}

void MetricStore::remove(const std::string& collector) {
  if (collectors_.erase(collector) != 0) stable_.reset();
}

MetricStore::Parts MetricStore::render_parts(const Families& own) const {
  if (!stable_) {
    Stable stable;
    auto text = std::make_shared<std::string>();
    render({}, *text);
    stable.text = std::move(text);
    for (const auto& [name, series] : collectors_) {
      for (const auto& family : series->families) stable.family_names.insert(family.name);
    }
    stable_ = std::move(stable);
  }
  Parts parts;
  for (const auto& family : own) {
    if (stable_->family_names.count(family.name) != 0) {  // rare: a command printed gleaner's names
      render(own, parts.rest);
      return parts;
    }
  }
  parts.stable = stable_->text;
  MetricStore().render(own, parts.rest);  // gleaner's own families alone
  return parts;
}

std::size_t MetricStore::series(const std::string& collector) const {
  const auto it = collectors_.find(collector);
  return it == collectors_.end() ? 0 : it->second->series;
}

void MetricStore::render(const Families& own, std::string& out) const {
  struct Group {
    std::string_view name;
    MetricType type;
    std::string_view help;
    std::vector<const std::string*> parts;
  };
  std::vector<Group> groups;
  std::unordered_map<std::string_view, std::size_t> by_name;
  std::size_t total_size = 0;

  const auto add = [&](std::string_view name, MetricType type, std::string_view help, const std::string* text) {
    auto [it, inserted] = by_name.try_emplace(name, groups.size());
    if (inserted) {
      groups.push_back(Group{name, type, help, {}});
    } else if (groups[it->second].type != type) {
      return;  // one name, two types: the exposition cannot hold both; first wins
    }
    groups[it->second].parts.push_back(text);
    total_size += text->size();
  };

  for (const auto& [name, series] : collectors_) {
    for (const auto& family : series->families) add(family.name, family.type, family.help, &family.samples);
  }
  std::vector<std::string> own_texts;
  own_texts.reserve(own.size());
  for (const auto& family : own) own_texts.push_back(serialize_samples(family, {}));
  for (std::size_t i = 0; i < own.size(); ++i) {
    if (!own[i].samples.empty()) add(own[i].name, own[i].type, own[i].help, &own_texts[i]);
  }

  out.reserve(out.size() + total_size + groups.size() * 96);
  for (const auto& group : groups) {
    out += family_header(group.name, group.type, group.help);
    for (const auto* part : group.parts) out += *part;
  }
}

}  // namespace gleaner::metrics
