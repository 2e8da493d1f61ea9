#include "config_error.h"

#include <yaml-cpp/yaml.h>

namespace gleaner::config {

std::string ConfigError::format() const {
  return mark.file + ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column) + ": " + message;
}

Mark ErrorList::mark_of(const YAML::Node& node) const {
  const auto mark = node.Mark();
  if (mark.is_null()) return Mark{file_, 0, 0};
  return Mark{file_, mark.line + 1, mark.column + 1};
}

void ErrorList::add(const YAML::Node& node, std::string message) {
  errors_.push_back(ConfigError{mark_of(node), std::move(message)});
}

void ErrorList::add(Mark mark, std::string message) {
  errors_.push_back(ConfigError{std::move(mark), std::move(message)});
}

void ErrorList::append(const ErrorList& other) {
  errors_.insert(errors_.end(), other.errors_.begin(), other.errors_.end());
}

std::string ErrorList::format() const {
  std::string text;
  for (const auto& error : errors_) text += error.format() + "\n";
  return text;
}

}  // namespace gleaner::config
