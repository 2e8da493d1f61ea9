#pragma once
// Reading the parts that parser options share from YAML, keeping each
// entry's node so that a problem found later points at the right place.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/map_reader.h"
#include "common/metrics/sample.h"
#include "common/parsers/bad_lines.h"

namespace gleaner::plugins::exec {

struct ConfigItem {
  std::string text;
  YAML::Node node;
};

struct ConfigEntry {
  std::string key;
  std::string value;
  YAML::Node key_node;
  YAML::Node value_node;
  std::string help;  // read_metric_entries: the entry's `help`, or ""
};

// A list of strings (absent: an empty list).
std::optional<std::vector<ConfigItem>> read_items(config::MapReader& reader, std::string_view key);

// A mapping of strings to strings in file order (absent: empty); `required`
// makes absence and an empty mapping errors.
std::optional<std::vector<ConfigEntry>> read_entries(config::MapReader& reader, std::string_view key, bool required);

// A required, non-empty `values` mapping whose entries are either a plain
// string or a mapping with that string under `inner_key` and an optional
// `help` (in file order):
//   values: {Size: size_bytes, Used: {metric: used_bytes, help: "Space in use."}}
// value_node is the string's node, wherever it was written.
std::optional<std::vector<ConfigEntry>> read_metric_entries(config::MapReader& reader, std::string_view key,
                                                            std::string_view inner_key);

// `on_error: fail|skip`, skip when absent.
std::optional<parsers::OnError> read_on_error(config::MapReader& reader);

// An error for `on_error` in a parser that reads its input whole.
void reject_on_error(config::MapReader& reader, std::string_view parser_type);

// `metric_type: gauge|counter`, gauge when absent.
std::optional<metrics::MetricType> read_metric_type(config::MapReader& reader);

// Adds an error at `node` unless `name` is a valid metric (or label) name;
// false then.
bool check_metric_name_at(const YAML::Node& node, std::string_view what, const std::string& name,
                          config::ErrorList& errors);
bool check_label_name_at(const YAML::Node& node, std::string_view what, const std::string& name,
                         config::ErrorList& errors);

}  // namespace gleaner::plugins::exec
