#pragma once
// The textfile plugin's own keys (README "The textfile plugin"):
//
//   options: {directory: /var/lib/gleaner/textfile, max_age: 1h, max_file_size: 16MiB}

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "common/config/map_reader.h"

namespace gleaner::plugins::textfile {

struct TextfileOptions {
  std::string directory;  // absolute
  // Files last modified longer ago than this are left out (their writer
  // has stopped); none when unset, as node_exporter.
  std::optional<std::chrono::milliseconds> max_age;
  // A file larger than this is an error, never read further.
  std::size_t max_file_size = 16 * 1024 * 1024;
};

inline constexpr std::size_t kLargestMaxFileSize = std::size_t{1} << 30;  // 1 GiB

// Reads `options:` of a textfile collector entry; every problem goes into
// entry.errors() with its position, and nullopt comes back.
std::optional<TextfileOptions> read_textfile_options(config::MapReader& entry);

}  // namespace gleaner::plugins::textfile
