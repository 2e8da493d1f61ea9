#include "common/parsers/table_parser.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "common/parsers/bad_lines.h"
#include "common/parsers/line_reader.h"
#include "common/parsers/metric_options.h"
#include "common/metrics/names.h"
#include "common/parsers/output_text.h"
#include "common/parsers/parse_error.h"
#include "common/parsers/series_set.h"
#include "common/units/units.h"

namespace gleaner::parsers {
namespace {

using Layout = TableParser::Layout;

std::vector<std::string_view> split_all(std::string_view line) {
  std::vector<std::string_view> fields;
  line = trim_blanks(line);
  while (!line.empty()) {
    std::size_t end = 0;
    while (end < line.size() && !is_blank(line[end])) ++end;
    fields.push_back(line.substr(0, end));
    line = trim_blanks(line.substr(end));
  }
  return fields;
}

// A configured name with blanks matches the header's last column whatever
// blanks the header puts between its words ("Mounted  on").
bool same_column(std::string_view header_column, std::string_view configured) {
  if (header_column == configured) return true;
  const auto has_blank = [](std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) { return is_blank(c); });
  };
  return has_blank(header_column) && has_blank(configured) && split_all(header_column) == split_all(configured);
}

// The index of the column called `name`, or an error if there is none or
// more than one.
std::string find_column(const std::vector<std::string_view>& columns, std::string_view name, std::size_t& index) {
  bool found = false;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (!same_column(columns[i], name)) continue;
    if (found) return "column " + quote(name) + " appears twice";
    index = i;
    found = true;
  }
  if (found) return "";
  // A header line of thousands of words (binary output, say) must not make
  // a message as long: name the first few columns and count the rest.
  constexpr std::size_t kColumnsNamed = 6;
  std::string list;
  for (std::size_t i = 0; i < columns.size() && i < kColumnsNamed; ++i) {
    list += (i == 0 ? "" : ", ") + quote(columns[i]);
  }
  if (columns.size() > kColumnsNamed) list += " and " + std::to_string(columns.size() - kColumnsNamed) + " more";
  return "no column " + quote(name) + " (columns: " + list + ")";
}

std::string resolve_layout(const TableOptions& options, const std::vector<std::string_view>& columns, Layout& layout) {
  layout = Layout{};
  layout.column_count = columns.size();
  std::set<std::string, std::less<>> label_names;
  for (const auto& name : options.labels) {
    std::size_t index = 0;
    if (auto error = find_column(columns, name, index); !error.empty()) return error;
    std::string label = metrics::sanitize_label_name(name);
    if (label == kReservedLabelName) {
      return "the column " + quote(name) + " cannot be a label: " + quote(label) + " is reserved";
    }
    if (!label_names.insert(label).second) return "two label columns make the label name " + quote(label);
    layout.label_columns.push_back(index);
    layout.label_names.push_back(std::move(label));
  }
  for (const auto& [column, metric] : options.values) {
    std::size_t index = 0;
    if (auto error = find_column(columns, column, index); !error.empty()) return error;
    layout.value_columns.push_back(index);
  }
  return "";
}

// The header's column names. Like a data row's, the header's last column
// takes the rest of the line when the configuration names it so: df's
// "Mounted on" is one column when `labels` or `values` say "Mounted on".
std::vector<std::string_view> header_columns(std::string_view line, const TableOptions& options) {
  std::vector<std::string_view> words = split_all(line);
  const auto ends_header = [&](std::string_view name) {
    const std::vector<std::string_view> name_words = split_all(name);
    if (name_words.size() < 2 || name_words.size() > words.size()) return false;
    const std::size_t first = words.size() - name_words.size();
    for (std::size_t i = 0; i < name_words.size(); ++i) {
      if (words[first + i] != name_words[i]) return false;
    }
    const std::size_t start = static_cast<std::size_t>(words[first].data() - line.data());
    words.resize(first);
    words.push_back(trim_blanks(line.substr(start)));
    return true;
  };
  for (const auto& name : options.labels) {
    if (ends_header(name)) return words;
  }
  for (const auto& [column, metric] : options.values) {
    if (ends_header(column)) return words;
  }
  return words;
}

// Splits into at most `count` fields; the last one keeps its inner blanks.
void split_row(std::string_view line, std::size_t count, std::vector<std::string_view>& fields) {
  fields.clear();
  line = trim_blanks(line);
  while (!line.empty() && fields.size() + 1 < count) {
    std::size_t end = 0;
    while (end < line.size() && !is_blank(line[end])) ++end;
    fields.push_back(line.substr(0, end));
    line = trim_blanks(line.substr(end));
  }
  if (!line.empty()) fields.push_back(line);
}

// `text` without the characters of `chars` at either end.
std::string_view trim_chars(std::string_view text, std::string_view chars) {
  if (chars.empty()) return text;
  while (!text.empty() && chars.find(text.front()) != std::string_view::npos) text.remove_prefix(1);
  while (!text.empty() && chars.find(text.back()) != std::string_view::npos) text.remove_suffix(1);
  return text;
}

// Turns rows into samples, one family per `values` column.
class RowCollector {
 public:
  RowCollector(const TableOptions& options, const Layout& layout)
      : options_(options), layout_(layout), series_(options.values.size()) {
    for (const auto& [column, metric] : options.values) {
      families_.push_back(metrics::MetricFamily{metric, options.type, help_for(options.help, metric), {}});
    }
  }

  // "" or what is wrong with the row (the caller adds the line number). A
  // bad row adds nothing.
  std::string add(std::string_view line) {
    split_row(line, layout_.column_count, fields_);
    metrics::Labels labels;
    labels.reserve(layout_.label_columns.size());
    for (std::size_t i = 0; i < layout_.label_columns.size(); ++i) {
      const std::size_t column = layout_.label_columns[i];
      // Without its label a row's series could not be told apart.
      if (column >= fields_.size()) {
        return "no value for the label column " + quote(options_.labels[i]) + " (column " +
               std::to_string(column + 1) + "; the row has " + std::to_string(fields_.size()) + "): " + quote(line);
      }
      labels.push_back(
          metrics::Label{layout_.label_names[i], valid_utf8(trim_chars(fields_[column], options_.trim_labels))});
    }
    series_.start_row(labels);
    values_.clear();
    for (std::size_t i = 0; i < layout_.value_columns.size(); ++i) {
      const std::size_t column = layout_.value_columns[i];
      if (column >= fields_.size()) continue;  // a shorter row (free's Swap:): no value here
      const std::string_view text = fields_[column];
      if (text == "-") continue;  // df -i and others: no value here
      const auto value = units::parse_quantity(text);
      if (!value) return "column " + quote(options_.values[i].first) + ": expected a number, got " + quote(text);
      if (series_.contains(i)) return std::string(kDuplicateSeries) + describe_series(families_[i].name, labels);
      values_.emplace_back(i, *value);
    }
    for (const auto& [metric, value] : values_) series_.insert(metric);
    // The last sample takes the labels; the others copy them.
    for (std::size_t v = 0; v < values_.size(); ++v) {
      auto& family = families_[values_[v].first];
      family.samples.push_back(
          metrics::Sample{family.name, v + 1 == values_.size() ? std::move(labels) : labels, values_[v].second});
    }
    return "";
  }

  metrics::Families take() {
    std::erase_if(families_, [](const metrics::MetricFamily& family) { return family.samples.empty(); });
    return std::move(families_);
  }

 private:
  const TableOptions& options_;
  const Layout& layout_;
  metrics::Families families_;
  RowSeriesSet series_;
  std::vector<std::string_view> fields_;
  std::vector<std::pair<std::size_t, double>> values_;
};

}  // namespace

std::string check_options(const TableOptions& options) {
  if (options.values.empty()) return "values must map at least one column to a metric";
  std::set<std::string, std::less<>> metrics_seen;
  for (const auto& [column, metric] : options.values) {
    if (auto error = check_metric_name("values." + column, metric); !error.empty()) return error;
    if (!metrics_seen.insert(metric).second) return "values: two columns give the metric " + quote(metric);
  }
  if (auto error = check_help(options.help, metrics_seen); !error.empty()) return error;
  if (!options.header && options.columns.empty()) return "without a header row, columns must name the columns";
  if (!options.columns.empty()) {
    const std::vector<std::string_view> columns(options.columns.begin(), options.columns.end());
    Layout layout;
    if (auto error = resolve_layout(options, columns, layout); !error.empty()) return error;
  }
  return check_sample_type(options.type);
}

TableParser::TableParser(TableOptions options) : options_(std::move(options)), options_error_(check_options(options_)) {
  if (options_error_.empty() && !options_.columns.empty()) {
    const std::vector<std::string_view> columns(options_.columns.begin(), options_.columns.end());
    resolve_layout(options_, columns, fixed_layout_);
  }
}

ParseOutput TableParser::parse(const ParseInput& input) const {
  if (!options_error_.empty()) return ParseOutput::failure("invalid parser options: " + options_error_);
  LineReader lines(input.text);
  std::string_view line;
  for (std::size_t i = 0; i < options_.skip_lines; ++i) lines.next(line);

  Layout header_layout;
  const Layout* layout = &fixed_layout_;
  if (options_.header) {
    bool found = false;
    while (!found && lines.next(line)) found = !is_blank_line(line);
    if (!found) return ParseOutput::failure("expected a header line, got no output");
    if (options_.columns.empty()) {
      if (auto error = resolve_layout(options_, header_columns(line, options_), header_layout); !error.empty()) {
        return ParseOutput::failure(at_line(lines.number(), "header: " + error));
      }
      layout = &header_layout;
    }
  }

  RowCollector rows(options_, *layout);
  BadLines bad(options_.on_error);
  while (lines.next(line)) {
    if (is_blank_line(line)) continue;
    if (auto error = rows.add(line); !error.empty()) {
      error = at_line(lines.number(), error);
      if (!bad.skip(error)) return ParseOutput::failure(std::move(error));
    }
  }
  return bad.finish(rows.take());
}

}  // namespace gleaner::parsers
