#include "plugins/program_option.h"

#include "plugins/command_run.h"

namespace gleaner::plugins {

std::optional<std::string> program_option(config::MapReader& entry, const std::string& key) {
  auto& errors = entry.errors();
  const std::size_t errors_before = errors.size();
  std::string program = key;
  if (entry.has("options")) {
    config::MapReader reader(entry.value("options"), "options", errors);
    if (auto configured = reader.string(key)) {
      if (!valid_program(*configured)) errors.add(reader.value(key), "options." + key + ": " + kProgramRule);
      program = *configured;
    }
    reader.reject_unknown_keys();
  }
  if (errors.size() != errors_before) return std::nullopt;
  return program;
}

}  // namespace gleaner::plugins
