#include "common/parsers/json_parser.h"

#include <nlohmann/json.hpp>
#include <set>

#include "common/parsers/metric_options.h"
#include "common/parsers/output_text.h"
#include "common/parsers/bad_lines.h"
#include "common/parsers/parse_error.h"
#include "common/parsers/series_set.h"
#include "common/units/units.h"

namespace gleaner::parsers {
namespace {

using Json = nlohmann::json;

std::string check_path(std::string_view what, const std::string& text) {
  std::string error;
  if (parse_json_path(text, error)) return "";
  return std::string(what) + ": bad path " + quote(text) + ": " + error;
}

JsonPath must_parse(const std::string& text) {
  std::string error;
  return parse_json_path(text, error).value_or(JsonPath{});
}

const Json* follow(const Json& root, const JsonPath& path) {
  const Json* node = &root;
  for (const auto& step : path.steps) {
    if (step.is_index) {
      if (!node->is_array() || step.index >= node->size()) return nullptr;
      node = &(*node)[step.index];
    } else {
      if (!node->is_object()) return nullptr;
      const auto found = node->find(step.key);
      if (found == node->end()) return nullptr;
      node = &*found;
    }
  }
  return node;
}

// The error text of nlohmann-json, without its "[json.exception…] " tag;
// it quotes the input, so it is made printable and short.
std::string json_error_text(const std::exception& error) {
  std::string_view text = error.what();
  if (const auto tag_end = text.find("] "); text.starts_with("[json.exception") && tag_end != text.npos) {
    text.remove_prefix(tag_end + 2);
  }
  constexpr std::size_t kLimit = 200;
  return metrics::sanitize_utf8(text.substr(0, kLimit));
}

// `where` is "" without `each`, else "element 3: ".
std::string read_value(const Json* node, const JsonPath& path, const std::string& where, double& value) {
  if (!node) return where + "path " + quote(path.text) + " not found";
  if (node->is_number()) {
    value = node->get<double>();
    return "";
  }
  if (node->is_boolean()) {
    value = node->get<bool>() ? 1 : 0;
    return "";
  }
  if (node->is_string()) {
    const auto& text = node->get_ref<const std::string&>();
    if (const auto number = units::parse_quantity(text)) {
      value = *number;
      return "";
    }
    return where + "path " + quote(path.text) + ": expected a number, got the string " + quote(text);
  }
  return where + "path " + quote(path.text) + ": expected a number, got " + node->type_name();
}

std::string read_label(const Json* node, const JsonPath& path, const std::string& where, std::string& text) {
  if (!node) return where + "path " + quote(path.text) + " not found";
  if (node->is_string()) {
    text = valid_utf8(std::string_view(node->get_ref<const std::string&>()));
  } else if (node->is_number() || node->is_boolean()) {
    text = node->dump();
  } else {
    return where + "path " + quote(path.text) + ": expected a string, number or bool for a label, got " +
           node->type_name();
  }
  return "";
}

}  // namespace

std::string check_options(const JsonOptions& options) {
  if (options.values.empty()) return "values must map at least one metric to a path";
  std::set<std::string, std::less<>> seen;
  for (const auto& [metric, path] : options.values) {
    if (auto error = check_metric_name("values", metric); !error.empty()) return error;
    if (!seen.insert(metric).second) return "values: the metric " + quote(metric) + " appears twice";
    if (auto error = check_path("values." + metric, path); !error.empty()) return error;
  }
  if (auto error = check_help(options.help, seen); !error.empty()) return error;
  seen.clear();
  for (const auto& [label, path] : options.labels) {
    if (auto error = check_label_name("labels", label); !error.empty()) return error;
    if (!seen.insert(label).second) return "labels: the label " + quote(label) + " appears twice";
    if (auto error = check_path("labels." + label, path); !error.empty()) return error;
  }
  if (!options.each.empty()) {
    if (auto error = check_path("each", options.each); !error.empty()) return error;
  }
  return check_sample_type(options.type);
}

JsonParser::JsonParser(JsonOptions options) : options_(std::move(options)), options_error_(check_options(options_)) {
  if (!options_error_.empty()) return;
  for (const auto& [metric, path] : options_.values) value_paths_.push_back(must_parse(path));
  for (const auto& [label, path] : options_.labels) label_paths_.push_back(must_parse(path));
  if (!options_.each.empty()) each_path_ = must_parse(options_.each);
}

ParseOutput JsonParser::parse(const ParseInput& input) const {
  if (!options_error_.empty()) return ParseOutput::failure("invalid parser options: " + options_error_);
  Json document;
  try {
    document = Json::parse(input.text.begin(), input.text.end());
  } catch (const std::exception& error) {
    return ParseOutput::failure("invalid JSON: " + json_error_text(error));
  }

  std::vector<const Json*> elements{&document};
  if (each_path_) {
    const Json* array = follow(document, *each_path_);
    if (!array) return ParseOutput::failure("each: path " + quote(each_path_->text) + " not found");
    if (!array->is_array()) {
      return ParseOutput::failure("each: path " + quote(each_path_->text) + " leads to " + array->type_name() +
                                  ", not an array");
    }
    elements.clear();
    for (const auto& element : *array) elements.push_back(&element);
  }

  metrics::Families families;
  for (const auto& [metric, path] : options_.values) {
    families.push_back(metrics::MetricFamily{metric, options_.type, help_for(options_.help, metric), {}});
  }
  RowSeriesSet series(options_.values.size());
  for (std::size_t e = 0; e < elements.size(); ++e) {
    const Json& element = *elements[e];
    const std::string where = each_path_ ? "element " + std::to_string(e) + ": " : "";
    metrics::Labels labels;
    labels.reserve(label_paths_.size());
    for (std::size_t i = 0; i < label_paths_.size(); ++i) {
      std::string text;
      if (auto error = read_label(follow(element, label_paths_[i]), label_paths_[i], where, text); !error.empty()) {
        return ParseOutput::failure(std::move(error));
      }
      labels.push_back(metrics::Label{options_.labels[i].first, std::move(text)});
    }
    series.start_row(labels);
    for (std::size_t i = 0; i < value_paths_.size(); ++i) {
      double value = 0;
      if (auto error = read_value(follow(element, value_paths_[i]), value_paths_[i], where, value); !error.empty()) {
        return ParseOutput::failure(std::move(error));
      }
      auto& family = families[i];
      if (!series.insert(i)) {
        return ParseOutput::failure(where + std::string(kDuplicateSeries) + describe_series(family.name, labels));
      }
      family.samples.push_back(metrics::Sample{family.name, labels, value});
    }
  }
  std::erase_if(families, [](const metrics::MetricFamily& family) { return family.samples.empty(); });
  return ParseOutput::success(std::move(families));
}

}  // namespace gleaner::parsers
