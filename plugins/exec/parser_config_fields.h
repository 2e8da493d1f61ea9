#pragma once
// Reading the parts that parser options share from YAML, keeping each
// entry's node so that a problem found later points at the right place.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/map_reader.h"
#include "metrics/sample.h"

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
};

// A list of strings (absent: an empty list).
std::optional<std::vector<ConfigItem>> read_items(config::MapReader& reader, std::string_view key);

// A mapping of strings to strings in file order (absent: empty); `required`
// makes absence and an empty mapping errors.
std::optional<std::vector<ConfigEntry>> read_entries(config::MapReader& reader, std::string_view key, bool required);

// `metric_type: gauge|counter`, gauge when absent.
std::optional<metrics::MetricType> read_metric_type(config::MapReader& reader);

// Adds an error at `node` unless `name` is a valid metric (or label) name;
// false then.
bool check_metric_name_at(const YAML::Node& node, std::string_view what, const std::string& name,
                          config::ErrorList& errors);
bool check_label_name_at(const YAML::Node& node, std::string_view what, const std::string& name,
                         config::ErrorList& errors);

}  // namespace gleaner::plugins::exec
