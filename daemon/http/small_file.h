#pragma once
// Reading a small file that the configuration names (a password, a
// certificate, a key) whole, with a message a user can act on when that
// fails. Blocking: for configuration loading, never for the io thread.

#include <cstddef>
#include <string>

namespace gleaner::http {

struct SmallFileRead {
  std::string content;
  std::string error;  // "" or, e.g., "cannot read /etc/gleaner/web.pass: Permission denied"
};

// Refuses what is not a regular file after symbolic links are followed (a
// FIFO would block, a device could be endless) and what is larger than
// max_bytes.
SmallFileRead read_small_file(const std::string& path, std::size_t max_bytes);

}  // namespace gleaner::http
