#pragma once
// The `parser:` mapping of a collector, read into a ready parser:
//
//   parser: {type: table, columns: [...], labels: [...], values: {...}}
//
// Everything is checked here, at load, with the place of each problem:
// unknown types and keys, wrong value types, metric and label names that are
// not valid, regex patterns that do not compile, groups or columns that a
// pattern or `columns` lacks, malformed JSON paths. The key for gauge or
// counter is `metric_type` (`type` names the parser).

#include <yaml-cpp/yaml.h>

#include <memory>

#include "common/config/config_error.h"
#include "common/parsers/parser.h"

namespace gleaner::plugins::exec {

// The parser, or nullptr after adding every problem to `errors` as
// FILE:LINE:COLUMN of the node at fault.
std::unique_ptr<parsers::Parser> read_parser(const YAML::Node& parser_node, config::ErrorList& errors);

}  // namespace gleaner::plugins::exec
