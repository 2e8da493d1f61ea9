#include "parser_config_fields.h"

#include "parsers/metric_options.h"

namespace gleaner::plugins::exec {

std::optional<std::vector<ConfigItem>> read_items(config::MapReader& reader, std::string_view key) {
  if (!reader.has(key)) return std::vector<ConfigItem>{};
  const auto texts = reader.string_list(key);
  if (!texts) return std::nullopt;
  const YAML::Node list = reader.value(key);
  std::vector<ConfigItem> items;
  for (std::size_t i = 0; i < texts->size(); ++i) items.push_back(ConfigItem{(*texts)[i], list[i]});
  return items;
}

std::optional<std::vector<ConfigEntry>> read_entries(config::MapReader& reader, std::string_view key, bool required) {
  const std::string where = "parser." + std::string(key);
  if (!reader.has(key)) {
    if (!required) return std::vector<ConfigEntry>{};
    reader.errors().add(reader.node(), "parser needs \"" + std::string(key) + "\"");
    return std::nullopt;
  }
  const auto pairs = reader.string_map(key);
  if (!pairs) return std::nullopt;
  const YAML::Node map = reader.value(key);
  if (required && pairs->empty()) {
    reader.errors().add(map, where + " must name at least one metric");
    return std::nullopt;
  }
  // string_map keeps file order, as iterating the node does.
  std::vector<ConfigEntry> entries;
  std::size_t i = 0;
  for (const auto& entry : map) {
    const auto& [name, value] = (*pairs)[i++];
    entries.push_back(ConfigEntry{name, value, entry.first, entry.second});
  }
  return entries;
}

std::optional<metrics::MetricType> read_metric_type(config::MapReader& reader) {
  if (!reader.has("metric_type")) return metrics::MetricType::gauge;
  const auto word = reader.choice("metric_type", {"gauge", "counter"});
  if (!word) return std::nullopt;
  return *word == "counter" ? metrics::MetricType::counter : metrics::MetricType::gauge;
}

bool check_metric_name_at(const YAML::Node& node, std::string_view what, const std::string& name,
                          config::ErrorList& errors) {
  auto error = parsers::check_metric_name(what, name);
  if (error.empty()) return true;
  errors.add(node, std::move(error));
  return false;
}

bool check_label_name_at(const YAML::Node& node, std::string_view what, const std::string& name,
                         config::ErrorList& errors) {
  auto error = parsers::check_label_name(what, name);
  if (error.empty()) return true;
  errors.add(node, std::move(error));
  return false;
}

}  // namespace gleaner::plugins::exec
