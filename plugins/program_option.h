#pragma once
// The options of a plugin whose one setting is the program it runs
// (ipmi's `options.ipmitool`, nvme's `options.nvme`): read, checked
// against kProgramRule, and any other key refused, in one place.
//
//   auto ipmitool = program_option(entry, "ipmitool");
//   if (!ipmitool) return nullptr;  // the errors are in entry.errors()

#include <optional>
#include <string>

#include "common/config/map_reader.h"

namespace gleaner::plugins {

// The program named by options.<key>, or key itself when not given; nothing
// when `options` has an error (recorded in entry.errors() at its position).
std::optional<std::string> program_option(config::MapReader& entry, const std::string& key);

}  // namespace gleaner::plugins
