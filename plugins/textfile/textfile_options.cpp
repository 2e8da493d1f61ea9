#include "plugins/textfile/textfile_options.h"

namespace gleaner::plugins::textfile {

std::optional<TextfileOptions> read_textfile_options(config::MapReader& entry) {
  auto& errors = entry.errors();
  const std::size_t errors_before = errors.size();
  if (!entry.has("options")) {
    errors.add(entry.node(), "the textfile plugin needs options: {directory: PATH}");
    return std::nullopt;
  }
  TextfileOptions options;
  config::MapReader reader(entry.value("options"), "options", errors);
  if (!reader.valid()) return std::nullopt;
  if (auto directory = reader.required_string("directory")) {
    // Absolute, as node_exporter's flag is in practice: the directory is
    // where other programs write, not a part of gleaner's configuration.
    if (directory->empty() || directory->front() != '/') {
      errors.add(reader.value("directory"),
                 "options.directory: \"" + *directory + "\" is not an absolute path (it must start with /)");
    }
    while (directory->size() > 1 && directory->back() == '/') directory->pop_back();
    options.directory = std::move(*directory);
  }
  if (reader.has("max_age")) {
    options.max_age = reader.duration("max_age");
    if (options.max_age && options.max_age->count() <= 0) {
      errors.add(reader.value("max_age"), "options.max_age: must be longer than 0");
    }
  }
  if (reader.has("max_file_size")) {
    if (auto size = reader.size("max_file_size")) {
      if (*size == 0 || *size > kLargestMaxFileSize) {
        errors.add(reader.value("max_file_size"), "options.max_file_size: must be from 1 byte to 1GiB");
      } else {
        options.max_file_size = static_cast<std::size_t>(*size);
      }
    }
  }
  reader.reject_unknown_keys();
  if (errors.size() != errors_before) return std::nullopt;
  return options;
}

}  // namespace gleaner::plugins::textfile
