#include "plugins/exec/parser_config_fields.h"

#include "common/parsers/metric_options.h"

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
    entries.push_back(ConfigEntry{name, value, entry.first, entry.second, {}});
  }
  return entries;
}

std::optional<std::vector<ConfigEntry>> read_metric_entries(config::MapReader& reader, std::string_view key,
                                                            std::string_view inner_key) {
  const std::string where = "parser." + std::string(key);
  if (!reader.has(key)) {
    reader.errors().add(reader.node(), "parser needs \"" + std::string(key) + "\"");
    return std::nullopt;
  }
  auto& errors = reader.errors();
  const std::size_t errors_before = errors.size();
  const YAML::Node map = reader.value(key);
  // Checks that it is a mapping without repeated keys.
  const config::MapReader entries_reader(map, where, errors);
  if (!entries_reader.valid()) return std::nullopt;
  if (map.size() == 0) {
    errors.add(map, where + " must name at least one metric");
    return std::nullopt;
  }
  std::vector<ConfigEntry> entries;
  for (const auto& entry : map) {
    if (!entry.first.IsScalar()) continue;  // reported by entries_reader
    const std::string name = entry.first.Scalar();
    const std::string what = where + "." + name;
    ConfigEntry out{name, {}, entry.first, entry.second, {}};
    if (entry.second.IsScalar()) {
      out.value = entry.second.Scalar();
    } else if (entry.second.IsMap()) {
      config::MapReader detail(entry.second, what, errors);
      const auto value = detail.required_string(inner_key);
      const auto help = detail.string("help");
      detail.reject_unknown_keys();
      if (!value) continue;
      out.value = *value;
      out.value_node = detail.value(inner_key);
      out.help = help.value_or("");
    } else {
      errors.add(entry.second, what + " must be a " + std::string(inner_key) + " or a mapping {" +
                                   std::string(inner_key) + ": ..., help: ...}");
      continue;
    }
    entries.push_back(std::move(out));
  }
  if (errors.size() != errors_before) return std::nullopt;
  return entries;
}

std::optional<parsers::OnError> read_on_error(config::MapReader& reader) {
  if (!reader.has("on_error")) return parsers::OnError::skip;
  const auto word = reader.choice("on_error", {"fail", "skip"});
  if (!word) return std::nullopt;
  return *word == "fail" ? parsers::OnError::fail : parsers::OnError::skip;
}

void reject_on_error(config::MapReader& reader, std::string_view parser_type) {
  if (!reader.has("on_error")) return;
  reader.errors().add(reader.value("on_error"), "parser.on_error: the " + std::string(parser_type) +
                                                    " parser reads its output whole; on_error applies to the "
                                                    "prometheus, keyvalue, table and nagios parsers");
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
