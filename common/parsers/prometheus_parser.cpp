#include "prometheus_parser.h"

#include <optional>
#include <unordered_map>
#include <vector>

#include "exposition_line.h"
#include "line_reader.h"
#include "parse_error.h"
#include "series_set.h"
#include "units/units.h"

namespace gleaner::parsers {
namespace {

using exposition::CommentLine;
using exposition::SampleLine;
using metrics::MetricType;

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

bool has_suffix(std::string_view name, std::string_view base, std::string_view suffix) {
  return name.size() == base.size() + suffix.size() && name.substr(0, base.size()) == base &&
         name.substr(base.size()) == suffix;
}

// Whether a sample of this name is one of the family's own samples.
bool belongs(const metrics::MetricFamily& family, std::string_view name) {
  switch (family.type) {
    case MetricType::histogram:
      return has_suffix(name, family.name, "_bucket") || has_suffix(name, family.name, "_sum") ||
             has_suffix(name, family.name, "_count");
    case MetricType::summary:
      return name == family.name || has_suffix(name, family.name, "_sum") || has_suffix(name, family.name, "_count");
    default:
      return name == family.name;
  }
}

std::optional<MetricType> type_named(std::string_view word) {
  std::string lower(word);
  for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
  if (lower == "counter") return MetricType::counter;
  if (lower == "gauge") return MetricType::gauge;
  if (lower == "histogram") return MetricType::histogram;
  if (lower == "summary") return MetricType::summary;
  if (lower == "untyped") return MetricType::untyped;
  return std::nullopt;
}

bool has_numeric_label(const metrics::Labels& labels, std::string_view name) {
  for (const auto& label : labels) {
    if (label.name == name) return units::parse_number(label.value).has_value();
  }
  return false;
}

// Puts lines together into families, in the order they first appear. Only
// the current family may grow: once another family's line came, going back
// to an earlier family is an error (the format wants a family's lines
// together, and Prometheus would otherwise see two families of one name).
class FamilyAssembler {
 public:
  std::string help(const CommentLine& comment, std::size_t line) {
    std::size_t index = 0;
    if (auto error = enter(comment.name, line, index); !error.empty()) return error;
    if (states_[index].has_help) return at_line(line, "second HELP line for " + quote(comment.name));
    states_[index].has_help = true;
    families_[index].help = comment.text;
    return "";
  }

  std::string type(const CommentLine& comment, std::size_t line) {
    const auto type = type_named(comment.text);
    if (!type) return at_line(line, "unknown metric type " + quote(comment.text));
    std::size_t index = 0;
    if (auto error = enter(comment.name, line, index); !error.empty()) return error;
    if (states_[index].has_type) return at_line(line, "second TYPE line for " + quote(comment.name));
    if (!families_[index].samples.empty()) {
      return at_line(line, "TYPE line for " + quote(comment.name) + " comes after its samples");
    }
    states_[index].has_type = true;
    families_[index].type = *type;
    return "";
  }

  std::string sample(SampleLine& sample, std::size_t line) {
    std::size_t index = 0;
    if (auto error = enter(family_name_for(sample.name), line, index); !error.empty()) return error;
    auto& family = families_[index];
    if (!belongs(family, sample.name)) {
      return at_line(line, "sample " + quote(sample.name) + " does not fit " +
                               std::string(metrics::to_string(family.type)) + " " + quote(family.name) +
                               (family.type == MetricType::histogram ? " (expected _bucket, _sum or _count)" : ""));
    }
    if (family.type == MetricType::histogram && has_suffix(sample.name, family.name, "_bucket") &&
        !has_numeric_label(sample.labels, "le")) {
      return at_line(line, "histogram bucket " + quote(sample.name) + " has no numeric \"le\" label");
    }
    if (family.type == MetricType::summary && sample.name == family.name &&
        !has_numeric_label(sample.labels, "quantile")) {
      return at_line(line, "summary sample " + quote(sample.name) + " has no numeric \"quantile\" label");
    }
    if (!series_.insert(sample.name, sample.labels)) {
      return at_line(line, "duplicate series " + describe_series(sample.name, sample.labels));
    }
    family.samples.push_back(metrics::Sample{std::string(sample.name), std::move(sample.labels), sample.value});
    return "";
  }

  metrics::Families take() {
    metrics::Families result;
    result.reserve(families_.size());
    for (auto& family : families_) {
      if (!family.samples.empty()) result.push_back(std::move(family));
    }
    return result;
  }

 private:
  struct FamilyState {
    std::size_t first_line = 0;
    bool has_help = false;
    bool has_type = false;
  };

  // The family a sample belongs to: the current one if it fits, else a
  // histogram or summary that the name's suffix points to, else its own.
  std::string_view family_name_for(std::string_view name) const {
    if (current_ != kNone && belongs(families_[current_], name)) return families_[current_].name;
    for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
      if (name.size() <= suffix.size() || name.substr(name.size() - suffix.size()) != suffix) continue;
      const auto found = index_.find(std::string(name.substr(0, name.size() - suffix.size())));
      if (found != index_.end() && belongs(families_[found->second], name)) return families_[found->second].name;
    }
    return name;
  }

  // Makes the family `name` current, creating it on first sight. `name` may
  // view a family's own name: it is copied before families_ can grow.
  std::string enter(std::string_view name, std::size_t line, std::size_t& index) {
    if (current_ != kNone && families_[current_].name == name) {
      index = current_;
      return "";
    }
    std::string key(name);
    if (const auto found = index_.find(key); found != index_.end()) {
      return at_line(line, "the lines of family " + quote(name) + " are not together (it began on line " +
                               std::to_string(states_[found->second].first_line) + ")");
    }
    index = families_.size();
    families_.push_back(metrics::MetricFamily{key, MetricType::untyped, {}, {}});
    states_.push_back(FamilyState{line});
    index_.emplace(std::move(key), index);
    current_ = index;
    return "";
  }

  metrics::Families families_;
  std::vector<FamilyState> states_;
  std::unordered_map<std::string, std::size_t> index_;
  std::size_t current_ = kNone;
  SeriesSet series_;
};

}  // namespace

PrometheusParser::PrometheusParser(PrometheusOptions) {}

ParseOutput PrometheusParser::parse(const ParseInput& input) const {
  FamilyAssembler assembler;
  LineReader lines(input.text);
  std::string_view line;
  CommentLine comment;
  SampleLine sample;
  while (lines.next(line)) {
    if (is_blank_line(line)) continue;
    std::string error;
    if (exposition::is_comment(line)) {
      error = exposition::read_comment(line, comment);
      if (!error.empty()) return ParseOutput::failure(at_line(lines.number(), error));
      if (comment.kind == CommentLine::Kind::help) error = assembler.help(comment, lines.number());
      if (comment.kind == CommentLine::Kind::type) error = assembler.type(comment, lines.number());
    } else {
      error = exposition::read_sample(line, sample);
      if (!error.empty()) return ParseOutput::failure(at_line(lines.number(), error));
      error = assembler.sample(sample, lines.number());
    }
    if (!error.empty()) return ParseOutput::failure(std::move(error));
  }
  return ParseOutput{assembler.take(), {}};
}

}  // namespace gleaner::parsers
