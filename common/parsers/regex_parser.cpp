#include "common/parsers/regex_parser.h"

#include <re2/re2.h>

#include <algorithm>
#include <set>

#include "common/parsers/metric_options.h"
#include "common/metrics/names.h"
#include "common/parsers/output_text.h"
#include "common/parsers/bad_lines.h"
#include "common/parsers/parse_error.h"
#include "common/parsers/series_set.h"
#include "common/units/units.h"

namespace gleaner::parsers {
namespace {

std::unique_ptr<const re2::RE2> compile(std::string_view pattern) {
  re2::RE2::Options options;
  options.set_log_errors(false);  // the error goes to the user with its place in the file
  return std::make_unique<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
}

std::size_t line_of(std::string_view text, std::size_t offset) {
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

// "\r\n" → "\n", so that (?m)$ and \s+$ work on CRLF output as on LF output.
std::string_view without_carriage_returns(std::string_view text, std::string& storage) {
  if (text.find("\r\n") == std::string_view::npos) return text;
  storage.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) storage.push_back(text[i]);
  }
  return storage;
}

int group_index(const re2::RE2& regex, const std::string& name) {
  const auto& groups = regex.NamedCapturingGroups();
  const auto found = groups.find(name);
  return found == groups.end() ? -1 : found->second;
}

}  // namespace

PatternInfo inspect_pattern(std::string_view pattern) {
  const auto regex = compile(pattern);
  PatternInfo info;
  if (!regex->ok()) {
    info.error = "pattern does not compile: " + regex->error();
    return info;
  }
  for (const auto& [index, name] : regex->CapturingGroupNames()) info.group_names.push_back(name);
  return info;
}

std::string check_options(const RegexOptions& options) {
  const auto regex = compile(options.pattern);
  if (!regex->ok()) return "pattern does not compile: " + regex->error();
  if (options.values.empty()) return "values must map at least one group to a metric";
  std::set<std::string, std::less<>> seen;
  for (const auto& label : options.labels) {
    if (group_index(*regex, label) < 0) return "labels: the pattern has no group " + quote(label);
    if (auto error = check_label_name("labels", label); !error.empty()) return error;
    if (!seen.insert(label).second) return "labels: " + quote(label) + " appears twice";
  }
  seen.clear();
  for (const auto& [group, metric] : options.values) {
    if (group_index(*regex, group) < 0) return "values: the pattern has no group " + quote(group);
    if (auto error = check_metric_name("values." + group, metric); !error.empty()) return error;
    if (!seen.insert(metric).second) return "values: two groups give the metric " + quote(metric);
  }
  if (auto error = check_help(options.help, seen); !error.empty()) return error;
  return check_sample_type(options.type);
}

RegexParser::RegexParser(RegexOptions options) : options_(std::move(options)), options_error_(check_options(options_)) {
  if (!options_error_.empty()) return;
  regex_ = compile(options_.pattern);
  for (const auto& label : options_.labels) label_groups_.push_back(group_index(*regex_, label));
  for (const auto& [group, metric] : options_.values) value_groups_.push_back(group_index(*regex_, group));
}

RegexParser::~RegexParser() = default;

ParseOutput RegexParser::parse(const ParseInput& input) const {
  if (!options_error_.empty()) return ParseOutput::failure("invalid parser options: " + options_error_);
  std::string storage;
  const std::string_view text = without_carriage_returns(input.text, storage);
  const re2::StringPiece whole_text(text.data(), text.size());
  std::vector<re2::StringPiece> groups(1 + regex_->NumberOfCapturingGroups());

  metrics::Families families;
  for (const auto& [group, metric] : options_.values) {
    families.push_back(metrics::MetricFamily{metric, options_.type, help_for(options_.help, metric), {}});
  }
  RowSeriesSet series(options_.values.size());
  std::size_t position = 0;
  while (position <= text.size() && regex_->Match(whole_text, position, text.size(), re2::RE2::UNANCHORED,
                                                  groups.data(), static_cast<int>(groups.size()))) {
    const std::size_t start = static_cast<std::size_t>(groups[0].data() - text.data());
    const std::size_t end = start + groups[0].size();
    // An empty match carries nothing; step past it so the search moves on.
    if (groups[0].empty()) {
      position = end + 1;
      continue;
    }
    position = end;
    metrics::Labels labels;
    labels.reserve(label_groups_.size());
    for (std::size_t i = 0; i < label_groups_.size(); ++i) {
      const auto& captured = groups[static_cast<std::size_t>(label_groups_[i])];
      labels.push_back(metrics::Label{options_.labels[i], valid_utf8(std::string_view(captured))});
    }
    series.start_row(labels);
    for (std::size_t i = 0; i < value_groups_.size(); ++i) {
      const auto& captured = groups[static_cast<std::size_t>(value_groups_[i])];
      if (captured.data() == nullptr) continue;  // an optional group that did not match
      const auto value = units::parse_quantity(std::string_view(captured));
      if (!value) {
        return ParseOutput::failure(at_line(line_of(text, start), "group " + quote(options_.values[i].first) +
                                                                      ": expected a number, got " +
                                                                      quote(std::string_view(captured))));
      }
      auto& family = families[i];
      if (!series.insert(i)) {
        return ParseOutput::failure(
            at_line(line_of(text, start), std::string(kDuplicateSeries) + describe_series(family.name, labels)));
      }
      family.samples.push_back(metrics::Sample{family.name, labels, *value});
    }
  }
  std::erase_if(families, [](const metrics::MetricFamily& family) { return family.samples.empty(); });
  return ParseOutput::success(std::move(families));
}

}  // namespace gleaner::parsers
