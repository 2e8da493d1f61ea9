#pragma once
// Reads a YAML mapping into typed values without ever throwing: every
// problem (wrong type, bad duration, missing key, unknown key, duplicate key)
// goes into an ErrorList with the node's FILE:LINE:COLUMN.
//
//   MapReader reader(node, "collector", errors);
//   auto name = reader.required_string("name");
//   auto interval = reader.duration("interval");
//   reader.reject_unknown_keys();

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/config_error.h"

namespace gleaner::config {

class MapReader {
 public:
  // what names the mapping in messages: "collector", "parser", "web.tls"…
  MapReader(const YAML::Node& node, std::string what, ErrorList& errors);

  bool valid() const { return valid_; }
  const YAML::Node& node() const { return node_; }
  ErrorList& errors() { return errors_; }

  bool has(std::string_view key);
  // The value node, or an undefined node; marks the key as known.
  YAML::Node value(std::string_view key);

  std::optional<std::string> string(std::string_view key);
  std::optional<std::string> required_string(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
  std::optional<double> number(std::string_view key);
  std::optional<std::chrono::milliseconds> duration(std::string_view key);
  std::optional<std::uint64_t> size(std::string_view key);
  std::optional<std::vector<std::string>> string_list(std::string_view key);
  // A mapping of strings to strings, in file order.
  std::optional<std::vector<std::pair<std::string, std::string>>> string_map(std::string_view key);

  // One of the given words; anything else is an error listing them.
  std::optional<std::string> choice(std::string_view key, const std::vector<std::string>& choices);

  // An error for every key that no accessor asked for.
  void reject_unknown_keys();

 private:
  std::string where(std::string_view key) const;

  YAML::Node node_;
  std::string what_;
  ErrorList& errors_;
  bool valid_ = false;
  std::set<std::string, std::less<>> known_;
};

// Typed reads of a single node, for lists and nested values.
std::optional<std::string> read_string(const YAML::Node& node, std::string_view what, ErrorList& errors);
std::optional<std::vector<std::string>> read_string_list(const YAML::Node& node, std::string_view what,
                                                         ErrorList& errors);

}  // namespace gleaner::config
