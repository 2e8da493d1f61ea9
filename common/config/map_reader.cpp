#include "common/config/map_reader.h"

#include "common/units/units.h"

namespace gleaner::config {
namespace {

bool is_scalar(const YAML::Node& node) { return node.IsScalar(); }

std::string show(const YAML::Node& node) {
  if (node.IsScalar()) return "\"" + node.Scalar() + "\"";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "nothing";
}

}  // namespace

MapReader::MapReader(const YAML::Node& node, std::string what, ErrorList& errors)
    : node_(node), what_(std::move(what)), errors_(errors) {
  if (!node.IsMap()) {
    errors_.add(node, what_ + " must be a mapping (key: value), not " + show(node));
    return;
  }
  valid_ = true;
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) {
      errors_.add(entry.first, what_ + ": keys must be plain words");
      continue;
    }
    if (!seen.insert(entry.first.Scalar()).second) {
      errors_.add(entry.first, "duplicate key \"" + entry.first.Scalar() + "\" in " + what_);
    }
  }
}

std::string MapReader::where(std::string_view key) const { return what_ + "." + std::string(key); }

bool MapReader::has(std::string_view key) {
  if (!valid_) return false;
  known_.emplace(key);
  const YAML::Node& map = node_;  // const: a lookup must never insert
  const auto found = map[std::string(key)];
  return found.IsDefined() && !found.IsNull();
}

YAML::Node MapReader::value(std::string_view key) {
  if (!valid_) return YAML::Node(YAML::NodeType::Undefined);
  known_.emplace(key);
  const YAML::Node& map = node_;
  return map[std::string(key)];
}

std::optional<std::string> MapReader::string(std::string_view key) {
  if (!has(key)) return std::nullopt;
  return read_string(value(key), where(key), errors_);
}

std::optional<std::string> MapReader::required_string(std::string_view key) {
  if (valid_ && !has(key)) {
    errors_.add(node_, what_ + " needs \"" + std::string(key) + "\"");
    return std::nullopt;
  }
  return string(key);
}

std::optional<bool> MapReader::boolean(std::string_view key) {
  if (!has(key)) return std::nullopt;
  const auto node = value(key);
  bool result = false;
  if (is_scalar(node) && YAML::convert<bool>::decode(node, result)) return result;
  errors_.add(node, where(key) + " must be true or false, not " + show(node));
  return std::nullopt;
}

std::optional<std::int64_t> MapReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  if (!has(key)) return std::nullopt;
  const auto node = value(key);
  std::int64_t result = 0;
  if (is_scalar(node) && YAML::convert<std::int64_t>::decode(node, result) && result >= min && result <= max) {
    return result;
  }
  errors_.add(node, where(key) + " must be a whole number from " + std::to_string(min) + " to " +
                        std::to_string(max) + ", not " + show(node));
  return std::nullopt;
}

std::optional<double> MapReader::number(std::string_view key) {
  if (!has(key)) return std::nullopt;
  const auto node = value(key);
  if (is_scalar(node)) {
    if (auto result = units::parse_number(node.Scalar())) return result;
  }
  errors_.add(node, where(key) + " must be a number, not " + show(node));
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> MapReader::duration(std::string_view key) {
  if (!has(key)) return std::nullopt;
  const auto node = value(key);
  if (is_scalar(node)) {
    const auto reading = units::read_duration(node.Scalar());
    if (reading.value) return reading.value;
    if (reading.too_long) {
      errors_.add(node, where(key) + ": " + show(node) + " is longer than gleaner can time (at most " +
                            units::format_duration(units::kLongestDuration) + ")");
      return std::nullopt;
    }
  }
  errors_.add(node, where(key) + ": bad duration " + show(node) + " (write e.g. 250ms, 15s, 1m, 1h30m)");
  return std::nullopt;
}

std::optional<std::uint64_t> MapReader::size(std::string_view key) {
  if (!has(key)) return std::nullopt;
  const auto node = value(key);
  if (is_scalar(node)) {
    if (auto result = units::parse_size(node.Scalar())) return result;
  }
  errors_.add(node, where(key) + ": bad size " + show(node) + " (write e.g. 4096, 64KiB, 1MiB)");
  return std::nullopt;
}

std::optional<std::vector<std::string>> MapReader::string_list(std::string_view key) {
  if (!has(key)) return std::nullopt;
  return read_string_list(value(key), where(key), errors_);
}

std::optional<std::vector<std::pair<std::string, std::string>>> MapReader::string_map(std::string_view key) {
  if (!has(key)) return std::nullopt;
  const auto node = value(key);
  if (!node.IsMap()) {
    errors_.add(node, where(key) + " must be a mapping (key: value), not " + show(node));
    return std::nullopt;
  }
  std::vector<std::pair<std::string, std::string>> result;
  std::set<std::string, std::less<>> seen;
  bool ok = true;
  for (const auto& entry : node) {
    auto name = read_string(entry.first, where(key) + " key", errors_);
    auto text = read_string(entry.second, where(key) + "." + (name ? *name : "?"), errors_);
    if (!name || !text) {
      ok = false;
      continue;
    }
    if (!seen.insert(*name).second) {
      errors_.add(entry.first, "duplicate key \"" + *name + "\" in " + where(key));
      ok = false;
      continue;
    }
    result.emplace_back(std::move(*name), std::move(*text));
  }
  if (!ok) return std::nullopt;
  return result;
}

std::optional<std::string> MapReader::choice(std::string_view key, const std::vector<std::string>& choices) {
  auto text = string(key);
  if (!text) return std::nullopt;
  for (const auto& candidate : choices) {
    if (*text == candidate) return text;
  }
  std::string list;
  for (const auto& candidate : choices) list += (list.empty() ? "" : ", ") + candidate;
  errors_.add(value(key), where(key) + ": unknown value \"" + *text + "\" (one of: " + list + ")");
  return std::nullopt;
}

void MapReader::reject_unknown_keys() {
  if (!valid_) return;
  for (const auto& entry : node_) {
    if (!entry.first.IsScalar()) continue;
    if (known_.count(entry.first.Scalar()) == 0) {
      errors_.add(entry.first, "unknown key \"" + entry.first.Scalar() + "\" in " + what_);
    }
  }
}

std::optional<std::string> read_string(const YAML::Node& node, std::string_view what, ErrorList& errors) {
  if (node.IsScalar()) return node.Scalar();
  errors.add(node, std::string(what) + " must be a string, not " + show(node));
  return std::nullopt;
}

std::optional<std::vector<std::string>> read_string_list(const YAML::Node& node, std::string_view what,
                                                         ErrorList& errors) {
  if (!node.IsSequence()) {
    errors.add(node, std::string(what) + " must be a list, not " + show(node));
    return std::nullopt;
  }
  std::vector<std::string> result;
  bool ok = true;
  for (const auto& item : node) {
    if (auto text = read_string(item, std::string(what) + " item", errors)) {
      result.push_back(std::move(*text));
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return result;
}

}  // namespace gleaner::config
