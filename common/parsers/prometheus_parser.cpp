#include "common/parsers/prometheus_parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/parsers/bad_lines.h"
#include "common/parsers/exposition_line.h"
#include "common/parsers/line_reader.h"
#include "common/parsers/parse_error.h"
#include "common/parsers/series_set.h"
#include "common/metrics/openmetrics.h"
#include "common/units/units.h"

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

// An OpenMetrics `_created` sample of the family: a counter's (named after
// its family without `_total`), a histogram's or a summary's. Read, and
// not exposed (README "What a collector may expose": never _created).
bool is_created_of(const metrics::MetricFamily& family, std::string_view name) {
  if (!name.ends_with("_created")) return false;  // nearly every sample: no name built for it
  switch (family.type) {
    case MetricType::counter:
      return has_suffix(name, metrics::openmetrics_family_name(family.name, family.type), "_created");
    case MetricType::histogram:
    case MetricType::summary: return has_suffix(name, family.name, "_created");
    default: return false;
  }
}

// Whether a sample of this name is one of the family's own samples.
// `openmetrics`: OpenMetrics' `_created` samples too.
bool belongs(const metrics::MetricFamily& family, std::string_view name, bool openmetrics) {
  if (openmetrics && is_created_of(family, name)) return true;
  switch (family.type) {
    case MetricType::histogram:
      return has_suffix(name, family.name, "_bucket") || has_suffix(name, family.name, "_sum") ||
             has_suffix(name, family.name, "_count");
    case MetricType::summary:
      return name == family.name || has_suffix(name, family.name, "_sum") || has_suffix(name, family.name, "_count");
    case MetricType::gaugehistogram:
      return has_suffix(name, family.name, "_bucket") || has_suffix(name, family.name, "_gsum") ||
             has_suffix(name, family.name, "_gcount");
    case MetricType::info: return has_suffix(name, family.name, "_info");
    default: return name == family.name;
  }
}

// The type a TYPE line names. `unknown` and OpenMetrics' own types only
// when reading OpenMetrics as well.
std::optional<MetricType> type_named(std::string_view word, bool openmetrics) {
  std::string lower(word);
  for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
  if (lower == "counter") return MetricType::counter;
  if (lower == "gauge") return MetricType::gauge;
  if (lower == "histogram") return MetricType::histogram;
  if (lower == "summary") return MetricType::summary;
  if (lower == "untyped") return MetricType::untyped;
  if (!openmetrics) return std::nullopt;
  // OpenMetrics spells its types in lower case only.
  if (word == "unknown") return MetricType::untyped;
  if (word == "info") return MetricType::info;
  if (word == "stateset") return MetricType::stateset;
  if (word == "gaugehistogram") return MetricType::gaugehistogram;
  return std::nullopt;
}

// A number's one spelling, so that le="1", le="1.0" and le="1e0" compare
// equal: "0" for -0, "NaN", "inf", "-inf", else the shortest round trip.
std::string canonical_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (value == 0) value = 0;  // -0
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

// The label whose value is a number by definition in this family: a
// histogram bucket's le, a summary quantile's quantile; "" for the others.
std::string_view numeric_label_of(const metrics::MetricFamily& family, std::string_view sample_name) {
  if ((family.type == MetricType::histogram || family.type == MetricType::gaugehistogram) &&
      has_suffix(sample_name, family.name, "_bucket")) {
    return "le";
  }
  if (family.type == MetricType::summary && sample_name == family.name) return "quantile";
  return {};
}

// Puts lines together into families, in the order they first appear. A
// family's lines may be split by other families' lines (`cat a.prom b.prom`
// of two files sharing a family): they merge into the family's first place,
// samples in printed order, as expfmt reads them. A later HELP or TYPE line
// must agree with the family's first; one that disagrees rejects itself and
// the rest of its block (the family's lines up to the next line of another
// family), since its samples would mean something else.
class FamilyAssembler {
 public:
  explicit FamilyAssembler(bool openmetrics) : openmetrics_(openmetrics) {}

  // Each returns "" or what is wrong with the line, with its number.
  std::string help(const CommentLine& comment, std::size_t line) {
    const std::size_t index = enter(comment.name, line);
    if (in_rejected_block(index)) return rejected(comment.name, line);
    auto& state = states_[index];
    if (state.help_line != 0) {
      if (families_[index].help == comment.text) return "";
      return reject(index, at_line(line, "HELP for " + quote(comment.name) + " differs from the one on line " +
                                             std::to_string(state.help_line)));
    }
    state.help_line = line;
    families_[index].help = comment.text;
    return "";
  }

  // OpenMetrics' `# UNIT name unit`: the name must end in `_` and the
  // unit. A second one must agree, as a second HELP must.
  std::string unit(const CommentLine& comment, std::size_t line) {
    const std::string_view name = comment.name;
    const std::string_view unit = comment.text;
    if (!metrics::ends_in_unit(name, unit)) {
      return at_line(line, "UNIT " + quote(unit) + " is not the end of the name " + quote(name));
    }
    const std::size_t index = enter(name, line);
    if (in_rejected_block(index)) return rejected(name, line);
    auto& state = states_[index];
    if (state.unit_line != 0) {
      if (families_[index].unit == unit) return "";
      return reject(index, at_line(line, "UNIT for " + quote(name) + " differs from the one on line " +
                                             std::to_string(state.unit_line)));
    }
    state.unit_line = line;
    families_[index].unit = std::string(unit);
    return "";
  }

  std::string type(const CommentLine& comment, std::size_t line) {
    const auto type = type_named(comment.text, openmetrics_);
    if (!type) return at_line(line, "unknown metric type " + quote(comment.text));
    const std::size_t index = enter(comment.name, line);
    if (in_rejected_block(index)) return rejected(comment.name, line);
    auto& state = states_[index];
    auto& family = families_[index];
    if (state.type_line != 0) {
      if (family.type == *type) return "";
      return reject(index, at_line(line, "TYPE " + std::string(metrics::to_string(*type)) + " for " +
                                             quote(comment.name) + " differs from " +
                                             std::string(metrics::to_string(family.type)) + " on line " +
                                             std::to_string(state.type_line)));
    }
    if (!family.samples.empty() && *type != MetricType::untyped) {
      return reject(index, at_line(line, "TYPE line for " + quote(comment.name) + " comes after its samples (line " +
                                             std::to_string(state.first_line) + ")"));
    }
    state.type_line = line;
    family.type = *type;
    return "";
  }

  std::string sample(SampleLine& sample, std::size_t line) {
    if (openmetrics_) name_counter_by_total(sample.name);
    const std::size_t index = enter(family_name_for(sample.name), line);
    if (in_rejected_block(index)) return rejected(families_[index].name, line);
    auto& family = families_[index];
    if (!belongs(family, sample.name, openmetrics_)) {
      return at_line(line, "sample " + quote(sample.name) + " does not fit " +
                               std::string(metrics::to_string(family.type)) + " " + quote(family.name) +
                               (family.type == MetricType::histogram ? " (expected _bucket, _sum or _count)" : ""));
    }
    const std::string_view numeric_label = numeric_label_of(family, sample.name);
    if (!numeric_label.empty() && !numeric_label_value(sample.labels, numeric_label)) {
      return at_line(line, std::string(family.type == MetricType::histogram ? "histogram bucket " : "summary sample ") +
                               quote(sample.name) + " has no numeric " + quote(numeric_label) + " label");
    }
    if (openmetrics_ && is_created_of(family, sample.name)) return "";
    if (!series_.insert(sample.name, comparable(sample.labels))) {
      return at_line(line, std::string(kDuplicateSeries) + describe_series(sample.name, sample.labels));
    }
    // The label keeps its printed text ("1.0" stays "1.0"); only the
    // duplicate check reads it as a number.
    family.samples.push_back(metrics::Sample{std::string(sample.name), std::move(sample.labels), sample.value});
    return "";
  }

  metrics::Families take() {
    metrics::Families result;
    result.reserve(families_.size());
    for (auto& family : families_) {
      if (family.samples.empty()) continue;
      // Whether the unit fits the name can only be known with the type
      // (a counter's OpenMetrics name, none for info and stateset); one
      // that does not is left out rather than make the exposition invalid.
      if (!metrics::unit_fits(metrics::openmetrics_family_name(family.name, family.type), family.type, family.unit)) {
        family.unit.clear();
      }
      result.push_back(std::move(family));
    }
    return result;
  }

 private:
  struct FamilyState {
    std::size_t first_line = 0;
    std::size_t help_line = 0;  // 0: no HELP yet
    std::size_t type_line = 0;  // 0: no TYPE yet
    std::size_t unit_line = 0;  // 0: no UNIT yet
  };

  // OpenMetrics names a counter's family `x` and its samples `x_total`; the
  // text format calls both `x_total`. The first sample `x_total` of a
  // counter `x` without samples yet names the family `x_total`, so both
  // formats read the same. `x` stays another name for it, so a later HELP
  // or TYPE of `x` still finds it, and a sample `x` is then a bad line.
  void name_counter_by_total(std::string_view name) {
    constexpr std::string_view kTotal = "_total";
    if (!name.ends_with(kTotal) || name.size() == kTotal.size()) return;
    const auto found = index_.find(name.substr(0, name.size() - kTotal.size()));
    if (found == index_.end()) return;
    auto& family = families_[found->second];
    if (family.type != MetricType::counter || !family.samples.empty() || family.name != found->first) return;
    if (index_.contains(name)) return;
    family.name.assign(name);
    index_.emplace(family.name, found->second);
  }

  static std::optional<double> numeric_label_value(const metrics::Labels& labels, std::string_view name) {
    for (const auto& label : labels) {
      if (label.name == name) return units::parse_number(label.value);
    }
    return std::nullopt;
  }

  // The labels as the duplicate check compares them: `le` and `quantile`
  // in their canonical spelling when they are numbers, whatever the family
  // (an untyped h_bucket{le="1"} and a histogram's h_bucket{le="1.0"} would
  // be one series in the exposition).
  const metrics::Labels& comparable(const metrics::Labels& labels) {
    const auto numeric = [](const metrics::Label& label) { return label.name == "le" || label.name == "quantile"; };
    if (std::none_of(labels.begin(), labels.end(), numeric)) return labels;
    scratch_ = labels;
    for (auto& label : scratch_) {
      if (!numeric(label)) continue;
      if (const auto number = units::parse_number(label.value)) label.value = canonical_number(*number);
    }
    return scratch_;
  }

  // The family a sample belongs to: the current one if it fits, else a
  // histogram or summary that the name's suffix points to, else its own.
  std::string_view family_name_for(std::string_view name) const {
    if (current_ != kNone && belongs(families_[current_], name, openmetrics_)) return families_[current_].name;
    for (std::string_view suffix : {"_bucket", "_sum", "_count", "_info", "_gsum", "_gcount", "_created"}) {
      if (name.size() <= suffix.size() || name.substr(name.size() - suffix.size()) != suffix) continue;
      const auto found = index_.find(name.substr(0, name.size() - suffix.size()));
      if (found != index_.end() && belongs(families_[found->second], name, openmetrics_)) {
        return families_[found->second].name;
      }
    }
    return name;
  }

  // Makes the family `name` current, creating it on first sight, and
  // returns its index. `name` may view a family's own name: it is copied
  // before families_ can grow.
  std::size_t enter(std::string_view name, std::size_t line) {
    if (current_ != kNone && families_[current_].name == name) return current_;
    if (const auto found = index_.find(name); found != index_.end()) {
      current_ = found->second;
      return current_;
    }
    std::string key(name);
    current_ = families_.size();
    families_.push_back(metrics::MetricFamily{key, MetricType::untyped, {}, {}, {}});
    states_.push_back(FamilyState{line});
    index_.emplace(std::move(key), current_);
    return current_;
  }

  // A rejected block lasts until a line of another family comes.
  bool in_rejected_block(std::size_t index) {
    if (index == rejected_) return true;
    rejected_ = kNone;
    return false;
  }

  std::string reject(std::size_t index, std::string message) {
    rejected_ = index;
    rejected_line_ = message.substr(0, message.find(':'));
    return message;
  }

  std::string rejected(std::string_view family, std::size_t line) const {
    return at_line(line, "left out with the block of " + quote(family) + " whose HELP or TYPE disagreed (" +
                             rejected_line_ + ")");
  }

  bool openmetrics_;
  metrics::Families families_;
  std::vector<FamilyState> states_;
  // Looked up by string_view (a sample's name, or it less a suffix), with
  // no std::string made for a lookup: the hash and the comparison take both.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const noexcept { return std::hash<std::string_view>{}(name); }
  };
  std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>> index_;
  std::size_t current_ = kNone;
  std::size_t rejected_ = kNone;
  std::string rejected_line_;  // "line 7", where the rejected block began
  SeriesSet series_;
  metrics::Labels scratch_;
};

}  // namespace

PrometheusParser::PrometheusParser(PrometheusOptions options) : options_(options) {}

ParseOutput PrometheusParser::parse(const ParseInput& input) const {
  const bool openmetrics = options_.openmetrics;
  FamilyAssembler assembler(openmetrics);
  BadLines bad(options_.on_error);
  LineReader lines(input.text);
  std::string_view line;
  CommentLine comment;
  SampleLine sample;
  std::size_t eof_line = 0;  // where OpenMetrics' `# EOF` was, 0 before
  while (lines.next(line)) {
    if (is_blank_line(line)) continue;
    std::string error;
    if (eof_line != 0) {
      // The strict parser refuses anything after `# EOF`; here each such
      // line is a bad line, what one costs being on_error's choice.
      error = at_line(lines.number(), "text after # EOF (line " + std::to_string(eof_line) + ")");
    } else if (exposition::is_comment(line)) {
      error = exposition::read_comment(line, comment, openmetrics);
      if (!error.empty()) {
        error = at_line(lines.number(), error);
      } else if (comment.kind == CommentLine::Kind::help) {
        error = assembler.help(comment, lines.number());
      } else if (comment.kind == CommentLine::Kind::type) {
        error = assembler.type(comment, lines.number());
      } else if (comment.kind == CommentLine::Kind::unit) {
        error = assembler.unit(comment, lines.number());
      } else if (comment.kind == CommentLine::Kind::eof) {
        eof_line = lines.number();
      }
    } else {
      error = exposition::read_sample(line, sample, openmetrics);
      if (error.empty() && sample.has_timestamp && options_.refuse_timestamps) {
        error = "client-side timestamps are not supported";
      }
      error = error.empty() ? assembler.sample(sample, lines.number()) : at_line(lines.number(), error);
    }
    if (!error.empty() && !bad.skip(error)) return ParseOutput::failure(std::move(error));
  }
  return bad.finish(assembler.take());
}

}  // namespace gleaner::parsers
