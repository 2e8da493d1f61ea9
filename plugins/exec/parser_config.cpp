#include "plugins/exec/parser_config.h"

#include <algorithm>
#include <set>

#include "common/config/map_reader.h"
#include "common/metrics/names.h"
#include "plugins/exec/parser_config_fields.h"
#include "common/parsers/influx_parser.h"
#include "common/parsers/json_parser.h"
#include "common/parsers/keyvalue_parser.h"
#include "common/parsers/metric_options.h"
#include "common/parsers/nagios_parser.h"
#include "common/parsers/prometheus_parser.h"
#include "common/parsers/regex_parser.h"
#include "common/parsers/table_parser.h"
#include "common/parsers/value_parser.h"

namespace gleaner::plugins::exec {
namespace {

using config::ErrorList;
using config::MapReader;

const std::vector<std::string> kParserTypes = {"prometheus", "value", "keyvalue", "table", "regex", "json", "nagios", "influx"};

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string join(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : ", ") + word;
  return text;
}

// The options once more through the parser's own check, so that a gap
// between the checks here and the parser's can never build a broken parser.
template <typename ParserType, typename Options>
std::unique_ptr<parsers::Parser> make_checked(MapReader& reader, Options options) {
  if (auto error = parsers::check_options(options); !error.empty()) {
    reader.errors().add(reader.node(), "parser: " + error);
    return nullptr;
  }
  return std::make_unique<ParserType>(std::move(options));
}

// A required metric name, checked where it is written.
std::optional<std::string> read_metric(MapReader& reader, std::string_view key) {
  auto name = reader.required_string(key);
  if (!name) return std::nullopt;
  if (!check_metric_name_at(reader.value(key), "parser." + std::string(key), *name, reader.errors())) {
    return std::nullopt;
  }
  return name;
}

// Metric names of a `values` mapping: valid, and none given twice.
void check_value_metrics(const std::vector<ConfigEntry>& values, ErrorList& errors) {
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : values) {
    if (!check_metric_name_at(entry.value_node, "parser.values." + entry.key, entry.value, errors)) continue;
    if (!seen.insert(entry.value).second) {
      errors.add(entry.value_node, "parser.values: the metric " + quoted(entry.value) + " is given twice");
    }
  }
}

std::unique_ptr<parsers::Parser> read_value(MapReader& reader) {
  parsers::ValueOptions options;
  const auto metric = read_metric(reader, "metric");
  const auto type = read_metric_type(reader);
  const auto help = reader.string("help");
  reject_on_error(reader, "value");
  if (!metric || !type) return nullptr;
  options.metric = *metric;
  options.type = *type;
  options.help = help.value_or("");
  return make_checked<parsers::ValueParser>(reader, std::move(options));
}

std::unique_ptr<parsers::Parser> read_keyvalue(MapReader& reader) {
  parsers::KeyValueOptions options;
  const auto prefix = reader.string("prefix");
  const auto separator = reader.string("separator");
  const auto type = read_metric_type(reader);
  const auto on_error = read_on_error(reader);
  const auto help = reader.string("help");
  if (prefix && !prefix->empty() &&
      !check_metric_name_at(reader.value("prefix"), "parser.prefix", *prefix, reader.errors())) {
    return nullptr;
  }
  if (separator && separator->empty()) {
    reader.errors().add(reader.value("separator"), "parser.separator must not be empty");
    return nullptr;
  }
  if (!type || !on_error) return nullptr;
  options.prefix = prefix.value_or("");
  options.separator = separator.value_or("");
  options.type = *type;
  options.on_error = *on_error;
  options.help = help.value_or("");
  return make_checked<parsers::KeyValueParser>(reader, std::move(options));
}

// With `columns`, every column that labels and values name must be one of them.
void check_columns(const std::vector<ConfigItem>& columns, const std::vector<ConfigItem>& labels,
                   const std::vector<ConfigEntry>& values, ErrorList& errors) {
  std::vector<std::string> names;
  for (const auto& column : columns) {
    if (std::find(names.begin(), names.end(), column.text) != names.end()) {
      errors.add(column.node, "parser.columns: " + quoted(column.text) + " appears twice");
    }
    names.push_back(column.text);
  }
  const auto known = [&](const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  for (const auto& label : labels) {
    if (!known(label.text)) {
      errors.add(label.node, "parser.labels: no column " + quoted(label.text) + " in parser.columns");
    }
  }
  for (const auto& value : values) {
    if (!known(value.key)) {
      errors.add(value.key_node, "parser.values: no column " + quoted(value.key) + " in parser.columns");
    }
  }
}

// Label columns: each once, and no two giving one label name ("%CPU", "_CPU").
void check_label_columns(const std::vector<ConfigItem>& labels, ErrorList& errors) {
  std::set<std::string, std::less<>> label_names;
  for (const auto& label : labels) {
    const auto name = metrics::sanitize_label_name(label.text);
    if (name == parsers::kReservedLabelName) {
      errors.add(label.node,
                 "parser.labels: the column " + quoted(label.text) + " would be the reserved label " + quoted(name));
    } else if (!label_names.insert(name).second) {
      errors.add(label.node,
                 "parser.labels: " + quoted(label.text) + " gives the label name " + quoted(name) + " a second time");
    }
  }
}

std::unique_ptr<parsers::Parser> read_table(MapReader& reader) {
  const std::size_t errors_before = reader.errors().size();
  const auto labels = read_items(reader, "labels");
  if (labels) check_label_columns(*labels, reader.errors());
  const auto values = read_metric_entries(reader, "values", "metric");
  if (values) check_value_metrics(*values, reader.errors());
  const auto columns = read_items(reader, "columns");
  const auto header = reader.boolean("header");
  const auto skip_lines = reader.integer("skip_lines", 0, 1'000'000);
  const auto type = read_metric_type(reader);
  const auto on_error = read_on_error(reader);
  const auto trim_labels = reader.string("trim_labels");
  if (columns && !columns->empty() && labels && values) check_columns(*columns, *labels, *values, reader.errors());
  if (header == false && columns && columns->empty()) {
    reader.errors().add(reader.value("header"),
                        "parser.header: without a header row, \"columns\" must name the columns");
  }
  if (reader.errors().size() != errors_before || !labels || !values || !columns || !type || !on_error) return nullptr;

  parsers::TableOptions options;
  for (const auto& label : *labels) options.labels.push_back(label.text);
  for (const auto& value : *values) {
    options.values.emplace_back(value.key, value.value);
    if (!value.help.empty()) options.help[value.value] = value.help;
  }
  options.on_error = *on_error;
  options.trim_labels = trim_labels.value_or("");
  for (const auto& column : *columns) options.columns.push_back(column.text);
  options.header = header.value_or(true);
  options.skip_lines = static_cast<std::size_t>(skip_lines.value_or(0));
  options.type = *type;
  return make_checked<parsers::TableParser>(reader, std::move(options));
}

// Every group that labels and values name must be a named group of the
// pattern; label groups must also make valid label names.
void check_groups(const parsers::PatternInfo& info, const std::vector<ConfigItem>& labels,
                  const std::vector<ConfigEntry>& values, ErrorList& errors) {
  const auto is_group = [&](const std::string& name) {
    return std::find(info.group_names.begin(), info.group_names.end(), name) != info.group_names.end();
  };
  const std::string groups = " (named groups: " + (info.group_names.empty() ? "none" : join(info.group_names)) + ")";
  for (const auto& label : labels) {
    if (!is_group(label.text)) {
      errors.add(label.node, "parser.labels: the pattern has no group " + quoted(label.text) + groups);
    } else {
      check_label_name_at(label.node, "parser.labels", label.text, errors);
    }
  }
  for (const auto& value : values) {
    if (!is_group(value.key)) {
      errors.add(value.key_node, "parser.values: the pattern has no group " + quoted(value.key) + groups);
    }
  }
}

std::unique_ptr<parsers::Parser> read_regex(MapReader& reader) {
  const std::size_t errors_before = reader.errors().size();
  const auto pattern = reader.required_string("pattern");
  const auto labels = read_items(reader, "labels");
  const auto values = read_metric_entries(reader, "values", "metric");
  if (values) check_value_metrics(*values, reader.errors());
  const auto type = read_metric_type(reader);
  reject_on_error(reader, "regex");
  if (pattern) {
    const auto info = parsers::inspect_pattern(*pattern);
    if (!info.error.empty()) {
      reader.errors().add(reader.value("pattern"), "parser." + info.error);
    } else {
      check_groups(info, labels.value_or(std::vector<ConfigItem>{}), values.value_or(std::vector<ConfigEntry>{}),
                   reader.errors());
    }
  }
  if (reader.errors().size() != errors_before || !pattern || !labels || !values || !type) return nullptr;

  parsers::RegexOptions options;
  options.pattern = *pattern;
  for (const auto& label : *labels) options.labels.push_back(label.text);
  for (const auto& value : *values) {
    options.values.emplace_back(value.key, value.value);
    if (!value.help.empty()) options.help[value.value] = value.help;
  }
  options.type = *type;
  return make_checked<parsers::RegexParser>(reader, std::move(options));
}

bool check_path_at(const YAML::Node& node, const std::string& what, const std::string& path, ErrorList& errors) {
  std::string error;
  if (parsers::parse_json_path(path, error)) return true;
  errors.add(node, what + ": bad path " + quoted(path) + ": " + error);
  return false;
}

std::unique_ptr<parsers::Parser> read_json(MapReader& reader) {
  const std::size_t errors_before = reader.errors().size();
  const auto values = read_metric_entries(reader, "values", "path");
  const auto labels = read_entries(reader, "labels", false);
  const auto each = reader.string("each");
  const auto type = read_metric_type(reader);
  reject_on_error(reader, "json");
  for (const auto& value : values.value_or(std::vector<ConfigEntry>{})) {
    check_metric_name_at(value.key_node, "parser.values", value.key, reader.errors());
    check_path_at(value.value_node, "parser.values." + value.key, value.value, reader.errors());
  }
  for (const auto& label : labels.value_or(std::vector<ConfigEntry>{})) {
    check_label_name_at(label.key_node, "parser.labels", label.key, reader.errors());
    check_path_at(label.value_node, "parser.labels." + label.key, label.value, reader.errors());
  }
  if (each) check_path_at(reader.value("each"), "parser.each", *each, reader.errors());
  if (reader.errors().size() != errors_before || !values || !labels || !type) return nullptr;

  parsers::JsonOptions options;
  for (const auto& value : *values) {
    options.values.emplace_back(value.key, value.value);
    if (!value.help.empty()) options.help[value.key] = value.help;
  }
  for (const auto& label : *labels) options.labels.emplace_back(label.key, label.value);
  options.each = each.value_or("");
  options.type = *type;
  return make_checked<parsers::JsonParser>(reader, std::move(options));
}

std::unique_ptr<parsers::Parser> read_nagios(MapReader& reader) {
  const auto metric = read_metric(reader, "metric");
  const auto on_error = read_on_error(reader);
  if (!metric || !on_error) return nullptr;
  return make_checked<parsers::NagiosParser>(reader, parsers::NagiosOptions{*metric, *on_error});
}

std::unique_ptr<parsers::Parser> read_prometheus(MapReader& reader) {
  const auto on_error = read_on_error(reader);
  if (!on_error) return nullptr;
  return std::make_unique<parsers::PrometheusParser>(parsers::PrometheusOptions{*on_error});
}

// Telegraf drops a whole output for one line it cannot read; so does this
// parser unless `on_error: skip` asks otherwise (influx_parser.h).
std::unique_ptr<parsers::Parser> read_influx(MapReader& reader) {
  const auto on_error = reader.has("on_error") ? read_on_error(reader) : parsers::OnError::fail;
  if (!on_error) return nullptr;
  return std::make_unique<parsers::InfluxParser>(parsers::InfluxOptions{*on_error});
}

std::unique_ptr<parsers::Parser> read_typed(const std::string& type, MapReader& reader) {
  if (type == "prometheus") return read_prometheus(reader);
  if (type == "value") return read_value(reader);
  if (type == "keyvalue") return read_keyvalue(reader);
  if (type == "table") return read_table(reader);
  if (type == "regex") return read_regex(reader);
  if (type == "json") return read_json(reader);
  if (type == "influx") return read_influx(reader);
  return read_nagios(reader);
}

}  // namespace

std::unique_ptr<parsers::Parser> read_parser(const YAML::Node& parser_node, ErrorList& errors) {
  const std::size_t errors_before = errors.size();
  if (!parser_node.IsDefined()) {
    // A missing key has no place in the file to point at.
    errors.add(config::Mark{errors.file(), 0, 0}, "the collector needs a \"parser\" mapping");
    return nullptr;
  }
  MapReader reader(parser_node, "parser", errors);
  if (!reader.valid()) return nullptr;
  if (!reader.has("type")) {
    errors.add(parser_node, "parser needs \"type\" (one of: " + join(kParserTypes) + ")");
    return nullptr;
  }
  const auto type = reader.choice("type", kParserTypes);
  // Without a known type, which other keys belong is unknown: no more errors.
  if (!type) return nullptr;
  auto parser = read_typed(*type, reader);
  reader.reject_unknown_keys();
  if (errors.size() != errors_before) return nullptr;
  return parser;
}

}  // namespace gleaner::plugins::exec
