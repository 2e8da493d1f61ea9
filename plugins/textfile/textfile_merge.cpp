#include "plugins/textfile/textfile_merge.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "common/metrics/admission.h"
#include "common/metrics/sample_text.h"
#include "common/units/units.h"

namespace gleaner::plugins::textfile {
namespace {

using metrics::MetricFamily;

// A series' identity: name and labels in name order, NUL between the parts
// (it occurs in no valid name or value); `le` and `quantile` by their
// number, so le="1" and le="1.0" are one series, as the admission point
// and Prometheus see them.
std::string series_key(const metrics::Sample& sample) {
  std::vector<const metrics::Label*> labels;
  labels.reserve(sample.labels.size());
  for (const auto& label : sample.labels) labels.push_back(&label);
  std::sort(labels.begin(), labels.end(), [](const auto* a, const auto* b) { return a->name < b->name; });
  std::string key = sample.name;
  for (const auto* label : labels) {
    key += '\0';
    key += label->name;
    key += '\0';
    const auto number =
        (label->name == "le" || label->name == "quantile") ? units::parse_number(label->value) : std::nullopt;
    key += number ? metrics::format_value(*number) : label->value;
  }
  return key;
}

std::string quote(const std::string& text) { return "\"" + text + "\""; }

class Merger {
 public:
  Merger(const std::vector<ParsedTextfile>& files, const std::vector<std::string>& own_names) : files_(files) {
    for (const auto& name : own_names) own_.insert(name);
  }

  // "" when the file fits with those taken so far (and is then taken),
  // else why not.
  std::string take(std::size_t index) {
    const auto& file = files_[index];
    if (auto why = disagreement(file); !why.empty()) return why;
    for (const auto& family : file.families) add(index, family);
    return "";
  }

  metrics::Families finish() {
    for (std::size_t i = 0; i < merged_.size(); ++i) {
      if (!merged_[i].help.empty()) continue;
      std::string help = "Metric read from ";
      for (std::size_t k = 0; k < sources_[i].size(); ++k) help += (k ? ", " : "") + files_[sources_[i][k]].path;
      merged_[i].help = std::move(help);
    }
    return std::move(merged_);
  }

 private:
  std::string disagreement(const ParsedTextfile& file) const {
    std::unordered_map<std::string, const MetricFamily*> in_file;  // names taken by this file's families
    for (const auto& family : file.families) {
      for (const auto& name : metrics::names_taken_in_text_format(family.name, family.type)) {
        if (own_.contains(name)) {
          return "family " + quote(family.name) + " uses the name " + quote(name) + " of the plugin's own series";
        }
        if (const auto [other, fresh] = in_file.emplace(name, &family); !fresh && other->second != &family) {
          return "family " + quote(family.name) + " and " + quote(other->second->name) + " both take the name " +
                 quote(name);
        }
        const auto found = taken_.find(name);
        if (found == taken_.end()) continue;
        const auto& earlier = merged_[found->second];
        const auto& where = files_[help_source_or_first(found->second)].name;
        if (earlier.name != family.name) {
          return "family " + quote(family.name) + " takes the name " + quote(name) + " of " +
                 std::string(metrics::to_string(earlier.type)) + " " + quote(earlier.name) + " in " +
                 files_[sources_[found->second].front()].name;
        }
        if (earlier.type != family.type) {
          return "TYPE " + std::string(metrics::to_string(family.type)) + " of " + quote(family.name) +
                 " differs from " + std::string(metrics::to_string(earlier.type)) + " in " +
                 files_[sources_[found->second].front()].name;
        }
        if (!family.help.empty() && !earlier.help.empty() && family.help != earlier.help) {
          return "HELP of " + quote(family.name) + " differs from the one in " + where;
        }
      }
    }
    for (const auto& family : file.families) {
      for (const auto& sample : family.samples) {
        auto key = series_key(sample);
        if (const auto found = series_.find(key); found != series_.end()) {
          return "series " + quote(sample.name) + " with the same labels is already in " + files_[found->second].name;
        }
      }
    }
    return "";
  }

  std::size_t help_source_or_first(std::size_t family) const {
    return help_source_.contains(family) ? help_source_.at(family) : sources_[family].front();
  }

  void add(std::size_t file, const MetricFamily& family) {
    std::size_t index = 0;
    if (const auto found = taken_.find(family.name); found != taken_.end()) {
      index = found->second;
    } else {
      index = merged_.size();
      merged_.push_back(MetricFamily{family.name, family.type, {}, {}});
      sources_.emplace_back();
      for (const auto& name : metrics::names_taken_in_text_format(family.name, family.type)) taken_.emplace(name, index);
    }
    auto& target = merged_[index];
    if (target.help.empty() && !family.help.empty()) {
      target.help = family.help;
      help_source_[index] = file;
    }
    if (sources_[index].empty() || sources_[index].back() != file) sources_[index].push_back(file);
    for (const auto& sample : family.samples) {
      series_.emplace(series_key(sample), file);
      target.samples.push_back(sample);
    }
  }

  const std::vector<ParsedTextfile>& files_;
  std::unordered_set<std::string> own_;
  metrics::Families merged_;
  std::vector<std::vector<std::size_t>> sources_;             // by merged family: files that gave samples
  std::unordered_map<std::size_t, std::size_t> help_source_;  // by merged family: the file its HELP is from
  std::unordered_map<std::string, std::size_t> taken_;        // name -> merged family
  std::unordered_map<std::string, std::size_t> series_;       // series key -> file
};

}  // namespace

MergedTextfiles merge_textfiles(std::vector<ParsedTextfile> files, const std::vector<std::string>& own_names) {
  MergedTextfiles result;
  Merger merger(files, own_names);
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (auto why = merger.take(i); !why.empty()) result.rejected.push_back({i, std::move(why)});
  }
  result.families = merger.finish();
  return result;
}

}  // namespace gleaner::plugins::textfile
